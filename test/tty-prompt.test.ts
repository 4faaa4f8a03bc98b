/**
 * `echo TOKEN | hush set NAME --stdin KEY` at a terminal: stdin is a pipe, but a person is at the
 * controlling terminal, so hush asks for the passphrase there, hidden (as ssh, sudo and gpg do).
 * Real tmux; waits are on screen content only. Without any terminal, one line says what to set.
 */
import assert from 'node:assert/strict';
import {spawn} from 'node:child_process';
import {test, type TestContext} from 'node:test';
import {cliPath, hush, initHome, passphrase, vaultDigest} from './helpers/hush-cli.js';
import {shellQuote} from './helpers/tmux.js';
import {ShellTerminal} from './helpers/tui-terminal.js';

const hushCommand = `${shellQuote(process.execPath)} ${shellQuote(cliPath)}`;

function shell(t: TestContext, home: string): ShellTerminal {
	// No HUSH_PASSPHRASE or HUSH_SESSION: only the person at the terminal can unlock.
	const terminal = ShellTerminal.start({env: {HUSH_HOME: home, HOME: process.env['HOME'] ?? '/root', PATH: process.env['PATH'] ?? '/usr/bin:/bin', PS1: '$ ', TERM: 'xterm-256color'}});
	t.after(() => terminal.close());
	return terminal;
}

test('a piped hush set --stdin asks for the passphrase on the terminal, hidden, and stores the value', {timeout: 120_000}, async t => {
	const home = await initHome(t);
	const terminal = shell(t, home);
	await terminal.waitFor(/^[#$] ?$/m);
	terminal.type(`echo ghp_piped_token | ${hushCommand} set github --stdin GITHUB_TOKEN; echo "exit=$?"`);
	terminal.press('Enter');
	await terminal.waitFor('Vault passphrase:');
	terminal.type(passphrase);
	// Typed but not yet entered: nothing of it is on the screen, not even as asterisks.
	const typing = terminal.screen();
	assert.doesNotMatch(typing, /correct horse|\*{3}/);
	terminal.press('Enter');
	const screen = await terminal.waitFor(/^exit=\d+$/m);
	assert.match(screen, /^exit=0$/m, screen);
	assert.doesNotMatch(screen, /correct horse/);
	// Only on the command line typed: hush printed neither the value nor the passphrase.
	assert.equal(screen.split('ghp_piped_token').length, 2);

	const stored = await hush(['get', 'github', 'GITHUB_TOKEN'], {home});
	assert.equal(stored.stdout, 'ghp_piped_token');
});

test('a wrong passphrase typed on the terminal stores nothing; Ctrl-C there cancels with 130', {timeout: 120_000}, async t => {
	const home = await initHome(t);
	const before = vaultDigest(home);
	const terminal = shell(t, home);
	await terminal.waitFor(/^[#$] ?$/m);
	terminal.type(`echo value | ${hushCommand} set github --stdin GITHUB_TOKEN; echo "first=$?"`);
	terminal.press('Enter');
	await terminal.waitFor('Vault passphrase:');
	terminal.type('not the passphrase');
	terminal.press('Enter');
	const wrong = await terminal.waitFor(/^first=\d+$/m);
	assert.match(wrong, /^first=1$/m, wrong);
	assert.match(wrong, /^hush: /m);
	assert.doesNotMatch(wrong, /not the passphrase/);

	terminal.type(`echo value | ${hushCommand} set github --stdin GITHUB_TOKEN; echo "second=$?"`);
	terminal.press('Enter');
	await terminal.waitFor(screen => screen.split('Vault passphrase:').length === 3);
	terminal.press('C-c');
	const cancelled = await terminal.waitFor(/^second=\d+$/m);
	assert.match(cancelled, /^second=130$/m, cancelled);
	assert.doesNotMatch(cancelled, /^\s+at /m);
	assert.equal(vaultDigest(home), before);
});

test('with stdin a pipe and no terminal at all, one line says so and what to set', async t => {
	const home = await initHome(t);
	// A new session (setsid): no controlling terminal, as under cron, CI or an agent.
	const child = spawn(process.execPath, [cliPath, 'set', 'github', '--stdin', 'GITHUB_TOKEN'], {
		detached: true,
		env: {PATH: process.env['PATH'], HOME: process.env['HOME'], HUSH_HOME: home},
		stdio: ['pipe', 'pipe', 'pipe'],
	});
	let stderr = '';
	child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
	child.stdout.resume();
	child.stdin.end('ghp_value\n');
	const code = await new Promise(resolve => child.on('close', resolve));
	assert.equal(code, 2);
	assert.match(stderr, /^hush: the vault is locked: set HUSH_PASSPHRASE[^\n]*standard input is a pipe or file, and there is no terminal to ask on[^\n]*HUSH_SESSION from 'hush unlock'[^\n]*\n$/);
	assert.equal((await hush(['list', '--json'], {home})).stdout.trim(), '[]');
});
