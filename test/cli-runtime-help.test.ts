import assert from 'node:assert/strict';
import {describe, test} from 'node:test';
import {hush, hushOk, initHome, tempHome} from './helpers/hush-cli.js';

const commands = ['run', 'inject', 'check', 'import', 'export', 'report', 'stale', 'rotate', 'audit', 'mcp'];

describe('help for the runtime and governance commands', () => {
	test('hush --help lists each, and each has --help with usage and examples', async t => {
		const home = tempHome(t);
		const global = await hush(['--help'], {home});
		for (const command of commands) {
			assert.match(global.stdout, new RegExp(`^  ${command} `, 'm'), `${command} missing from hush --help`);
			const run = await hush([command, '--help'], {home});
			assert.equal(run.code, 0, command);
			assert.match(run.stdout, new RegExp(`^Usage: hush ${command}`, 'm'), command);
			assert.match(run.stdout, /^Examples:\n {2}hush /m, command);
		}
	});

	test('--help after -- belongs to the command hush run starts', async t => {
		const home = await initHome(t);
		await hushOk(['set', 'x', '--KEY=@@from-the-vault'], {home});
		const child = 'console.log(`child got ${process.argv.slice(1).join(" ")}, KEY ${process.env.KEY ? "set" : "missing"}`)';
		const run = await hush(['run', '--secret', 'x', '--', process.execPath, '-e', child, '--', '--help'], {home});
		assert.equal(run.code, 0, run.stderr);
		assert.equal(run.stdout, 'child got --help, KEY set\n', 'the child ran with --help and the secret; hush printed no usage');
	});
});
