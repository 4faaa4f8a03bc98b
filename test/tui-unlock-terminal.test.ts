/**
 * The TUI goes through the same unlock chain as every command: in a real terminal (tmux), `hush`
 * with only a session, or only a remembered device in the OS keychain, opens straight to the list
 * without asking for the passphrase. CI=false so Ink renders interactively; waits are on screen
 * content only.
 */
import assert from 'node:assert/strict';
import {after, before, describe, test, type TestContext} from 'node:test';
import {cliPath, hush, initHome} from './helpers/hush-cli.js';
import {type SecretService, startSecretService} from './helpers/secret-service.js';
import {shellQuote} from './helpers/tmux.js';
import {ShellTerminal} from './helpers/tui-terminal.js';

const hushCommand = `${shellQuote(process.execPath)} ${shellQuote(cliPath)}`;

function shell(t: TestContext, home: string, env: Record<string, string>): ShellTerminal {
	// No HUSH_PASSPHRASE here: only what the test hands in can unlock.
	const terminal = ShellTerminal.start({
		env: {HUSH_HOME: home, HOME: process.env['HOME'] ?? '/root', PATH: process.env['PATH'] ?? '/usr/bin:/bin', CI: 'false', PS1: '$ ', TERM: 'xterm-256color', ...env},
	});
	t.after(() => terminal.close());
	return terminal;
}

async function seed(home: string, env: Record<string, string> = {}): Promise<void> {
	for (const name of ['alpha-token', 'beta-creds']) {
		const run = await hush(['set', name, '--stdin', 'TOKEN'], {home, input: `${name}-value`, env});
		assert.equal(run.code, 0, run.stderr);
	}
}

/** Starts `hush` and waits for the list; fails if the unlock screen shows first. */
async function opensStraightToList(terminal: ShellTerminal): Promise<string> {
	await terminal.waitFor(/^[#$] ?$/m);
	terminal.type(hushCommand);
	terminal.press('Enter');
	const screen = await terminal.waitFor(text => text.includes('hush · 2 secrets') || text.includes('Unlock the vault'));
	assert.doesNotMatch(screen, /Unlock the vault/, `the TUI asked for the passphrase:\n${screen}`);
	assert.match(screen, /alpha-token/);
	assert.match(screen, /beta-creds/);
	return screen;
}

test('with only HUSH_SESSION set, hush opens straight to the list; an ended session shows the unlock screen saying so', {timeout: 120_000}, async t => {
	const home = await initHome(t);
	await seed(home);
	const started = await hush(['unlock', '--raw'], {home});
	assert.equal(started.code, 0, started.stderr);

	const terminal = shell(t, home, {HUSH_SESSION: started.stdout});
	await opensStraightToList(terminal);
	terminal.type('q');
	await terminal.waitFor(text => !text.includes('hush · 2 secrets'));

	assert.equal((await hush(['lock'], {home, locked: true})).code, 0);
	terminal.type(hushCommand);
	terminal.press('Enter');
	const screen = await terminal.waitFor('Unlock the vault');
	assert.match(screen, /HUSH_SESSION has ended/);
});

describe('with a remembered device in the OS keychain', () => {
	let keyring: SecretService;
	before(async () => {
		keyring = await startSecretService();
	});
	after(async () => {
		await keyring?.stop();
	});

	test('hush opens straight to the list, with no passphrase anywhere in its environment', {timeout: 120_000}, async t => {
		const home = await initHome(t);
		await seed(home);
		const remember = await hush(['unlock', '--remember'], {home, env: keyring.env});
		assert.equal(remember.code, 0, remember.stderr);

		const terminal = shell(t, home, keyring.env);
		await opensStraightToList(terminal);
	});
});
