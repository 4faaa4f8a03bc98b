/**
 * Playing the attacker against the TUI in a real terminal (tmux): a record planted with OSC 52,
 * OSC 8, C1 and bidi controls in its name, key, description, integration and createdBy is drawn
 * as visible escapes. The capture with colours (capture-pane -e) holds the TUI's own colour codes
 * but none of the planted sequences, and with set-clipboard on, tmux got no clipboard write.
 * CI=false so Ink renders interactively, FORCE_COLOR=1 so chalk still colours. Waits are on screen content only.
 */
import assert from 'node:assert/strict';
import {test, type TestContext} from 'node:test';
import {cliPath, initHome, passphrase} from './helpers/hush-cli.js';
import {plant} from './helpers/planted.js';
import {shellQuote} from './helpers/tmux.js';
import {ShellTerminal} from './helpers/tui-terminal.js';

const prompt = /^[#$] ?$/m;
const hushCommand = `${shellQuote(process.execPath)} ${shellQuote(cliPath)}`;

function shell(t: TestContext, home: string): ShellTerminal {
	const terminal = ShellTerminal.start({
		width: 220,
		height: 30,
		env: {HUSH_HOME: home, HUSH_PASSPHRASE: passphrase, HOME: process.env['HOME'] ?? '/root', PATH: process.env['PATH'] ?? '/usr/bin:/bin', CI: 'false', FORCE_COLOR: '1', PS1: '$ ', TERM: 'xterm-256color'},
	});
	t.after(() => terminal.close());
	return terminal;
}

/** Planted sequences as a terminal would receive them: OSC (ESC ]), its BEL terminator, C1, bidi. */
const plantedRaw = /\u001b\]|\u0007|[\u0080-\u009f]|[\u202a-\u202e\u2066-\u2069]/;

function assertNothingPlantedRaw(terminal: ShellTerminal, where: string): string {
	const coloured = terminal.screen({colours: true});
	const found = plantedRaw.exec(coloured);
	assert.equal(found, null, `${where}: a planted control character reached the terminal raw:\n${JSON.stringify(coloured)}`);
	// The TUI's own colour codes do reach it: this is a capture with escapes, not a plain one.
	assert.match(coloured, /\u001b\[[\d;]*m/, `${where}: expected the TUI's own SGR codes in the capture`);
	return coloured;
}

test('the TUI draws planted OSC 52, OSC 8, C1 and bidi controls as visible escapes, never raw', {timeout: 180_000}, async t => {
	const home = await initHome(t);
	await plant(home);
	const terminal = shell(t, home);
	// With set-clipboard on, an OSC 52 reaching tmux would become a paste buffer.
	terminal.tmux(['set-option', '-s', 'set-clipboard', 'on']);
	await terminal.waitFor(prompt);
	terminal.type(hushCommand);
	terminal.press('Enter');

	// The list row and the detail pane: name, integration, description, createdBy, key.
	let screen = await terminal.waitFor(text => text.includes('hush · 1 secret') && text.includes('by mallory\\x1b]52;c;cHduZWQ=\\x07'));
	assert.match(screen, /› evil\\x1b\]52;c;cHduZWQ=\\x07/);
	assert.match(screen, /integration int\\x1b\]8;;https:\/\/evil\.example\/\\x1b\\click/);
	assert.match(screen, /desc \\x1b\]52;c;cHduZWQ=\\x07 \\x1b\]8;;https:\/\/evil\.example\//);
	assert.match(screen, /KEY\\x1b\]8;;https:\/\/evil\.example\//);
	assertNothingPlantedRaw(terminal, 'list and detail pane');

	// The edit form opens with the planted description and integration in its text fields.
	terminal.type('e');
	screen = await terminal.waitFor(text => text.includes('Edit evil\\x1b]52') && text.includes('Description'));
	assert.match(screen, /Integration +int\\x1b\]8;;https:\/\/evil\.example\//);
	assertNothingPlantedRaw(terminal, 'edit form');
	terminal.press('Escape');
	await terminal.waitFor(text => text.includes('hush · 1 secret') && !text.includes('Edit evil'));

	terminal.type('q');
	await terminal.waitFor(text => prompt.test(text) && !text.includes('╭'));
	assert.equal(terminal.tmux(['list-buffers']).trim(), '', 'no clipboard write reached tmux');
});
