/**
 * `--json` output: compact (one line) when stdout is a pipe, indented for a terminal. The content is
 * the same either way. A long listing through a pipe is written in slices (writeJsonArray), with
 * exactly the bytes one JSON.stringify would give.
 */
import {test} from 'node:test';
import assert from 'node:assert/strict';
import {jsonText} from '../source/commands/shared/format.js';
import {hushOk, initHome} from './helpers/hush-cli.js';
import {makeHome, newVault} from './helpers/vault-fixtures.js';

test('list --json and show --json through a pipe print one compact line that parses to the secrets', async t => {
	const home = await initHome(t);
	await hushOk(['set', 'alpha', '--KEY=@@a', '--description', 'first'], {home});
	await hushOk(['set', 'beta', '--KEY=@@b'], {home});
	const list = (await hushOk(['list', '--json'], {home})).stdout;
	assert.equal(list.indexOf('\n'), list.length - 1, 'one line, ended by a newline');
	const parsed = JSON.parse(list) as Array<{name: string; description: string; keys: string[]}>;
	assert.deepEqual(parsed.map(secret => [secret.name, secret.description, secret.keys]), [['alpha', 'first', ['KEY']], ['beta', '', ['KEY']]]);
	assert.equal(list, `${JSON.stringify(parsed)}\n`);

	const show = (await hushOk(['show', 'alpha', '--json'], {home})).stdout;
	assert.equal(show, `${JSON.stringify(JSON.parse(show))}\n`);
});

test('jsonText indents for a terminal only', () => {
	const value = {a: [1, {b: 'c'}]};
	assert.equal(jsonText(value, false), '{"a":[1,{"b":"c"}]}\n');
	assert.equal(jsonText(value, true), '{\n  "a": [\n    1,\n    {\n      "b": "c"\n    }\n  ]\n}\n');
});

test('list --json of 600 secrets through a pipe, written in slices, is byte for byte one compact JSON text of every secret', async t => {
	const home = makeHome(t);
	const vault = await newVault(home);
	const names = Array.from({length: 600}, (_, index) => `sliced-${String(index).padStart(3, '0')}`);
	vault.createSecrets(names.map((name, index) => ({name, values: {KEY: `v${index}`}, options: {description: `d"${index}\\`}})));
	const expected = vault.listSecrets({sort: 'name'});
	vault.close();
	const list = (await hushOk(['list', '--json', '--sort', 'name'], {home})).stdout;
	assert.equal(list, `${JSON.stringify(expected)}\n`);
});
