/**
 * Sync in the TUI end to end: a real `hush serve` on 127.0.0.1, two client homes with the same key
 * edited on both, and the built `hush` TUI in a real terminal (tmux, CI=false) on the second one.
 * Waits are on screen content only; every capture is checked for both values.
 */
import assert from 'node:assert/strict';
import {test} from 'node:test';
import {cliPath, listJson, passphrase} from './helpers/hush-cli.js';
import {conflictOnB, ok} from './helpers/sync-conflict.js';
import {shellQuote} from './helpers/tmux.js';
import {ShellTerminal, shellEnv} from './helpers/tui-terminal.js';

const prompt = /^[#$] ?$/m;
const canaries = {a: 'canary-tmux-a-R4nd', b: 'canary-tmux-b-W9qe'};

test('the TUI syncs into a conflict, shows it masked, resolves it (all local), syncs again; the vaults agree', {timeout: 240_000}, async t => {
	const setup = await conflictOnB(t, canaries);
	// Colours forced on (CI=false turns chalk off), and NO_COLOR must still win: the conflict view is checked for it.
	const terminal = ShellTerminal.start({env: shellEnv(setup.b, passphrase, {FORCE_COLOR: '1', NO_COLOR: '1'})});
	t.after(() => terminal.close());
	const step = async (expected: string | RegExp | ((screen: string) => boolean), timeoutMs = 60_000) => {
		const screen = await terminal.waitFor(expected, timeoutMs);
		for (const canary of Object.values(canaries)) {
			assert.ok(!screen.includes(canary), `a value is on screen:\n${screen}`);
		}

		return screen;
	};

	await step(prompt);
	terminal.type(`echo before-hush; ${shellQuote(process.execPath)} ${shellQuote(cliPath)}`);
	terminal.press('Enter');
	await step('hush · 2 secrets');
	await step(/› db .*pending/);

	terminal.type('s');
	let screen = await step('1 conflict (x to resolve)');
	assert.match(screen, /› db .*conflict/);
	assert.match(screen, / other .*synced/);
	// The count in the header and the status bar, and ] jumps back to the conflict from elsewhere.
	assert.match(screen, /hush · 2 secrets · 1 conflict · sort: name/);
	assert.match(screen, /^ 1 conflict: \] \[ jump · unlocked/m);
	terminal.type('j');
	await step(/› other .*synced/);
	terminal.type(']');
	await step(/› db .*conflict/);

	terminal.type('x');
	screen = await step('Conflict: db');
	assert.match(screen, new RegExp(`key PASS\\s+${canaries.b.length} B · #[0-9a-f]{8}\\s+${canaries.a.length} B · #[0-9a-f]{8}`));
	assert.match(screen, /description\s+from B\s+from A/);
	assert.doesNotMatch(terminal.screen({colours: true}), /\u001B\[(?:\d+;)*(?:3[0-7]|9[0-7]|38)(?:;\d+)*m/, 'no colour with NO_COLOR');
	terminal.type('L');
	await step(/▶ from B/);
	terminal.press('Enter');
	screen = await step('resolved db: press s to sync it');
	assert.match(screen, /› db .*pending/);
	assert.match(screen, /hush · 2 secrets · sort: name/, 'no conflict left to count');
	terminal.type(']');
	await step('no conflicts');

	terminal.type('s');
	screen = await step(/synced: pulled \d+, pushed 1/);
	assert.match(screen, /› db .*synced/);

	terminal.type('q');
	await step(text => text.includes('before-hush') && prompt.test(text) && !text.includes('╭'));
	assert.equal(terminal.display('#{alternate_on}'), '0', 'back on the main screen');

	// The vault, seen from outside the TUI: B kept its own side, and A gets it on its next sync.
	const listed = await listJson(setup.b);
	assert.deepEqual(listed.map(secret => [secret['name'], secret['description']]), [['db', 'from B'], ['other', '']]);
	assert.equal(await ok(['get', 'db', 'PASS'], setup.b), canaries.b);
	assert.equal((JSON.parse(await ok(['conflicts', '--json'], setup.b)) as unknown[]).length, 0);
	await ok(['sync'], setup.a);
	assert.equal(await ok(['get', 'db', 'PASS'], setup.a), canaries.b);
});
