/**
 * `hush config` changes what the TUI does, in a real terminal (tmux): the reveal countdown, the
 * list's starting order, and the idle lock (to the unlock screen after a typed passphrase; a quit
 * with a message when a session opened the vault). HUSH_TEST_MINUTE_MS makes a configured minute
 * short, so the idle lock is waited for on screen, not for minutes. CI=false so Ink renders.
 */
import assert from 'node:assert/strict';
import {test, type TestContext} from 'node:test';
import {cliPath, hush, hushOk, initHome, passphrase} from './helpers/hush-cli.js';
import {shellQuote} from './helpers/tmux.js';
import {ShellTerminal} from './helpers/tui-terminal.js';

const prompt = /^[#$] ?$/m;
const hushCommand = `${shellQuote(process.execPath)} ${shellQuote(cliPath)}`;
const canary = 'canary-prefs-7Hq2';

function shell(t: TestContext, home: string, env: Record<string, string> = {}): ShellTerminal {
	const terminal = ShellTerminal.start({
		env: {HUSH_HOME: home, HOME: process.env['HOME'] ?? '/root', PATH: process.env['PATH'] ?? '/usr/bin:/bin', CI: 'false', PS1: '$ ', TERM: 'xterm-256color', ...env},
	});
	t.after(() => terminal.close());
	return terminal;
}

async function seeded(t: TestContext): Promise<string> {
	const home = await initHome(t);
	await hushOk(['set', 'alpha', '--stdin', 'TOKEN'], {home, input: canary});
	await hushOk(['set', 'zulu', '--stdin', 'TOKEN'], {home, input: 'zulu-value'});
	return home;
}

/** Starts hush in the shell and types the passphrase; resolves with the list on screen. */
async function openTyped(terminal: ShellTerminal): Promise<string> {
	await terminal.waitFor(prompt);
	terminal.type(hushCommand);
	terminal.press('Enter');
	await terminal.waitFor('Unlock the vault');
	terminal.type(passphrase);
	terminal.press('Enter');
	return terminal.waitFor('hush · 2 secrets');
}

async function quit(terminal: ShellTerminal): Promise<void> {
	terminal.type('q');
	await terminal.waitFor(screen => !screen.includes('hush · 2 secrets') && prompt.test(screen));
}

test('reveal.seconds and list.sort: the defaults, then what hush config set says', {timeout: 180_000}, async t => {
	const home = await seeded(t);
	const terminal = shell(t, home, {HUSH_PASSPHRASE: passphrase});
	await terminal.waitFor(prompt);
	terminal.type(hushCommand);
	terminal.press('Enter');
	let screen = await terminal.waitFor('hush · 2 secrets');
	assert.match(screen, /sort: name/);
	assert.match(screen, /› alpha/);
	terminal.press('r');
	screen = await terminal.waitFor(canary);
	assert.match(screen, /showing TOKEN for 5 s/);
	await terminal.waitFor(text => !text.includes(canary));
	await quit(terminal);

	// zulu is now the one used last (alpha was revealed above), so `used` puts it first.
	await hushOk(['get', 'zulu', 'TOKEN'], {home});
	await hushOk(['config', 'set', 'reveal.seconds', '2'], {home});
	await hushOk(['config', 'set', 'list.sort', 'used'], {home});
	terminal.type(hushCommand);
	terminal.press('Enter');
	screen = await terminal.waitFor('hush · 2 secrets');
	assert.match(screen, /sort: last used/);
	assert.match(screen, /› zulu/, 'the most recently used secret is selected first');
	terminal.press('r');
	screen = await terminal.waitFor('zulu-value');
	assert.match(screen, /showing TOKEN for 2 s/);
	await terminal.waitFor(text => !text.includes('zulu-value') && /TOKEN\s+•+/.test(text));
	await quit(terminal);
});

test('idle lock after a typed passphrase: the revealed value and the vault are dropped for the unlock screen, which unlocks again', {timeout: 180_000}, async t => {
	const home = await seeded(t);
	await hushOk(['config', 'set', 'tui.idleLockMinutes', '2'], {home, locked: true});
	await hushOk(['config', 'set', 'reveal.seconds', '300'], {home, locked: true});
	// Two "minutes" of 1.5 s: long enough to reveal first, short enough to wait for.
	const terminal = shell(t, home, {HUSH_TEST_MINUTE_MS: '1500'});
	await openTyped(terminal);
	terminal.press('r');
	await terminal.waitFor(canary);
	const screen = await terminal.waitFor('Unlock the vault');
	assert.match(screen, /locked after the idle time \(tui\.idleLockMinutes/);
	assert.ok(!screen.includes(canary), `the revealed value outlived the lock:\n${screen}`);
	assert.doesNotMatch(screen, /alpha|zulu/);

	terminal.type(passphrase);
	terminal.press('Enter');
	const reopened = await terminal.waitFor('hush · 2 secrets');
	assert.ok(!reopened.includes(canary), 'the value is masked again after unlocking');
	await quit(terminal);
});

test('idle lock with a session: hush quits, restores the shell and says why', {timeout: 180_000}, async t => {
	const home = await seeded(t);
	const session = await hushOk(['unlock', '--raw'], {home});
	await hushOk(['config', 'set', 'tui.idleLockMinutes', '1'], {home});
	const terminal = shell(t, home, {HUSH_SESSION: session.stdout, HUSH_TEST_MINUTE_MS: '1500'});
	await terminal.waitFor(prompt);
	terminal.type(hushCommand);
	terminal.press('Enter');
	await terminal.waitFor('hush · 2 secrets');
	const screen = await terminal.waitFor(/^hush: locked after 1 min without a key \(tui\.idleLockMinutes\)$/m);
	assert.doesNotMatch(screen, /hush · 2 secrets/);
	assert.equal(terminal.display('#{alternate_on}'), '0', 'back on the main screen');
	await terminal.waitFor(text => prompt.test(text.split('locked after')[1] ?? ''));
});

test('tui.idleLockMinutes 0 never locks, however short a minute is', {timeout: 180_000}, async t => {
	const home = await seeded(t);
	await hushOk(['config', 'set', 'tui.idleLockMinutes', '0'], {home, locked: true});
	await hushOk(['config', 'set', 'reveal.seconds', '1'], {home, locked: true});
	// A 1 ms minute: any lock at all would come long before the reveal below has masked itself.
	const terminal = shell(t, home, {HUSH_TEST_MINUTE_MS: '1'});
	await openTyped(terminal);
	terminal.press('r');
	await terminal.waitFor(canary);
	const screen = await terminal.waitFor(text => !text.includes(canary) && /TOKEN\s+•+/.test(text));
	assert.match(screen, /hush · 2 secrets/);
	assert.doesNotMatch(screen, /Unlock the vault/);
	await quit(terminal);
});
