/**
 * dist/domain.js holds the vault and its unlock chain, and every other file of the build imports
 * them from it (scripts/build-domain.js). A module bundled into both would exist twice at run time:
 * two HushError classes, two caches of checked buckets, and `instanceof` failing between them.
 */
import assert from 'node:assert/strict';
import {readFileSync, readdirSync} from 'node:fs';
import {join} from 'node:path';
import {test} from 'node:test';

const dist = join(import.meta.dirname, '..', 'dist');

/** The source modules esbuild bundled into a file, by the `// source/…` line it puts before each. */
function modulesIn(file: string): Set<string> {
	return new Set(readFileSync(file, 'utf8').match(/^\/\/ source\/\S+$/gm) ?? []);
}

function builtFiles(): string[] {
	return readdirSync(dist, {recursive: true, encoding: 'utf8'})
		.filter(path => path.endsWith('.js') && path !== 'domain.js')
		.map(path => join(dist, path));
}

test('every module of the vault and its unlock chain is in dist/domain.js and in no other file', () => {
	const domain = modulesIn(join(dist, 'domain.js'));
	for (const module of ['// source/vault/unlocked.ts', '// source/vault/core.ts', '// source/unlock/chain.ts', '// source/errors.ts']) {
		assert.ok(domain.has(module), `${module} in domain.js`);
	}

	for (const file of builtFiles()) {
		const twice = [...modulesIn(file)].filter(module => domain.has(module));
		assert.deepEqual(twice, [], `${file} bundles modules of the domain again`);
	}
});

test('the CLI and the SDK reach the domain through the package\'s private specifier', () => {
	const manifest = JSON.parse(readFileSync(join(dist, '..', 'package.json'), 'utf8')) as {imports: Record<string, string>};
	assert.equal(manifest.imports['#hush-domain'], './dist/domain.js');
	for (const file of ['hush.js', 'index.js']) {
		assert.match(readFileSync(join(dist, file), 'utf8'), /from "#hush-domain"/, file);
	}
});
