/**
 * dist/base.js holds the errors and the home folder, dist/domain.js the vault and its unlock chain,
 * and every other file of the build imports them from there (scripts/shared-bundles.js). A module
 * bundled into two files would exist twice at run time: two HushError classes, two caches of
 * checked buckets, and `instanceof` failing between them.
 */
import assert from 'node:assert/strict';
import {readFileSync, readdirSync} from 'node:fs';
import {join} from 'node:path';
import {test} from 'node:test';

const dist = join(import.meta.dirname, '..', 'dist');

/** The source modules esbuild bundled into a file, by the `// source/…` line it puts before each. */
function modulesIn(file: string): Set<string> {
	return new Set(readFileSync(join(dist, file), 'utf8').match(/^\/\/ source\/\S+$/gm) ?? []);
}

const builtFiles = readdirSync(dist, {recursive: true, encoding: 'utf8'}).filter(path => path.endsWith('.js'));

const shared = [
	{file: 'base.js', specifier: '#hush-base', holds: ['errors.ts', 'text/visible.ts', 'home.ts']},
	{file: 'domain.js', specifier: '#hush-domain', holds: ['vault/unlocked.ts', 'vault/core.ts', 'vault/rollback.ts', 'unlock/chain.ts']},
];

for (const {file, holds} of shared) {
	test(`every module of dist/${file} is in that file and in no other`, () => {
		const modules = modulesIn(file);
		for (const module of holds) {
			assert.ok(modules.has(`// source/${module}`), `${module} in ${file}`);
		}

		for (const other of builtFiles.filter(path => path !== file)) {
			const twice = [...modulesIn(other)].filter(module => modules.has(module));
			assert.deepEqual(twice, [], `${other} bundles modules of ${file} again`);
		}
	});
}

test('the CLI, the SDK and the domain reach the shared files through the package\'s private specifiers', () => {
	const manifest = JSON.parse(readFileSync(join(dist, '..', 'package.json'), 'utf8')) as {imports: Record<string, string>};
	for (const {file, specifier} of shared) {
		assert.equal(manifest.imports[specifier], `./dist/${file}`);
	}

	assert.match(readFileSync(join(dist, 'hush.js'), 'utf8'), /from "#hush-base"/, 'the entry imports the errors');
	assert.doesNotMatch(readFileSync(join(dist, 'hush.js'), 'utf8'), /from "#hush-domain"/, 'the entry loads the vault only when a command asks for it');
	assert.match(readFileSync(join(dist, 'index.js'), 'utf8'), /from "#hush-domain"/, 'the SDK');
	assert.match(readFileSync(join(dist, 'domain.js'), 'utf8'), /from "#hush-base"/, 'the domain');
});
