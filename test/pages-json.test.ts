/**
 * `--json` output: compact (one line) when stdout is a pipe, indented for a terminal. The content is
 * the same either way.
 */
import {test} from 'node:test';
import assert from 'node:assert/strict';
import {jsonText} from '../source/commands/shared/format.js';
import {hushOk, initHome} from './helpers/hush-cli.js';

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
