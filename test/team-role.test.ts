/**
 * hush team role through the CLI against a real `hush serve`: the signed role entry, the member's
 * key wrap made again for the new role, and the member's join token following the role.
 */
import assert from 'node:assert/strict';
import {describe, test} from 'node:test';
import {hush, hushOk} from './helpers/hush-cli.js';
import {appendOverHttp, foundTeam, storedLog} from './helpers/team.js';
import {tokenOf} from './helpers/team-server.js';
import {type Member, as, asOk, bringIn} from './helpers/team-invite.js';

type Members = {role: string | null; keys?: {generation: number; status: string; values?: boolean}};

describe('hush team role', () => {
	test('list → write gives the values key and a token that may write; write → read takes the write permission back', async t => {
		const team = await foundTeam(t);
		const carol = await bringIn(t, team.home, 'carol', 'list');
		const members = async () => JSON.parse((await asOk(carol, ['team', 'members', '--json'])).stdout) as Members;
		const listed = await members();
		assert.deepEqual([listed.role, listed.keys], ['list', {generation: 1, status: 'open', values: false}]);
		const token = await tokenOf(carol);
		const tryWrite = async () => (await appendOverHttp(team, token, {expected: null, entries: ['AA==']})).body.error.message as string;
		assert.equal(await tryWrite(), 'this token lacks the secrets:write permission');

		const promoted = await hushOk(['team', 'role', 'carol', 'write'], {home: team.home});
		assert.match(promoted.stderr, /^carol is now write \(was list\); key generation 1 is wrapped for the new role\.\n$/);
		const after = await members();
		assert.deepEqual([after.role, after.keys], ['write', {generation: 1, status: 'open', values: true}]);
		assert.notEqual(await tryWrite(), 'this token lacks the secrets:write permission', 'the server now lets the token write (what it writes is still checked)');

		await hushOk(['team', 'role', 'carol', 'read'], {home: team.home});
		assert.deepEqual((await members()).role, 'read');
		assert.equal(await tryWrite(), 'this token lacks the secrets:write permission');
	});

	test('refusals: a non-admin, an unknown member, the same role, your own role, a bad role; the log is unchanged', async t => {
		const team = await foundTeam(t);
		const bob = await bringIn(t, team.home, 'bob', 'write');
		const before = storedLog(team.db, team.vaultId).length;
		const cases: Array<[Member | string, string[], number, RegExp]> = [
			[bob, ['team', 'role', 'bob', 'admin'], 1, /^hush: only an admin of team platform can do this: you are a write member\n$/],
			[team.home, ['team', 'role', 'zoe', 'read'], 1, /^hush: zoe is not a member of team platform: see hush team members\n$/],
			[team.home, ['team', 'role', 'bob', 'write'], 1, /^hush: bob already has the role write: nothing was changed\n$/],
			[team.home, ['team', 'role', 'alice', 'read'], 1, /^hush: an admin does not change their own role: another admin does it, from their device\n$/],
			[team.home, ['team', 'role', 'bob', 'owner'], 2, /^hush: usage: hush team role USER admin\|write\|read\|list\n$/],
			[team.home, ['team', 'role', 'bob'], 2, /^hush: usage: hush team role USER admin\|write\|read\|list\n$/],
		];
		for (const [who, args, code, message] of cases) {
			const run = typeof who === 'string' ? await hush(args, {home: who}) : await as(who, args);
			assert.equal(run.code, code, args.join(' '));
			assert.match(run.stderr, message);
		}

		assert.equal(storedLog(team.db, team.vaultId).length, before);
	});
});
