/**
 * The members view rendered (ink-testing-library, 80×24) over a fake team service: the invite form
 * and its code shown once, the approve question answered by y or n (the promise approveMember's
 * confirm waits on), a failure shown as one escaped line, and a non-admin's list.
 */
import assert from 'node:assert/strict';
import {test, type TestContext} from 'node:test';
import {createElement as h} from 'react';
import {HushError} from '../source/errors.js';
import {clipboardPlaceholder} from '../source/tui/clipboard.js';
import {KeyRouter} from '../source/tui/hooks/key-router.js';
import {MembersScreen} from '../source/tui/screens/members-screen.js';
import type {TeamData, TuiTeam} from '../source/tui/team-service.js';
import type {Vault} from '../source/vault/vault.js';
import {frameFits, keys, renderAt, testServices} from './helpers/ink.js';

const aliceDigits = '11111 22222 33333 44444 55555 66666 77777 88888';
const bobDigits = '12345 67890 12345 67890 12345 67890 12345 67890';
const carolDigits = '99999 00000 99999 00000 99999 00000 99999 00000';

const teamAs = (role: string): TeamData => ({
	teamName: 'platform',
	role,
	generation: 1,
	members: [
		{name: 'alice', role: 'admin', digits: aliceDigits, addedAt: '2026-11-30T07:00:00.000Z', you: true, founder: true},
		{name: 'bob', role: 'write', digits: bobDigits, addedAt: '2026-11-30T07:05:00.000Z', you: false, founder: false},
	],
});

function fakeTeam(overrides: Partial<TuiTeam> = {}) {
	const calls: string[] = [];
	const team: TuiTeam = {
		me: async () => ({name: 'alice', digits: aliceDigits}),
		members: async () => teamAs('admin'),
		exposure: async () => [],
		async invite(_vault, user, role) {
			calls.push(`invite ${user} ${role}`);
			return {code: 'hush1-TESTCODE', expiresAt: '2026-12-01T07:00:00.000Z'};
		},
		async approve(_vault, user, confirm) {
			const yes = await confirm({name: user, role: 'write', digits: carolDigits});
			calls.push(`confirm ${user} ${yes}`);
			if (!yes) {
				throw new HushError(`${user} was not approved: nothing was changed`);
			}

			return `approved ${user} (write); key generation 1 is wrapped for them`;
		},
		changeRole: async () => 'unused',
		remove: async () => ({lines: [], marks: {member: '', removedAt: '', secretIds: []}}),
		...overrides,
	};
	return {team, calls};
}

function open(t: TestContext, team: TuiTeam) {
	const closed: number[] = [];
	const services = {...testServices(), team};
	const app = renderAt(
		h(KeyRouter, {onInterrupt() {}, children: h(MembersScreen, {vault: {} as Vault, services, onClose: () => closed.push(1), onExposure() {}})}),
	);
	t.after(() => app.unmount());
	return {app, closed, clipboard: services.clipboard};
}

test('members screen: invite shows the code once; approve waits for y after showing the joiner’s digits', async t => {
	const {team, calls} = fakeTeam();
	const {app, closed, clipboard} = open(t, team);
	let screen = await app.waitFor(bobDigits);
	assert.match(screen, /you {2}alice {2}11111 22222/);
	assert.ok(frameFits(screen, 80, 24), screen);

	app.keys('i');
	await app.waitFor('invite a member');
	app.keys('carol', keys.right);
	await app.waitFor(/user +carol/);
	await app.waitFor(/read +\[list\]/);
	app.keys(keys.left, keys.left);
	await app.waitFor(/\[write\]/);
	app.keys(keys.enter);
	screen = await app.waitFor('hush1-TESTCODE');
	assert.match(screen, /a secret until used/);
	assert.deepEqual(calls, ['invite carol write']);
	app.keys('c');
	await app.waitFor('copied the code for carol (test clipboard); blanked in 60 s');
	assert.equal(clipboard.contents, 'hush1-TESTCODE');
	app.keys(keys.enter);
	screen = await app.waitFor(text => !text.includes('invite for carol'));
	assert.ok(!screen.includes('hush1-TESTCODE'), 'the code is shown once');

	app.keys('a');
	await app.waitFor('approve a pending join');
	app.keys('carol', keys.enter);
	screen = await app.waitFor(carolDigits);
	assert.match(screen, /Does carol's hush whoami show exactly these digits\?/);
	app.keys('n');
	await app.waitFor('carol was not approved: nothing was changed');

	app.keys('a', 'carol', keys.enter);
	await app.waitFor(carolDigits);
	app.keys('y');
	await app.waitFor('approved carol (write); key generation 1 is wrapped for them');
	assert.deepEqual(calls, ['invite carol write', 'confirm carol false', 'confirm carol true']);

	app.keys(keys.escape);
	await app.waitFor(() => closed.length === 1);
	app.unmount();
	assert.equal(clipboard.contents, clipboardPlaceholder, 'the code is blanked from the clipboard when the view goes');
});

test('members screen: loading, then a failure as one escaped line; a non-admin sees the list and why the keys are not theirs', async t => {
	let fail: (error: Error) => void = () => undefined;
	const failing = fakeTeam({
		members: async () =>
			new Promise<TeamData>((_resolve, reject) => {
				fail = reject;
			}),
	});
	const first = open(t, failing.team);
	await first.app.waitFor('loading…');
	fail(new HushError('the server said \u001B[31mno\u0007'));
	const screen = await first.app.waitFor('the server said');
	assert.match(screen, /the server said \\x1b\[31mno\\x07/);
	first.app.unmount();

	const reader = fakeTeam({members: async () => ({...teamAs('read'), members: teamAs('read').members.map(member => ({...member, you: member.name === 'bob'}))})});
	const second = open(t, reader.team);
	await second.app.waitFor('you are read');
	second.app.keys('i');
	await second.app.waitFor('only an admin can invite: you are a read member');
	assert.match(second.app.screen(), /list only: i a r x are for admins \(you are read\) · u reload · Esc back/);
	assert.ok(!second.app.screen().includes('invite a member'));
	assert.deepEqual(reader.calls, []);
});
