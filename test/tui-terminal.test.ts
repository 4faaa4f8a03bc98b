/**
 * The built `hush` TUI in a real terminal (tmux): the whole journey, then the terminal checked as
 * the shell sees it. CI=false so Ink renders interactively. Waits are on screen content only.
 */
import assert from 'node:assert/strict';
import {execFileSync} from 'node:child_process';
import {resolve} from 'node:path';
import {test, type TestContext} from 'node:test';
import {cliPath, hush, hushOk, initHome, listJson, passphrase} from './helpers/hush-cli.js';
import {shellQuote} from './helpers/tmux.js';
import {ShellTerminal} from './helpers/tui-terminal.js';

/** The shell's prompt on a line of its own (dash shows '# ' to root, '$ ' to others; capture-pane drops the trailing space). */
const prompt = /^[#$] ?$/m;
const canary = 'canary-e2e-5Qm8v1x';
const envValue = 'env-e2e-Zr41';
const hushCommand = `${shellQuote(process.execPath)} ${shellQuote(cliPath)}`;

function shell(t: TestContext, home: string, env: Record<string, string> = {}): ShellTerminal {
	const terminal = ShellTerminal.start({
		env: {HUSH_HOME: home, HOME: process.env['HOME'] ?? '/root', PATH: process.env['PATH'] ?? '/usr/bin:/bin', CI: 'false', PS1: '$ ', TERM: 'xterm-256color', ...env},
	});
	t.after(() => terminal.close());
	return terminal;
}

/** After quitting: the shell's own screen is back, the cursor shows, and the line discipline is sane. */
async function assertShellRestored(terminal: ShellTerminal, before: string): Promise<void> {
	const screen = await terminal.waitFor(text => text.includes(before) && prompt.test(text) && !text.includes('╭'));
	assert.doesNotMatch(screen, /hush ·|unlocked|Unlock the vault/);
	assert.equal(terminal.display('#{alternate_on}'), '0', 'back on the main screen');
	assert.equal(terminal.display('#{cursor_flag}'), '1', 'cursor visible');
	// In raw mode Enter would not end the line; the shell would never run this.
	const modes = await terminal.run("stty -a | tr ' ;' '\\n\\n' | grep -x -e icanon -e -icanon -e echo -e -echo | tr '\\n' ' '; echo; echo stty-checked", 'stty-checked');
	assert.match(modes, /^icanon echo ?$/m);
}

test('the TUI end to end: unlock, create (typed + env), list masked, filter, reveal, delete, quit; vault checked with hush list --json', {timeout: 180_000}, async t => {
	const home = await initHome(t);
	for (const name of ['github', 'openai-creds']) {
		const run = await hush(['set', name, '--stdin', 'TOKEN'], {home, input: `${name}-value`});
		assert.equal(run.code, 0, run.stderr);
	}

	const terminal = shell(t, home, {HUSH_E2E_ENV: envValue});
	const captures: string[] = [];
	const step = async (expected: string | RegExp | ((screen: string) => boolean)) => {
		const screen = await terminal.waitFor(expected);
		assert.ok(!screen.includes(canary), `the canary is on screen outside a reveal:\n${screen}`);
		captures.push(screen);
		return screen;
	};

	await step(prompt);
	terminal.type(`echo shell-before-hush; ${hushCommand}`);
	terminal.press('Enter');
	await step('Unlock the vault');
	terminal.type(passphrase);
	await step('••••');
	terminal.press('Enter');
	await step('hush · 2 secrets');

	terminal.type('n');
	await step('New secret');
	terminal.type('e2e-secret');
	await step('Name          e2e-secret');
	for (let field = 0; field < 7; field++) {
		terminal.press('Tab');
	}

	await step(/› Key/);
	terminal.type('TYPED_KEY');
	terminal.press('Tab', 'Tab');
	await step(/›\s+value\s/);
	terminal.type(canary);
	await step(screen => /value\s+•{12}/.test(screen));
	terminal.press('C-n');
	await step(/› Key\s+│/);
	terminal.type('ENV_KEY');
	terminal.press('Tab', 'Right');
	await step('‹ environment variable ›');
	terminal.press('Tab');
	terminal.type('HUSH_E2E_ENV');
	await step('variable    HUSH_E2E_ENV');
	terminal.press('C-s');
	let screen = await step('created e2e-secret');
	assert.match(screen, /› e2e-secret\s+pub\s+generic\s+2\s+-\s+\d+s\s+local/);
	assert.match(screen, /TYPED_KEY\s+••••••••/);
	assert.match(screen, /ENV_KEY\s+••••••••/);
	assert.ok(!screen.includes(envValue));

	// The vault holds what the form said, seen from outside the TUI.
	const stored = (await listJson(home)).find(secret => secret['name'] === 'e2e-secret');
	assert.deepEqual(stored?.['keys'], ['TYPED_KEY', 'ENV_KEY']);
	assert.equal((await hush(['get', 'e2e-secret', 'TYPED_KEY'], {home})).stdout, canary);
	assert.equal((await hush(['get', 'e2e-secret', 'ENV_KEY'], {home})).stdout, envValue);

	terminal.type('/');
	await step('sort: name › /');
	terminal.type('e2esec');
	screen = await step('hush · 1 of 3');
	assert.match(screen, /› e2e-secret/);
	assert.doesNotMatch(screen, /github|openai-creds/);
	terminal.press('Enter');
	await step(screen => screen.includes('/ e2esec') && screen.includes('/ filter') === false && screen.includes('Enter keys'));

	// Reveal the typed value: the only time the canary may be on screen.
	terminal.press('r');
	const revealed = await terminal.waitFor(canary);
	assert.match(revealed, new RegExp(`TYPED_KEY\\s+${canary}`));
	assert.ok(!revealed.includes(envValue), 'only the selected value is revealed');
	await step(screen => !screen.includes(canary) && /TYPED_KEY\s+••••••••/.test(screen));

	terminal.press('d');
	await step('Delete e2e-secret?');
	terminal.type('e2e-secret');
	await step('Name e2e-secret');
	terminal.press('Enter');
	screen = await step('deleted e2e-secret');
	assert.match(screen, /hush · 0 of 2|nothing matches/);

	terminal.press('q');
	await assertShellRestored(terminal, 'shell-before-hush');
	captures.push(terminal.screen());
	assert.ok(captures.every(capture => !capture.includes(canary)));

	const names = (await listJson(home)).map(secret => secret['name']);
	assert.deepEqual(names, ['github', 'openai-creds']);
});

test('copy in tmux (set-clipboard on): the value reaches the paste buffer, and after the clear no buffer holds it', {timeout: 120_000}, async t => {
	const home = await initHome(t);
	const value = 'clip-canary-Hq7z2';
	await hushOk(['set', 'github', '--stdin', 'GITHUB_TOKEN'], {home, input: value});
	// No DISPLAY or WAYLAND_DISPLAY: no native clipboard tool, so hush copies with OSC 52, which tmux turns into a paste buffer.
	const terminal = shell(t, home, {HUSH_PASSPHRASE: passphrase, DISPLAY: '', WAYLAND_DISPLAY: ''});
	terminal.tmux(['set-option', '-g', 'set-clipboard', 'on']);
	const buffers = () => terminal.tmux(['list-buffers', '-F', '#{buffer_name}']).split('\n').filter(Boolean).map(name => terminal.tmux(['show-buffer', '-b', name]));
	await terminal.waitFor(prompt);
	terminal.type(hushCommand);
	terminal.press('Enter');
	await terminal.waitFor('› github');
	terminal.press('c');
	await terminal.waitFor("sent GITHUB_TOKEN to the terminal's clipboard for 30 s");
	await waitUntil(() => buffers().includes(value), 'the copy to reach a tmux buffer');
	assert.equal(terminal.tmux(['show-buffer']), value);

	// Quitting before the 30 s are up clears it too: the same path as the timer.
	terminal.press('q');
	await terminal.waitFor(screen => prompt.test(screen) && !screen.includes('╭'));
	await waitUntil(() => terminal.tmux(['show-buffer']) === ' ', 'a blank on top of the paste buffers');
	assert.ok(!buffers().includes(value), `a tmux buffer still holds the value: ${JSON.stringify(buffers())}`);
});

async function waitUntil(condition: () => boolean, what: string, timeoutMs = 20_000): Promise<void> {
	const deadline = Date.now() + timeoutMs;
	while (!condition()) {
		if (Date.now() > deadline) {
			throw new Error(`timed out waiting for ${what}`);
		}

		await new Promise(resolve => setTimeout(resolve, 25));
	}
}

test('the terminal is restored after Ctrl-C and after SIGTERM', {timeout: 120_000}, async t => {
	const home = await initHome(t);
	const terminal = shell(t, home);
	await terminal.waitFor(prompt);
	terminal.type(`echo before-ctrl-c; ${hushCommand}`);
	terminal.press('Enter');
	await terminal.waitFor('Unlock the vault');
	terminal.press('C-c');
	await assertShellRestored(terminal, 'before-ctrl-c');

	terminal.type(`clear; echo before-sigterm; HUSH_PASSPHRASE=${shellQuote(passphrase)} ${hushCommand}; echo "hush-exit-$?"`);
	terminal.press('Enter');
	await terminal.waitFor('no secrets yet');
	const shellPid = terminal.display('#{pane_pid}');
	const hushPid = execFileSync('ps', ['-o', 'pid=', '--ppid', shellPid], {encoding: 'utf8'}).trim();
	assert.match(hushPid, /^\d+$/);
	process.kill(Number(hushPid), 'SIGTERM');
	await terminal.waitFor('hush-exit-143');
	await assertShellRestored(terminal, 'before-sigterm');
});

// Ink colours through chalk, which turns colour off whenever CI is set (even CI=false, which these
// tests need for Ink's interactive mode), so FORCE_COLOR puts it back; NO_COLOR must still win.
test('colours in a real terminal, none at all with NO_COLOR', {timeout: 120_000}, async t => {
	const home = await initHome(t);
	// A foreground colour (30–37, 90–97, 38;…); 39 only resets to the default.
	const sgrColour = /\u001B\[(?:\d+;)*(?:3[0-7]|9[0-7]|38)(?:;\d+)*m/;
	for (const [noColor, expectColour] of [['', true], ['1', false]] as const) {
		const terminal = shell(t, home, {HUSH_PASSPHRASE: passphrase, FORCE_COLOR: '1', ...(noColor ? {NO_COLOR: noColor} : {})});
		await terminal.waitFor(prompt);
		terminal.type(hushCommand);
		terminal.press('Enter');
		await terminal.waitFor('no secrets yet');
		const coloured = terminal.screen({colours: true});
		assert.equal(sgrColour.test(coloured), expectColour, `NO_COLOR=${noColor || '(unset)'}:\n${JSON.stringify(coloured.slice(0, 400))}`);
		terminal.press('q');
		await terminal.waitFor(prompt);
	}
});

test('the terminal is restored after an uncaught error, thrown from a key handler or while rendering', {timeout: 120_000}, async t => {
	const home = await initHome(t);
	const terminal = shell(t, home);
	await terminal.waitFor(prompt);
	const fixture = `${shellQuote(process.execPath)} --import tsx ${shellQuote(resolve('test/fixtures/tui-crash.tsx'))}`;
	for (const key of ['t', 'r']) {
		const errors = shellQuote(resolve(home, 'crash.err'));
		terminal.type(`clear; echo before-crash-${key}; ${fixture} 2>${errors}; echo "crash-exit-$?"; cat ${errors}`);
		terminal.press('Enter');
		await terminal.waitFor('fragile app ready');
		assert.equal(terminal.display('#{alternate_on}'), '1');
		terminal.type(key);
		// The status line comes first, then `cat` prints the error: wait for both, in that order.
		const screen = await terminal.waitFor(/^crash-exit-1\nhush: unexpected error in the TUI: /m);
		assert.match(screen, /^hush: unexpected error in the TUI: thrown (from a key handler|while rendering)/m);
		await assertShellRestored(terminal, `before-crash-${key}`);
	}
});
