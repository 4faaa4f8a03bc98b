import assert from 'node:assert/strict';
import {describe, test} from 'node:test';
import {cliPath, hush, hushOk, initHome, listJson, passphrase, tempHome} from './helpers/hush-cli.js';
import {TerminalSession, shellQuote} from './helpers/tmux.js';

/** Runs hush in a real terminal; the shell prints its exit status when it ends. */
function inTerminal(t: {after(fn: () => void): void}, home: string, args: string[], env: Record<string, string> = {}): TerminalSession {
	const command = [process.execPath, cliPath, ...args].map(shellQuote).join(' ');
	const session = TerminalSession.start(`${command}; echo "[exit $?]"; read _`, {env: {HUSH_HOME: home, ...env}});
	t.after(() => session.close());
	return session;
}

describe('prompts on a real terminal', () => {
	test('the passphrase prompt is hidden and unlocks', async t => {
		const home = await initHome(t);
		await hushOk(['create', 'visible-name', '--A=@@1'], {home});
		const session = inTerminal(t, home, ['list']);
		await session.waitFor('Vault passphrase:');
		session.type(passphrase);
		assert.ok(!session.screen().includes(passphrase), 'typed passphrase is not echoed');
		session.press('Enter');
		const screen = await session.waitFor('[exit 0]');
		assert.match(screen, /visible-name\s+public/);
		assert.ok(!screen.includes(passphrase));
	});

	test('-i asks for key names and hidden values until an empty name', async t => {
		const home = await initHome(t);
		const canary = 'typed-canary-value-71c4';
		const session = inTerminal(t, home, ['set', 'typed', '-i'], {HUSH_PASSPHRASE: passphrase});
		await session.waitFor('Key name (empty to finish):');
		session.type('9BAD');
		session.press('Enter');
		await session.waitFor('invalid key name "9BAD"');
		session.type('API_KEY');
		session.press('Enter');
		await session.waitFor('Value for API_KEY (hidden):');
		session.type(canary);
		assert.ok(!session.screen().includes(canary), 'the value is not echoed while typing');
		session.press('Enter');
		await session.waitFor(/Value for API_KEY \(hidden\):\s*\nKey name \(empty to finish\):/);
		session.press('Enter');
		const screen = await session.waitFor('[exit 0]');
		assert.match(screen, /Created public secret typed \(1 key\)/);
		assert.ok(!screen.includes(canary), 'the value never reached the screen');
		assert.equal((await hush(['get', 'typed', 'API_KEY'], {home})).stdout, canary);
	});

	test('delete asks for the name; a wrong answer deletes nothing', async t => {
		const home = await initHome(t);
		await hushOk(['create', 'precious', '--A=@@1'], {home});
		const refused = inTerminal(t, home, ['delete', 'precious'], {HUSH_PASSPHRASE: passphrase});
		await refused.waitFor('Type its name to confirm:');
		refused.type('precio');
		refused.press('Enter');
		assert.match(await refused.waitFor('[exit 1]'), /not deleted: the name did not match/);
		assert.deepEqual((await listJson(home)).map(secret => secret['name']), ['precious']);

		const confirmed = inTerminal(t, home, ['delete', 'precious'], {HUSH_PASSPHRASE: passphrase});
		await confirmed.waitFor('Type its name to confirm:');
		confirmed.type('precious');
		confirmed.press('Enter');
		assert.match(await confirmed.waitFor('[exit 0]'), /Deleted public secret precious/);
		assert.deepEqual(await listJson(home), []);
	});

	test('init asks for the passphrase twice and refuses a mismatch', async t => {
		const home = tempHome(t);
		const initWith = async (first: string, second: string) => {
			const session = inTerminal(t, home, ['init', '--kdf-memory', '19', '--kdf-passes', '2', '--kdf-parallelism', '1']);
			for (const [prompt, answer] of [['New passphrase:', first], ['New passphrase again:', second]] as const) {
				await session.waitFor(prompt);
				session.type(answer);
				session.press('Enter');
			}

			return session.waitFor(/\[exit \d+\]/);
		};

		assert.match(await initWith('first passphrase', 'other passphrase'), /did not match; nothing was changed\n\[exit 2\]/);
		const screen = await initWith('chosen passphrase', 'chosen passphrase');
		assert.match(screen, /Created an empty vault at .*\n\[exit 0\]/);
		assert.ok(!screen.includes('chosen passphrase'));
		assert.equal((await hush(['list', '--json'], {home, env: {HUSH_PASSPHRASE: 'chosen passphrase'}})).stdout, '[]\n');
	});

	test('Ctrl-C at a prompt cancels without writing', async t => {
		const home = await initHome(t);
		const session = inTerminal(t, home, ['set', 'never', '-i'], {HUSH_PASSPHRASE: passphrase});
		await session.waitFor('Key name (empty to finish):');
		session.press('C-c');
		assert.match(await session.waitFor('[exit 130]'), /hush: cancelled/);
		assert.deepEqual(await listJson(home), []);
	});
});
