// Bundles the CLI and the SDK into dist/ with esbuild, then emits the SDK's type declarations.
// A bundle starts much faster than hundreds of separate ES modules; code only some commands need
// (YAML parsing, later the TUI) is split into chunks that load on demand. dist/cli.js, the `hush`
// executable, is a separate launcher built for Node 18: on an older Node it re-runs dist/hush.js
// with the Node 24 hush depends on, and on Node 24 it imports dist/hush.js in-process.
import {execFileSync} from 'node:child_process';
import {chmodSync, rmSync} from 'node:fs';
import {build} from 'esbuild';
import {builtinsOnDemand, quickStringWidth, yogaWithoutFetch} from './build-plugins.js';
import {domainEntry, domainRoot, importDomain, staticClosure} from './build-domain.js';

rmSync('dist', {recursive: true, force: true});
// The vault and its unlock chain first, as one file (see build-domain.js); what it loads lazily
// becomes an entry of the main build, under dist/lazy/.
const banner = {js: "const require = process.getBuiltinModule('node:module').createRequire(import.meta.url);"};
const domain = await staticClosure(domainRoot, [builtinsOnDemand]);
const lazy = new Map();
await build({
	entryPoints: {domain: 'domain-entry'},
	outdir: 'dist',
	bundle: true,
	format: 'esm',
	platform: 'node',
	target: 'node24',
	sourcemap: false,
	legalComments: 'linked',
	logLevel: 'warning',
	plugins: [domainEntry(domain, lazy), builtinsOnDemand],
	external: ['@github/keytar'],
	banner,
});
await build({
	entryPoints: {hush: 'source/cli.tsx', index: 'source/index.ts', ...Object.fromEntries(lazy)},
	outdir: 'dist',
	bundle: true,
	splitting: true,
	format: 'esm',
	platform: 'node',
	target: 'node24',
	chunkNames: 'chunks/[name]-[hash]',
	sourcemap: false,
	legalComments: 'linked',
	logLevel: 'warning',
	plugins: [importDomain(domain), builtinsOnDemand, yogaWithoutFetch, quickStringWidth],
	// React's production build for the TUI chunk.
	define: {'process.env.NODE_ENV': '"production"'},
	// @github/keytar is a native addon, loaded from node_modules at run time and only when a keychain
	// feature is used; Ink's optional devtools load only with DEV=true.
	external: ['@github/keytar', 'react-devtools-core'],
	// Bundled CommonJS dependencies (yaml) call require() for Node built-ins.
	banner,
});
await build({
	entryPoints: {cli: 'source/launcher.ts'},
	outdir: 'dist',
	bundle: true,
	format: 'esm',
	platform: 'node',
	target: 'node18',
	logLevel: 'warning',
	// The CLI it starts is a separate file, found next to it at run time.
	external: ['./hush.js'],
});
chmodSync('dist/cli.js', 0o755);
chmodSync('dist/hush.js', 0o755);
execFileSync('tsc', ['-p', 'tsconfig.build.json'], {stdio: 'inherit'});
