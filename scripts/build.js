// Bundles the CLI and the SDK into dist/ with esbuild, then emits the SDK's type declarations.
// A bundle starts much faster than hundreds of separate ES modules; code only some commands need
// (YAML parsing, later the TUI) is split into chunks that load on demand. dist/cli.js, the `hush`
// executable, is a separate launcher built for Node 18: on an older Node it re-runs dist/hush.js
// with the Node 24 hush depends on, and on Node 24 it imports dist/hush.js in-process.
import {execFileSync} from 'node:child_process';
import {chmodSync, rmSync} from 'node:fs';
import {build} from 'esbuild';
import {builtinsOnDemand, quickStringWidth, yogaWithoutFetch} from './build-plugins.js';
import {bundleEntry, importShared, linkShared, planSharedBundles} from './shared-bundles.js';

rmSync('dist', {recursive: true, force: true});
// The errors, then the vault and its unlock chain, each as one file (see shared-bundles.js); what
// they load lazily becomes an entry of the main build, under dist/lazy/.
const banner = {js: "const require = process.getBuiltinModule('node:module').createRequire(import.meta.url);"};
const shared = await planSharedBundles([builtinsOnDemand]);
const lazy = new Map();
for (const [index, bundle] of shared.entries()) {
	// eslint-disable-next-line no-await-in-loop
	await build({
		entryPoints: {[bundle.name]: 'bundle-entry'},
		outdir: 'dist',
		bundle: true,
		format: 'esm',
		platform: 'node',
		target: 'node24',
		sourcemap: false,
		legalComments: 'linked',
		logLevel: 'warning',
		plugins: [importShared(shared.slice(0, index)), bundleEntry(bundle, lazy), builtinsOnDemand],
		external: ['@github/keytar'],
		banner,
	});
}

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
	plugins: [importShared(shared), builtinsOnDemand, yogaWithoutFetch, quickStringWidth],
	// React's production build for the TUI chunk.
	define: {'process.env.NODE_ENV': '"production"'},
	// @github/keytar is a native addon, loaded from node_modules at run time and only when a keychain
	// feature is used; Ink's optional devtools load only with DEV=true.
	external: ['@github/keytar', 'react-devtools-core'],
	// Bundled CommonJS dependencies (yaml) call require() for Node built-ins.
	banner,
});
linkShared('dist', shared);
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
