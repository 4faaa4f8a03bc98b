// The vault and its unlock chain as one file, dist/domain.js, for scripts/build.js. esbuild's code
// splitting cuts a module graph into a chunk per set of entry points that reach each module; with
// a chunk per command, the 55 modules `hush get` needs to unlock and read the vault landed in some
// 15 chunks, and Node's module loader pays per file (resolve, read, compile, link): importing them
// took about half again as long as importing the same code from one file (measured alternately,
// node -e 0 as the floor). So that graph is bundled once, on its own, and every other file imports
// it: one copy of each module, so classes and module state stay single.
//
// The errors, the home folder and the escaping of control characters go in a smaller file of
// their own, dist/base.js: the CLI's entry and the server need them without the vault, and
// `hush --version` should not load SQLite and the ciphers.
import {readFileSync, readdirSync, writeFileSync} from 'node:fs';
import {basename, dirname, join, relative, resolve as resolvePath} from 'node:path';
import {build} from 'esbuild';

/** In load order: each bundle's modules are what its roots reach that no earlier bundle holds. */
export const sharedBundles = [
	// With the version and three small modules most commands share: four files fewer for each command to load.
	{name: 'base', specifier: 'hush-shared:base', roots: ['source/errors.ts', 'source/text/visible.ts', 'source/home.ts', 'source/version.ts', 'source/commands/shared/format.ts', 'source/commands/shared/private-flag.ts', 'source/keychain/abandoned-calls.ts']},
	{name: 'domain', specifier: 'hush-shared:domain', roots: ['source/unlock/index.ts']},
];

const sourceFile = /\.(ts|tsx)$/;

/** The source modules reached from `roots` by static imports only: what loading them evaluates, at once. */
async function staticClosure(roots, plugins) {
	const result = await build({
		entryPoints: roots,
		bundle: true,
		write: false,
		outdir: 'dist',
		format: 'esm',
		platform: 'node',
		metafile: true,
		logLevel: 'warning',
		plugins,
		external: ['@github/keytar'],
	});
	const {inputs} = result.metafile;
	const reached = new Set();
	const visit = path => {
		if (reached.has(path) || inputs[path] === undefined) {
			return;
		}

		reached.add(path);
		for (const imported of inputs[path].imports) {
			if (imported.kind === 'import-statement') {
				visit(imported.path);
			}
		}
	};

	for (const root of roots) {
		visit(relative(process.cwd(), root));
	}

	return new Set([...reached].filter(path => path.startsWith('source/') && sourceFile.test(path)).map(path => resolvePath(path)));
}

/** Each shared bundle with its modules (absolute paths), none in two bundles. */
export async function planSharedBundles(plugins) {
	const planned = [];
	const taken = new Set();
	for (const bundle of sharedBundles) {
		const modules = new Set([...await staticClosure(bundle.roots, plugins)].filter(path => !taken.has(path)));
		for (const path of modules) {
			taken.add(path);
		}

		planned.push({...bundle, modules});
	}

	return planned;
}

/** Where a relative import of a source file lands (TypeScript sources are imported as .js). */
function sourcePath(specifier, resolveDir) {
	const path = resolvePath(resolveDir, specifier);
	return path.endsWith('.js') ? path.replace(/\.js$/, '.ts') : path;
}

/**
 * For a shared bundle's own build: its entry re-exports every module it holds, and a dynamic import
 * out of it (loaded only on some paths, like the keychain) stays out, pointing at the file the main
 * build emits for that module under dist/lazy/ (added to `lazy`).
 */
export function bundleEntry(bundle, lazy) {
	return {
		name: 'bundle-entry',
		setup(pluginBuild) {
			pluginBuild.onResolve({filter: /^bundle-entry$/}, () => ({path: bundle.name, namespace: 'bundle-entry'}));
			pluginBuild.onLoad({filter: /.*/, namespace: 'bundle-entry'}, () => ({
				contents: [...bundle.modules].map(path => `export * from ${JSON.stringify(path)};`).join('\n'),
				loader: 'js',
				resolveDir: process.cwd(),
			}));
			pluginBuild.onResolve({filter: /^\./}, ({path, kind, resolveDir}) => {
				if (kind !== 'dynamic-import' || bundle.modules.has(sourcePath(path, resolveDir))) {
					return undefined;
				}

				const target = sourcePath(path, resolveDir);
				const name = `${basename(dirname(target))}-${basename(target).replace(sourceFile, '')}`;
				lazy.set(`lazy/${name}`, target);
				return {path: `./lazy/${name}.js`, external: true};
			});
		},
	};
}

/**
 * An import of a module that one of `bundles` holds becomes an import of that bundle, by a
 * placeholder specifier that {@link linkShared} replaces once the files are written.
 */
export function importShared(bundles) {
	return {
		name: 'import-shared',
		setup(pluginBuild) {
			pluginBuild.onResolve({filter: /^\./}, ({path, resolveDir}) => {
				const target = sourcePath(path, resolveDir);
				const holder = bundles.find(bundle => bundle.modules.has(target));
				return holder ? {path: holder.specifier, external: true} : undefined;
			});
		},
	};
}

/**
 * Points every placeholder at its bundle by a relative path from the importing file, so dist/
 * runs wherever it is copied, with or without its package.json.
 */
export function linkShared(dist, bundles) {
	for (const file of readdirSync(dist, {recursive: true, encoding: 'utf8'}).filter(path => path.endsWith('.js'))) {
		const path = join(dist, file);
		let code = readFileSync(path, 'utf8');
		for (const bundle of bundles) {
			const target = relative(dirname(path), join(dist, `${bundle.name}.js`));
			code = code.replaceAll(JSON.stringify(bundle.specifier), JSON.stringify(target.startsWith('.') ? target : `./${target}`));
		}

		writeFileSync(path, code);
	}
}
