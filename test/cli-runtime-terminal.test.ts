/** check -i and run in a real terminal: hidden prompts fill gaps; Ctrl-C reaches the child run starts. */
import assert from 'node:assert/strict';
import {describe, test} from 'node:test';
import {cliPath, hush, hushOk, initHome, passphrase} from './helpers/hush-cli.js';
import {TerminalSession, shellQuote} from './helpers/tmux.js';

describe('hush check -i on a terminal', () => {
	test('offers each missing key with a hidden prompt, creates what is typed, skips what is left empty', async t => {
		const home = await initHome(t);
		await hushOk(['set', 'db', '--USER=@@admin'], {home});
		const canary = 'typed-db-password-c41d';
		const command = [process.execPath, cliPath, 'check', '-i', 'db.USER', 'db.PASSWORD', 'newapp.TOKEN'].map(shellQuote).join(' ');
		const session = TerminalSession.start(`${command}; echo "[exit $?]"; read _`, {env: {HUSH_HOME: home, HUSH_PASSPHRASE: passphrase}});
		t.after(() => session.close());
		await session.waitFor('Value for db.PASSWORD (hidden, empty to skip):');
		session.type(canary);
		session.press('Enter');
		await session.waitFor('Value for newapp.TOKEN (hidden, empty to skip):');
		session.press('Enter');
		const screen = await session.waitFor('[exit 1]');
		assert.ok(!screen.includes(canary), 'the typed value is never echoed');
		assert.match(screen, /added PASSWORD to db/);
		assert.match(screen, /skipped newapp\.TOKEN/);
		assert.match(screen, /present {2}db\.PASSWORD/);
		assert.match(screen, /missing {2}newapp\.TOKEN/);
		assert.equal((await hush(['get', 'db', 'PASSWORD'], {home})).stdout, canary);
	});
});

describe('hush run on a terminal', () => {
	for (const masking of [[], ['--no-masking']]) {
		test(`Ctrl-C reaches the child and its exit status comes back${masking.length > 0 ? ' (--no-masking)' : ''}`, async t => {
			const home = await initHome(t);
			await hushOk(['set', 'app', '--KEY=@@terminal-value-93'], {home});
			const script = 'process.on("SIGINT", () => { console.log("child got SIGINT, KEY=" + process.env.KEY); process.exit(130); }); console.log("ready, tty=" + Boolean(process.stdout.isTTY)); setInterval(() => {}, 1000);';
			const command = [process.execPath, cliPath, 'run', '--secret', 'app', ...masking, '--', process.execPath, '-e', script].map(shellQuote).join(' ');
			const session = TerminalSession.start(`${command}; echo "[exit $?]"; read _`, {env: {HUSH_HOME: home, HUSH_PASSPHRASE: passphrase}});
			t.after(() => session.close());
			await session.waitFor(`ready, tty=${masking.length > 0}`);
			session.press('C-c');
			const screen = await session.waitFor('[exit 130]');
			assert.match(screen, masking.length > 0 ? /child got SIGINT, KEY=@terminal-value-93/ : /child got SIGINT, KEY=\*\*\*/);
		});
	}
});

describe('hush run after a passphrase prompt', () => {
	test('the child gets the terminal’s input once hush has asked for the passphrase', async t => {
		const home = await initHome(t);
		await hushOk(['set', 'app', '--KEY=@@prompted-value-55'], {home});
		const script = 'process.stdin.once("data", d => { console.log("child read " + String(d).trim() + ", KEY=" + process.env.KEY); process.exit(0); }); console.log("child waiting");';
		const command = [process.execPath, cliPath, 'run', '--secret', 'app', '--no-masking', '--', process.execPath, '-e', script].map(shellQuote).join(' ');
		const session = TerminalSession.start(`${command}; echo "[exit $?]"; read _`, {env: {HUSH_HOME: home}});
		t.after(() => session.close());
		await session.waitFor('Vault passphrase:');
		session.type(passphrase);
		session.press('Enter');
		await session.waitFor('child waiting');
		session.type('hello');
		session.press('Enter');
		const screen = await session.waitFor('[exit 0]');
		assert.match(screen, /child read hello, KEY=@prompted-value-55/);
		assert.ok(!screen.includes(passphrase));
	});
});
