/**
 * The progressive list in a real terminal (tmux): a vault of three metadata pages, read one page
 * per HUSH_TEST_PAGE_PAUSE_MS so the half-loaded screen can be seen. Names are on screen with
 * "loading" before the rest arrive, a filter typed meanwhile says it is over what has loaded,
 * and it finds the secret of the last page once that page is in; then the full count.
 */
import assert from 'node:assert/strict';
import {test, type TestContext} from 'node:test';
import {cliPath} from './helpers/hush-cli.js';
import {TerminalSession, shellQuote} from './helpers/tmux.js';
import {makeHome, newVault, passphrase} from './helpers/vault-fixtures.js';

const count = 700;
const lastName = 'omega-last-page';

/** hush's TUI on `home` in tmux, 1.5 s between metadata pages so the loading states can be seen. */
function slowPagesTui(t: TestContext, home: string): TerminalSession {
	const terminal = TerminalSession.start(`${shellQuote(process.execPath)} ${shellQuote(cliPath)}`, {
		env: {HUSH_HOME: home, HUSH_PASSPHRASE: passphrase, CI: 'false', TERM: 'xterm-256color', HUSH_TEST_PAGE_PAUSE_MS: '1500'},
		width: 120,
		height: 30,
	});
	t.after(() => terminal.close());
	return terminal;
}

test('the list in tmux: first names while loading, a filter during the load finds a secret of the last page, then the full count', {timeout: 120_000}, async t => {
	const home = makeHome(t);
	const vault = await newVault(home);
	// Created last, so its row is on the last page (pages are slices of rowids).
	const entries = Array.from({length: count - 1}, (_, index) => ({name: `bulk-${String(index).padStart(4, '0')}`, values: {VALUE: 'v'}}));
	vault.createSecrets([...entries, {name: lastName, values: {VALUE: 'v'}}]);
	vault.close();

	const terminal = slowPagesTui(t, home);

	// The first page is drawn while the other two are still to be read.
	// Waiting through to the status bar, so a frame tmux caught half-drawn is not read as the whole screen.
	const first = await terminal.waitFor(/│› bulk-\d{4}[\s\S]*(loading \d+\/700…|unlocked · 700 secrets)/);
	const loaded = /hush · (\d+) of 700 secrets/.exec(first);
	assert.ok(loaded, `the title says how many of how many are in:\n${first}`);
	assert.ok(Number(loaded[1]) < count);
	assert.match(first, new RegExp(`loading ${loaded[1]}/700…`), 'the status bar says it is loading');
	assert.ok(!first.includes(lastName));

	// A filter typed during the load: over what has loaded, and saying so.
	terminal.type('/');
	terminal.type('omega');
	const during = await terminal.waitFor(/hush · 0 of \d+ so far/);
	assert.match(during, /nothing matches yet: still loading/);

	// The last page arrives: the filter finds its secret, and the counts are whole.
	const found = await terminal.waitFor('hush · 1 of 700 ·');
	assert.match(found, new RegExp(`› ${lastName}`));
	assert.doesNotMatch(found, /loading|so far/);
	assert.match(found, /unlocked · 700 secrets/);

	terminal.press('Escape');
	const full = await terminal.waitFor('hush · 700 secrets');
	assert.match(full, /│› bulk-0000/, 'the top of the whole list by name');
	terminal.press('q');
});

test('the list in tmux: the cursor stays on the secret the user chose while the rest of the list arrives', {timeout: 120_000}, async t => {
	const home = makeHome(t);
	const vault = await newVault(home);
	// Names by page: the first page holds the middle of the alphabet, later pages sort before and after it.
	const names = [
		...Array.from({length: 255}, (_, index) => `m-${String(index).padStart(3, '0')}`),
		...Array.from({length: 256}, (_, index) => `a-${String(index).padStart(3, '0')}`),
		...Array.from({length: 100}, (_, index) => `z-${String(index).padStart(3, '0')}`),
	];
	vault.createSecrets(names.map(name => ({name, values: {VALUE: 'v'}})));
	vault.close();

	const terminal = slowPagesTui(t, home);

	await terminal.waitFor(/│› m-000/);
	terminal.press('Down', 'Down', 'Down');
	const chosen = await terminal.waitFor(/│› m-003[\s\S]*(loading \d+\/611…|unlocked · 611 secrets)/);
	assert.match(chosen, /loading/, 'chosen before the rest arrived');
	// The a-… page sorts before it: the row moves down, the cursor goes with it.
	const after = await terminal.waitFor('hush · 611 secrets');
	assert.match(after, /│› m-003/);
	assert.match(after, /│ m-003 \(public\)/, 'the detail pane still shows the chosen secret');
	assert.doesNotMatch(after, /│› a-/);
});
