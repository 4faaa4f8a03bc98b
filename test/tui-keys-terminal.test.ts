/**
 * Keys that arrive together, in a real terminal (tmux): several keys in ONE write (as key repeat,
 * a slow link or `send-keys` deliver them) each count, escape sequences among them stay whole, a
 * bracketed paste is text for a field and never a command, and the filter ranks as it should.
 */
import assert from 'node:assert/strict';
import {test, type TestContext} from 'node:test';
import {cliPath, hushOk, initHome, passphrase} from './helpers/hush-cli.js';
import {shellQuote} from './helpers/tmux.js';
import {ShellTerminal} from './helpers/tui-terminal.js';

const hushCommand = `${shellQuote(process.execPath)} ${shellQuote(cliPath)}`;
const numbered = Array.from({length: 12}, (_, index) => `a${String(index + 1).padStart(2, '0')}`);
const stripes = ['b-stripe', 'stripe', 'stripe-prod', 'xstripe'];

/** The name on the selected row (the one marked ›) of the list. */
function selectedName(screen: string): string | undefined {
	return /│› (\S+)/.exec(screen)?.[1];
}

/** The names in the list, top to bottom. */
function listedNames(screen: string): string[] {
	return [...screen.matchAll(/│[› ] ([a-z][\w-]*) +(?:pub|priv)/g)].map(match => match[1]!);
}

async function openTui(t: TestContext): Promise<ShellTerminal> {
	const home = await initHome(t);
	for (const name of [...numbered, ...stripes]) {
		await hushOk(['set', name, '--stdin', 'TOKEN'], {home, input: `${name}-value`});
	}

	const terminal = ShellTerminal.start({
		env: {HUSH_HOME: home, HOME: process.env['HOME'] ?? '/root', PATH: process.env['PATH'] ?? '/usr/bin:/bin', CI: 'false', PS1: '$ ', TERM: 'xterm-256color'},
	});
	t.after(() => terminal.close());
	await terminal.waitFor(/^[#$] ?$/m);
	terminal.type(hushCommand);
	terminal.press('Enter');
	await terminal.waitFor('Unlock the vault');
	terminal.type(passphrase);
	terminal.press('Enter');
	await terminal.waitFor('hush · 16 secrets');
	return terminal;
}

test('five j in one write move five rows; jjjk moves two; arrows in the same write count once each', {timeout: 180_000}, async t => {
	const terminal = await openTui(t);
	assert.equal(selectedName(terminal.screen()), 'a01');

	terminal.type('jjjjj');
	await terminal.waitFor(screen => selectedName(screen) === 'a06');

	terminal.type('jjjk');
	await terminal.waitFor(screen => selectedName(screen) === 'a08');

	// Two Down arrows and a j, one write: three rows, each escape sequence one key.
	terminal.type('\u001B[B\u001B[Bj');
	await terminal.waitFor(screen => selectedName(screen) === 'a11');
	terminal.type('kkk');
	const screen = await terminal.waitFor(text => selectedName(text) === 'a08');
	assert.match(screen, /hush · 16 secrets/, 'no key was taken as text anywhere');
});

test('a bracketed paste is never a command in the list and is text in the filter; the filter ranks exact and prefix first', {timeout: 180_000}, async t => {
	const terminal = await openTui(t);
	const paste = (text: string) => {
		terminal.tmux(['set-buffer', '--', text]);
		terminal.tmux(['paste-buffer', '-p', '-t', 'main']);
	};

	// Pasted "dq" in the list: no delete prompt, no quit. The j after it still moves the list.
	paste('dq');
	terminal.type('j');
	let screen = await terminal.waitFor(text => selectedName(text) === 'a02');
	assert.doesNotMatch(screen, /Delete a0/);

	terminal.type('/');
	await terminal.waitFor('sort: name › /');
	paste('stripe');
	screen = await terminal.waitFor('hush · 4 of 16');
	assert.deepEqual(listedNames(screen), ['stripe', 'stripe-prod', 'b-stripe', 'xstripe']);

	// Typed in one write, the query gets every character and ranks the same.
	terminal.press('C-u');
	await terminal.waitFor('hush · 16 secrets');
	terminal.type('strip');
	screen = await terminal.waitFor('hush · 4 of 16');
	assert.match(screen, /› \/ strip\b/);
	assert.deepEqual(listedNames(screen), ['stripe', 'stripe-prod', 'b-stripe', 'xstripe']);
});

test('at 80×24: expiry in the detail pane, a long delete prompt wrapped inside its frame, a long form says ↓ more and asks before dropping', {timeout: 120_000}, async t => {
	const home = await initHome(t);
	const long = 'an-extremely-long-secret-name-that-goes-on-and-on-for-quite-a-while-really';
	await hushOk(['set', long, '--stdin', 'TOKEN', '--expires', '30d'], {home, input: 'value'});
	const terminal = ShellTerminal.start({
		env: {HUSH_HOME: home, HUSH_PASSPHRASE: passphrase, HOME: process.env['HOME'] ?? '/root', PATH: process.env['PATH'] ?? '/usr/bin:/bin', CI: 'false', PS1: '$ ', TERM: 'xterm-256color'},
	});
	t.after(() => terminal.close());
	await terminal.waitFor(/^[#$] ?$/m);
	terminal.type(hushCommand);
	terminal.press('Enter');
	let screen = await terminal.waitFor('hush · 1 secret ·');
	assert.match(screen, /│ expires \d{4}-\d{2}-\d{2} · in (29|30)d +│/);
	const fits = (text: string) => text.split('\n').every(line => [...line].length <= 80);

	terminal.type('d');
	terminal.type('wrong');
	terminal.press('Enter');
	screen = await terminal.waitFor('exactly, or press Esc to keep it');
	assert.ok(fits(screen), screen);
	// The whole name is there, on its own line of the question, and so are the field and the keys.
	assert.match(screen, new RegExp(`│ ${long}\\? +│`));
	assert.match(screen, /│ Its values are gone for good\. Type its name to confirm\. +│/);
	assert.match(screen, /│› Name wrong +│/);
	assert.match(screen, /│ Enter deletes · Esc keeps it +│/);
	terminal.press('Escape');
	await terminal.waitFor(text => !text.includes('Delete'));

	terminal.type('n');
	await terminal.waitFor('New secret');
	terminal.type('x');
	terminal.press('C-n');
	terminal.press('C-n');
	terminal.press('C-n');
	screen = await terminal.waitFor('↓ more');
	assert.doesNotMatch(screen, /\[ Save \]/, 'Save is below the window, and the title says so');
	terminal.press('Escape');
	await terminal.waitFor('discard changes? y/n');
	terminal.type('y');
	screen = await terminal.waitFor('nothing saved');
	assert.ok(fits(screen), screen);
});
