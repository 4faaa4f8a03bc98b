// Bundles the CLI and the SDK into dist/ with esbuild, then emits the SDK's type declarations.
// A bundle starts much faster than hundreds of separate ES modules; code only some commands need
// (YAML parsing, later the TUI) is split into chunks that load on demand.
import {execFileSync} from 'node:child_process';
import {rmSync} from 'node:fs';
import {build} from 'esbuild';

rmSync('dist', {recursive: true, force: true});
await build({
	entryPoints: {cli: 'source/cli.tsx', index: 'source/index.ts'},
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
	// React's production build for the TUI chunk.
	define: {'process.env.NODE_ENV': '"production"'},
	// @github/keytar is a native addon, loaded from node_modules at run time and only when a keychain
	// feature is used; Ink's optional devtools load only with DEV=true.
	external: ['@github/keytar', 'react-devtools-core'],
	// Bundled CommonJS dependencies (yaml) call require() for Node built-ins.
	banner: {js: "import {createRequire as __createRequire} from 'node:module'; const require = __createRequire(import.meta.url);"},
});
execFileSync('tsc', ['-p', 'tsconfig.build.json'], {stdio: 'inherit'});
