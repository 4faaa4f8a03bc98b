// Bundles the CLI and the SDK into dist/ with esbuild, then emits the SDK's type declarations.
// A bundle starts much faster than hundreds of separate ES modules; code only some commands need
// (YAML parsing, later the TUI) is split into chunks that load on demand. dist/cli.js, the `hush`
// executable, is a separate launcher built for Node 18: on an older Node it re-runs dist/hush.js
// with the Node 24 hush depends on, and on Node 24 it imports dist/hush.js in-process.
import {execFileSync} from 'node:child_process';
import {chmodSync, readFileSync, rmSync} from 'node:fs';
import {build} from 'esbuild';

/**
 * Node built-ins through process.getBuiltinModule, not ESM imports: an ESM import of `node:fs` or
 * `node:process` builds the module's whole export list, which runs every lazy getter on it and so
 * loads fs/promises, streams, readline and more that `hush get` never uses (~10 ms per start).
 * esbuild then reads each name off the module object where it is used, as for any CommonJS module.
 */
const builtinsOnDemand = {
	name: 'builtins-on-demand',
	setup(build) {
		build.onResolve({filter: /^node:/}, ({path, kind}) => (kind === 'import-statement' ? {path, namespace: 'builtin'} : undefined));
		build.onLoad({filter: /.*/, namespace: 'builtin'}, ({path}) => ({contents: `module.exports = process.getBuiltinModule(${JSON.stringify(path)});`, loader: 'js'}));
	},
};

/**
 * Ink's layout engine, yoga-layout, ships its WebAssembly as a base64 data: URL and, finding a global
 * fetch, reads it through fetch. In Node that first touch of `fetch` loads undici (the whole HTTP
 * client) on the TUI's start-up path, to decode 100 KB of base64. Patched here so yoga takes its
 * own path for when there is no fetch: the same bytes, decoded in place. The build fails if a new
 * yoga no longer matches, rather than quietly bringing the slow path back.
 */
const yogaWithoutFetch = {
	name: 'yoga-without-fetch',
	setup(build) {
		build.onLoad({filter: /yoga-layout[\\/]dist[\\/]binaries[\\/]yoga-wasm-base64-esm\.js$/}, ({path}) => {
			const source = readFileSync(path, 'utf8');
			const fetchCheck = '"function"!=typeof fetch';
			const uses = source.split(fetchCheck).length - 1;
			if (uses !== 2) {
				throw new Error(`yoga-layout's loader changed: expected 2 checks for fetch, found ${uses} (scripts/build.js)`);
			}

			return {contents: source.replaceAll(fetchCheck, '!0'), loader: 'js'};
		});
	},
};

rmSync('dist', {recursive: true, force: true});
await build({
	entryPoints: {hush: 'source/cli.tsx', index: 'source/index.ts'},
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
	plugins: [builtinsOnDemand, yogaWithoutFetch],
	// React's production build for the TUI chunk.
	define: {'process.env.NODE_ENV': '"production"'},
	// @github/keytar is a native addon, loaded from node_modules at run time and only when a keychain
	// feature is used; Ink's optional devtools load only with DEV=true.
	external: ['@github/keytar', 'react-devtools-core'],
	// Bundled CommonJS dependencies (yaml) call require() for Node built-ins.
	banner: {js: "const require = process.getBuiltinModule('node:module').createRequire(import.meta.url);"},
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
