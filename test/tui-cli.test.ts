/** `hush` with no arguments: the TUI on a terminal, a clear one-line error anywhere else. */
import assert from 'node:assert/strict';
import {readdirSync, readFileSync} from 'node:fs';
import {join} from 'node:path';
import {test} from 'node:test';
import {assertOneLineError, cliPath, hush, initHome, vaultDigest} from './helpers/hush-cli.js';

test('hush with no arguments and no terminal: one line naming the commands to use, exit 2, vault untouched', async t => {
	const home = await initHome(t);
	const before = vaultDigest(home);
	const run = await hush([], {home});
	assert.equal(run.code, 2);
	assert.equal(run.stdout, '');
	assertOneLineError(run, /needs a terminal.*hush list.*hush show NAME.*hush get NAME KEY/);
	assert.equal(vaultDigest(home), before);
});

test('Ink and React stay off the start-up path: the CLI bundle loads the TUI chunk only on demand', () => {
	// dist/cli.js is the launcher (it runs on older Node too); the CLI bundle it imports is hush.js.
	const bundle = join(cliPath, '..', 'hush.js');
	assert.match(readFileSync(cliPath, 'utf8'), /hush\.js/, 'the launcher hands over to hush.js');
	const cli = readFileSync(bundle, 'utf8');
	const staticImports = [...cli.matchAll(/^import .* from "(\.\/chunks\/[^"]+)"/gm)].map(match => match[1]!);
	const dynamicImports = [...cli.matchAll(/import\("(\.\/chunks\/[^"]+)"\)/g)].map(match => match[1]!);
	const tuiChunk = dynamicImports.find(path => /\/run-[\w-]+\.js$/.test(path));
	assert.ok(tuiChunk, `a dynamically imported TUI chunk (found ${dynamicImports.join(', ')})`);
	const chunks = join(cliPath, '..', 'chunks');
	const reactFiles = readdirSync(chunks).filter(file => file.endsWith('.js') && readFileSync(join(chunks, file), 'utf8').includes('react.transitional.element'));
	assert.ok(reactFiles.length > 0, 'React is bundled somewhere');
	for (const path of staticImports) {
		assert.ok(!reactFiles.includes(path.replace('./chunks/', '')), `${path} is loaded at start-up and holds React`);
	}

	assert.ok(!cli.includes('react.transitional.element'), 'React is not in the CLI bundle itself');
});
