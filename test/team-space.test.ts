/**
 * Team space, end to end through the CLI: alice (admin), bob (write) and carol (list), each on
 * their own home with their own passphrase, against one real `hush serve`. Public secrets are
 * sealed under the team's generation keys and shared; private ones under their owner's root key,
 * which no other member holds, so not even a server that hands them out makes them readable.
 */
import assert from 'node:assert/strict';
import {type TestContext, describe, test} from 'node:test';
import {existsSync} from 'node:fs';
import {join} from 'node:path';
import {openVault} from '../source/unlock/open-vault.js';
import {hush, hushOk, listJson, tempHome} from './helpers/hush-cli.js';
import {startPostgres, serverToken} from './helpers/sync-server.js';
import {type Team, foundTeam, tamper} from './helpers/team.js';
import {type Member, as, asOk, bringIn} from './helpers/team-invite.js';

type Listed = {name: string; private: boolean; keys: string[]};

async function names(member: Member): Promise<string[]> {
	const run = await asOk(member, ['list', '--json']);
	return (JSON.parse(run.stdout) as Listed[]).map(secret => secret.name).sort();
}

async function valueOf(member: Member, name: string, key: string): Promise<string> {
	return (await asOk(member, ['get', name, key])).stdout;
}

const alice = (team: Team): Member => ({name: 'alice', home: team.home, passphrase: 'correct horse battery'});

/** The shared flow: a public secret from before the team moves into it; bob and carol join; each sees what their role opens. */
async function threeUsers(t: TestContext, options: {db?: string; beforeJoins?: (team: Team) => void} = {}) {
	const team = await foundTeam(t, options);
	const admin = alice(team);
	// Sealed before alice's device holds the team keys: in her own space until her next sync.
	await asOk(admin, ['set', 'github', '--TOKEN=ghp-shared-token']);
	await asOk(admin, ['set', 'alice-notes', '--private', '--PIN=alice-only-4711']);
	const first = await asOk(admin, ['sync']);
	assert.match(first.stdout + first.stderr, /re-sealed 1 public secret\(s\) under the team's current key generation/);
	options.beforeJoins?.(team);
	const bob = await bringIn(t, team.home, 'bob', 'write');
	const carol = await bringIn(t, team.home, 'carol', 'list');
	const bobSync = await as(bob, ['sync']);
	const carolSync = await as(carol, ['sync']);
	return {team, admin, bob, carol, bobSync, carolSync};
}

describe('team space: three users, three passphrases, one server', () => {
	test('public secrets are shared, private ones stay with their owner, a list member sees names and keys only', async t => {
		const {team, admin, bob, carol, bobSync, carolSync} = await threeUsers(t);
		assert.equal(bobSync.code, 0, bobSync.stderr);
		assert.equal(carolSync.code, 0, carolSync.stderr);

		assert.equal(await valueOf(bob, 'github', 'TOKEN'), 'ghp-shared-token');
		assert.deepEqual(await names(bob), ['github']);

		// bob writes a public secret and a private one; alice gets the first only.
		await asOk(bob, ['set', 'deploy', '--KEY=bob-deploy-key']);
		await asOk(bob, ['set', 'bob-notes', '--private', '--NOTE=bob-private-note']);
		await asOk(bob, ['sync']);
		const pulled = await asOk(admin, ['sync']);
		assert.match(pulled.stderr + pulled.stdout, /pulled deploy: new secret \+KEY \(by bob\)/);
		assert.equal(await valueOf(admin, 'deploy', 'KEY'), 'bob-deploy-key');
		assert.equal((JSON.parse((await asOk(admin, ['show', 'deploy', '--json'])).stdout) as {createdBy: string}).createdBy, 'bob');
		assert.deepEqual(await names(admin), ['alice-notes', 'deploy', 'github']);

		// carol (list) sees the names and keys of public secrets, never a value.
		await asOk(carol, ['sync']);
		const listed = JSON.parse((await asOk(carol, ['list', '--json'])).stdout) as Listed[];
		assert.deepEqual(listed.map(secret => [secret.name, secret.keys]).sort(), [['deploy', ['KEY']], ['github', ['TOKEN']]]);
		const refused = await as(carol, ['get', 'github', 'TOKEN']);
		assert.equal(refused.code, 1);
		assert.equal(refused.stdout, '');
		assert.match(refused.stderr, /^hush: .*values are unavailable to you\n$/);
		const shown = JSON.parse((await asOk(carol, ['show', 'github', '--show-values', '--json'])).stdout) as {values: unknown; unavailable: unknown};
		assert.deepEqual([shown.values, shown.unavailable], [{TOKEN: null}, ['TOKEN']]);
		assert.match((await asOk(carol, ['show', 'github'])).stdout, /TOKEN\s+unavailable \(your team role opens names and keys, not values\)/);
		const sdk = await openVault({home: carol.home, passphrase: carol.passphrase});
		try {
			const secret = sdk.getSecret('github');
			assert.deepEqual([secret.values, secret.unavailable], [{}, ['TOKEN']]);
			assert.throws(() => secret.get('TOKEN'), /unavailable to you/);
		} finally {
			sdk.close();
		}

		const write = await as(carol, ['set', 'github', '--TOKEN=carol-was-here']);
		assert.equal(write.code, 1);
		assert.doesNotMatch(write.stderr, /carol-was-here/);

		// Only its creator or an admin takes a shared secret private; a writer is told so before anything is written.
		const taken = await as(bob, ['update', 'github', '--private=true']);
		assert.equal(taken.code, 1);
		assert.match(taken.stderr, /^hush: secret github is shared with the team and was created by \S+: only they or an admin can make it private \(you are a write member\)\n$/);

		// set --private on an existing public secret updates it where it is: still public, for everyone.
		const upsert = await asOk(bob, ['set', 'github', '--private', '--TOKEN=ghp-rotated']);
		assert.match(upsert.stderr, /hush: note: secret github is public and stays public: set never moves a secret/);
		await asOk(bob, ['sync']);
		await asOk(admin, ['sync']);
		assert.equal(await valueOf(admin, 'github', 'TOKEN'), 'ghp-rotated');
		assert.equal((await listJson(team.home)).find(secret => secret.name === 'github')?.['private'], false);

		// A real deletion (its tombstone tagged with the values key) reaches every member.
		await asOk(admin, ['delete', 'deploy', '--yes']);
		await asOk(admin, ['sync']);
		await asOk(bob, ['sync']);
		await asOk(carol, ['sync']);
		assert.deepEqual(await names(bob), ['bob-notes', 'github']);
		assert.deepEqual(await names(carol), ['github']);

		// A second device of a team member joins with an invite: a clone could not open the team's records.
		const laptop = tempHome(t, 'hush-alice-laptop-');
		const clone = await hush(['clone', team.server.url, '--token-stdin'], {home: laptop, input: team.token});
		assert.equal(clone.code, 1);
		assert.match(clone.stderr, /^hush: this vault is a team: a new device joins it with an invite/);
		assert.equal(existsSync(join(laptop, 'vault.db')), false);
	});

	test('a private secret does not open for another member even when the server hands it out', async t => {
		// The attacker with the server's database clears the owner, so every member is served alice's private record.
		const {bob, bobSync: pulled} = await threeUsers(t, {beforeJoins: team => tamper(team.db, 'UPDATE records SET owner = NULL WHERE owner IS NOT NULL')});
		assert.equal(pulled.code, 1, pulled.stderr);
		assert.match(pulled.stdout + pulled.stderr, /quarantined: secret [0-9a-f-]{36} .*fails its integrity check/);
		assert.doesNotMatch(pulled.stdout + pulled.stderr, /alice-only-4711/);
		assert.deepEqual(await names(bob), ['github']);
		const get = await as(bob, ['get', 'alice-notes', 'PIN']);
		assert.equal(get.code, 1);
		assert.equal(get.stdout, '');
	});

	test('on PostgreSQL: the same sharing between three passphrases', async t => {
		const url = await startPostgres(t);
		await serverToken(url, ['init']);
		const {admin, bob, carol} = await threeUsers(t, {db: url});
		assert.equal(await valueOf(bob, 'github', 'TOKEN'), 'ghp-shared-token');
		await asOk(bob, ['set', 'deploy', '--KEY=from-bob']);
		await asOk(bob, ['sync']);
		await asOk(admin, ['sync']);
		assert.equal(await valueOf(admin, 'deploy', 'KEY'), 'from-bob');
		await asOk(carol, ['sync']);
		assert.deepEqual(await names(carol), ['deploy', 'github']);
		assert.equal((await as(carol, ['get', 'deploy', 'KEY'])).code, 1);
		await hushOk(['team', 'members'], {home: admin.home});
	});
});
