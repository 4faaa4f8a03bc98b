/**
 * The members view in a real terminal (tmux) over a real `hush serve`: alice (admin) founded team
 * platform and brought bob in as write through the CLI; in the TUI she opens `m`, sees bob's
 * fingerprint digits as bob's own hush whoami shows them, changes his role, then removes him after
 * the confirmation. Each result is checked through the CLI (hush team members --json), not the screen.
 */
import assert from 'node:assert/strict';
import {test} from 'node:test';
import {cliPath, hushOk, passphrase} from './helpers/hush-cli.js';
import {foundTeam} from './helpers/team.js';
import {asOk, bringIn} from './helpers/team-invite.js';
import {shellQuote} from './helpers/tmux.js';
import {ShellTerminal, shellEnv} from './helpers/tui-terminal.js';

const prompt = /^[#$] ?$/m;
const canary = 'canary-members-Qx7v';

/** The screen's text with borders and line breaks gone, so a wrapped sentence reads as one. */
const flat = (screen: string) => screen.replaceAll(/[│╭╮╰╯─]/g, ' ').replaceAll(/\s+/g, ' ');

type MembersJson = {role: string; members: Array<{name: string; role: string; fingerprintDigits: string}>};

test('the members view: alice sees bob’s fingerprint, changes his role, removes him after the confirmation', {timeout: 240_000}, async t => {
	const team = await foundTeam(t);
	await hushOk(['set', 'github', `--TOKEN=${canary}`], {home: team.home});
	await hushOk(['sync'], {home: team.home});
	const bob = await bringIn(t, team.home, 'bob', 'write');
	const bobDigits = (JSON.parse((await asOk(bob, ['whoami', '--json'])).stdout) as {fingerprint: string}).fingerprint;
	const members = async () => JSON.parse((await hushOk(['team', 'members', '--json'], {home: team.home})).stdout) as MembersJson;

	const terminal = ShellTerminal.start({env: shellEnv(team.home, passphrase)});
	t.after(() => terminal.close());
	const step = async (expected: string | RegExp | ((screen: string) => boolean)) => {
		const screen = await terminal.waitFor(expected, 60_000);
		assert.ok(!screen.includes(canary), `a value is on screen:\n${screen}`);
		return screen;
	};

	await step(prompt);
	terminal.type(`echo before-hush; ${shellQuote(process.execPath)} ${shellQuote(cliPath)}`);
	terminal.press('Enter');
	await step('hush · 1 secret');

	terminal.type('m');
	let screen = await step(bobDigits);
	assert.match(screen, /team platform · you are admin/);
	assert.match(screen, /^ you {2}alice {2}\d{5}( \d{5}){7}$/m, 'your own name and fingerprint at the top');
	assert.match(screen, /› alice +admin +added [\d-]+ [\d:]+ \(founder, you\)/);
	assert.match(screen, / {2}bob +write +added /);
	assert.match(screen, /i invite · a approve · r role · x remove/);

	// r on yourself is refused with the reason; on bob it picks a role.
	terminal.type('r');
	await step('an admin does not change their own role');
	terminal.type('jr');
	await step('role of bob (now write)');
	terminal.press('Right');
	await step('[read]');
	terminal.press('Enter');
	screen = await step('bob is now read (was write)');
	await step(/› bob +read +added/);
	const afterRole = await members();
	assert.equal(afterRole.members.find(member => member.name === 'bob')?.role, 'read');
	assert.equal(afterRole.members.find(member => member.name === 'bob')?.fingerprintDigits, bobDigits);

	// x: the confirmation says what will be re-keyed; Enter keeps bob, y removes him.
	terminal.type('x');
	screen = await step('Remove bob from the team? [y/N]');
	assert.match(screen, /Makes key generation 2; every team secret here is re-sealed under it\./);
	assert.match(screen, /bob could read 1 secret\(s\): the exposure report follows\./);
	terminal.press('Enter');
	await step('bob was not removed: nothing was changed');
	assert.ok((await members()).members.some(member => member.name === 'bob'), 'Enter (the default, N) keeps bob');

	terminal.type('x');
	await step('Remove bob from the team? [y/N]');
	terminal.type('y');
	screen = flat(await step('Enter or Esc: close'));
	assert.match(screen, /removed bob: key generation 2 is wrapped for the 1 member\(s\) who stay; 1 secret\(s\) re-sealed here/);
	assert.match(screen, /pushed 1 re-sealed record\(s\) to the server/);
	assert.match(screen, /exposed to bob \(read, removed [\d-]+ [\d:]+ UTC\): 1 secret\(s\), names, keys and values, not rotated since github TOKEN rotate each/);
	terminal.press('Escape');
	screen = await step(text => !text.includes(bobDigits) && text.includes('› alice'));
	const after = await members();
	assert.deepEqual(after.members.map(member => member.name), ['alice']);

	// Back on the list, the detail pane marks the secret bob could read until it is rotated.
	terminal.press('Escape');
	screen = await step('hush · 1 secret');
	assert.match(screen, /EXPOSED to removed bob: rotate it/);
	terminal.type('q');
	await step(text => text.includes('before-hush') && prompt.test(text) && !text.includes('╭'));
});
