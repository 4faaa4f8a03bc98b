// The vault and its unlock chain as one file, dist/domain.js, for scripts/build.js. esbuild's code
// splitting cuts a module graph into a chunk per set of entry points that reach each module; with
// a chunk per command, the 55 modules `hush get` needs to unlock and read the vault landed in some
// 15 chunks, and Node's module loader pays per file (resolve, read, compile, link): importing them
// took about half again as long as importing the same code from one file (measured alternately,
// node -e 0 as the floor). So that graph is bundled once, on its own, and every other file imports
// it through the package's private specifier `#hush-domain` (package.json "imports"): one copy of
// each module, so classes and module state stay single.
import {basename, dirname, join, relative, resolve as resolvePath} from 'node:path';
import {build} from 'esbuild';

export const domainSpecifier = '#hush-domain';
const sourceFile = /\.(ts|tsx)$/;

/** The modules reached from `root` by static imports only: what loading it evaluates, at once. */
export async function staticClosure(root, plugins) {
	const result = await build({
		entryPoints: [root],
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

	visit(relative(process.cwd(), root));
	return new Set([...reached].filter(path => path.startsWith('source/') && sourceFile.test(path)).map(path => resolvePath(path)));
}

/** Where a relative import of a source file lands (TypeScript sources are imported as .js). */
function sourcePath(specifier, resolveDir) {
	const path = resolvePath(resolveDir, specifier);
	return path.endsWith('.js') ? path.replace(/\.js$/, '.ts') : path;
}

/**
 * For the domain's own build: its entry re-exports every module of the graph, and a dynamic import
 * out of the graph (loaded only on some paths, like the keychain) stays out of it, pointing at the
 * file the main build emits for that module under dist/lazy/ (added to `lazy`).
 */
export function domainEntry(modules, lazy) {
	return {
		name: 'domain-entry',
		setup(pluginBuild) {
			pluginBuild.onResolve({filter: /^domain-entry$/}, () => ({path: 'domain-entry', namespace: 'domain'}));
			pluginBuild.onLoad({filter: /.*/, namespace: 'domain'}, () => ({
				contents: [...modules].map(path => `export * from ${JSON.stringify(path)};`).join('\n'),
				loader: 'js',
				resolveDir: process.cwd(),
			}));
			pluginBuild.onResolve({filter: /^\./}, ({path, kind, resolveDir}) => {
				if (kind !== 'dynamic-import') {
					return undefined;
				}

				const target = sourcePath(path, resolveDir);
				if (modules.has(target)) {
					return undefined;
				}

				const name = `${basename(dirname(target))}-${basename(target).replace(sourceFile, '')}`;
				lazy.set(`lazy/${name}`, target);
				return {path: `./lazy/${name}.js`, external: true};
			});
		},
	};
}

/** For every other file: an import of a module in the domain becomes an import of the domain. */
export function importDomain(modules) {
	return {
		name: 'import-domain',
		setup(pluginBuild) {
			pluginBuild.onResolve({filter: /^\./}, ({path, resolveDir}) => (modules.has(sourcePath(path, resolveDir)) ? {path: domainSpecifier, external: true} : undefined));
		},
	};
}

export const domainRoot = join('source', 'unlock', 'index.ts');
