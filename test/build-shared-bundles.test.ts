/**
 * dist/base.js holds the errors and the home folder, dist/domain.js the vault and its unlock chain,
 * and every other file of the build imports them from there (scripts/shared-bundles.js), by a
 * relative path, so dist/ runs wherever it is copied. A module bundled into two files would exist
 * twice at run time: two HushError classes, two caches of checked buckets, and `instanceof`
 * failing between them.
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
	{file: 'base.js', holds: ['errors.ts', 'text/visible.ts', 'home.ts']},
	{file: 'domain.js', holds: ['vault/unlocked.ts', 'vault/core.ts', 'vault/rollback.ts', 'unlock/chain.ts']},
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

test('the CLI, the SDK and the domain import the shared files by paths relative to themselves', () => {
	const code = (file: string) => readFileSync(join(dist, file), 'utf8');
	for (const file of builtFiles) {
		assert.doesNotMatch(code(file), /hush-shared:/, `${file} still holds a placeholder`);
	}

	assert.match(code('hush.js'), /from "\.\/base\.js"/, 'the entry imports the errors');
	assert.doesNotMatch(code('hush.js'), /from "\.\/domain\.js"/, 'the entry loads the vault only when a command asks for it');
	assert.match(code('index.js'), /from "\.\/domain\.js"/, 'the SDK');
	assert.match(code('domain.js'), /from "\.\/base\.js"/, 'the domain');
	const chunks = builtFiles.filter(file => file.startsWith('chunks/'));
	assert.ok(chunks.some(file => code(file).includes('from "../domain.js"')), 'a chunk one folder down');
});
