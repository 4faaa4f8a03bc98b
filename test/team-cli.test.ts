/**
 * hush team init and hush team members through the CLI, against a real `hush serve` on 127.0.0.1
 * (SQLite, and PostgreSQL for the founding flow), with hush whoami showing the team.
 */
import assert from 'node:assert/strict';
import {describe, test} from 'node:test';
import {fingerprintHex, generateIdentity} from '../source/team/identity.js';
import {TeamClient} from '../source/team/client.js';
import {appendEntry} from '../source/team/log-writer.js';
import {verifyLog} from '../source/team/membership-log.js';
import {initTeam} from '../source/team/service.js';
import {UnreachableError, transport} from '../source/sync/http.js';
import {openVault} from '../source/unlock/open-vault.js';
import {assertOneLineError, hush, hushOk, initHome, passphrase, tempHome} from './helpers/hush-cli.js';
import {initServerDb, serverToken, startPostgres, startServer} from './helpers/sync-server.js';
import {appendSigned, foundTeam, identityOf, storedState, wholeVaultDigest} from './helpers/team.js';

type Members = {
	teamId: string;
	teamName: string;
	head: {seq: number; hash: string};
	role: string;
	members: Array<{name: string; role: string; fingerprint: string; fingerprintDigits: string; addedAtEntry: number; addedAt: string; you: boolean; founder: boolean}>;
};

type Whoami = {name: string; fingerprint: string; fingerprintHex: string; team: {id: string; name: string; verifiedToEntry: number} | null; role: string | null};

const json = async <T>(args: string[], home: string) => JSON.parse((await hushOk(args, {home})).stdout) as T;

describe('hush team init and hush team members', () => {
	test('init makes the remote a team with you as founder and admin; members and whoami show it', async t => {
		const team = await foundTeam(t);
		const me = await json<Whoami>(['whoami', '--json'], team.home);
		assert.deepEqual({team: me.team, role: me.role}, {team: {id: team.vaultId, name: 'platform', verifiedToEntry: 1}, role: 'admin'});
		const text = await hushOk(['whoami'], {home: team.home});
		assert.match(text.stdout, /^team {9}platform \(membership log verified to entry 1\)\nrole {9}admin\n$/m);

		const listed = await json<Members>(['team', 'members', '--json'], team.home);
		assert.equal(listed.teamId, team.vaultId, 'one team per vault: the team id is the vault id');
		assert.equal(listed.teamName, 'platform');
		assert.equal(listed.head.seq, 1, 'entry 0 creates the team, entry 1 is key generation 1');
		assert.equal(listed.members.length, 1);
		const [founder] = listed.members;
		assert.deepEqual({...founder, addedAt: undefined}, {name: 'alice', role: 'admin', fingerprint: me.fingerprintHex, fingerprintDigits: me.fingerprint, addedAtEntry: 0, addedAt: undefined, you: true, founder: true});
		assert.ok(Math.abs(Date.parse(founder!.addedAt) - Date.now()) < 10 * 60_000, 'added at the time init ran');

		// What the server stores replays, from alice's fingerprint, to the head the client pinned.
		const alice = await identityOf(team.home);
		const state = storedState(team, fingerprintHex(alice));
		assert.deepEqual(state.head, listed.head);
		assert.deepEqual(state.generations.map(generation => generation.generation), [1]);

		const lines = (await hushOk(['team', 'members'], {home: team.home})).stdout.split('\n');
		assert.equal(lines[0], 'team platform: 1 member, membership log verified to entry 1');
		assert.match(lines[1]!, /^NAME {3}ROLE {3}FINGERPRINT {38}ADDED$/);
		assert.match(lines[2]!, new RegExp(`^alice  admin  ${me.fingerprint}  \\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2} \\(founder, you\\)$`));

		// A member added by the admin appears, and the pin follows the log.
		const bob = generateIdentity('bob');
		await appendSigned(team, state, [appendEntry(state, alice, {type: 'add', member: {name: 'bob', signingKey: bob.signingKey, kemKey: bob.kemKey}, role: 'list'}).entry]);
		const after = await json<Members>(['team', 'members', '--json'], team.home);
		assert.deepEqual(after.members.map(member => [member.name, member.role, member.fingerprint, member.you]), [
			['alice', 'admin', me.fingerprintHex, true],
			['bob', 'list', fingerprintHex(bob), false],
		]);
		assert.equal((await json<Whoami>(['whoami', '--json'], team.home)).team?.verifiedToEntry, 2);
	});

	test('refusals: no remote, vault not on the server, a second init, a bad name, a bad subcommand, members with no team', async t => {
		const {db} = await initServerDb(t);
		const server = await startServer(db);
		t.after(() => server.stop());
		const token = await serverToken(db, ['token', 'create', '--user', 'alice', '--perm', 'secrets:read,secrets:write']);
		const home = await initHome(t);

		const noRemote = await hush(['team', 'init'], {home});
		assert.equal(noRemote.code, 1);
		assertOneLineError(noRemote, /this vault has no remote: connect one with hush remote add URL and run hush sync first/);

		await hushOk(['remote', 'add', server.url, '--token-stdin'], {home, input: token});
		await hushOk(['whoami'], {home});
		const before = wholeVaultDigest(home);
		const notSynced = await hush(['team', 'init'], {home});
		assert.equal(notSynced.code, 1);
		assertOneLineError(notSynced, /has no copy of this vault for this token: run hush sync first/);
		const noTeam = await hush(['team', 'members'], {home});
		assert.equal(noTeam.code, 1);
		assertOneLineError(noTeam, /this vault is in no team: its owner makes the remote one with hush team init/);

		const badName = await hush(['team', 'init', '--name', 'two\nlines'], {home});
		assert.equal(badName.code, 2);
		assertOneLineError(badName, /a team name is 1–64 characters/);
		const badAction = await hush(['team', 'dissolve'], {home});
		assert.equal(badAction.code, 2);
		assertOneLineError(badAction, /usage: hush team init\|members\|invite USER\|approve USER\|role USER ROLE\|remove USER\|exposure \[USER\]/);
		assert.equal(wholeVaultDigest(home), before, 'nothing refused changed the vault');

		await hushOk(['sync'], {home});
		const made = await hushOk(['team', 'init'], {home});
		assert.match(made.stderr, /^Made team team: you are its founder and admin/);
		const again = await hush(['team', 'init', '--name', 'other'], {home});
		assert.equal(again.code, 1);
		assertOneLineError(again, /this vault is already in team team: see hush team members/);

		const help = await hushOk(['team', '--help'], {home});
		assert.match(help.stdout, /^Usage: hush team init \[--name NAME\] \| hush team members \[--json\]/m);
		assert.match((await hushOk(['--help'], {home})).stdout, /^ {2}team +Make the remote a team/m);
	});

	test('only the vault\'s owner makes it a team: a teammate\'s init is refused and leaves nothing pending', async t => {
		const team = await foundTeam(t);
		// Another vault alice synced, and bob's token reaching it (before teams, how a teammate got in).
		const owners = await initHome(t);
		await hushOk(['remote', 'add', team.server.url, '--token-stdin'], {home: owners, input: team.token});
		await hushOk(['sync'], {home: owners});
		const vaultId = (JSON.parse((await hushOk(['remote', 'show', '--json'], {home: owners})).stdout) as {vaultId: string}).vaultId;
		const bobToken = await serverToken(team.db, ['token', 'create', '--user', 'bob', '--perm', 'secrets:read,secrets:write', '--vault', vaultId]);
		const bob = tempHome(t);
		await hushOk(['clone', team.server.url, '--token-stdin'], {home: bob, input: bobToken});

		const refused = await hush(['team', 'init'], {home: bob});
		assert.equal(refused.code, 1);
		assertOneLineError(refused, /refused \(403\): only the vault's owner \(the user who first synced it\) can make it a team/);
		assertOneLineError(await hush(['team', 'members'], {home: bob}), /this vault is in no team/);
		// The owner still can.
		await hushOk(['team', 'init', '--name', 'ops'], {home: owners});
		assert.equal((await json<Members>(['team', 'members', '--json'], owners)).teamName, 'ops');
	});

	test('an interrupted init (signed, pinned, never sent) is finished by running init again', async t => {
		const team = await foundTeam(t);
		// Another vault of the same owner on the same server: its init is cut off after the pin is
		// written, by the server being down when it sends.
		const home = await initHome(t);
		await hushOk(['remote', 'add', team.server.url, '--token-stdin'], {home, input: team.token});
		await hushOk(['sync'], {home});
		await hushOk(['whoami', '--name', 'alice'], {home});
		const vault = await openVault({home, passphrase});
		const realExchange = transport.exchange;
		let calls = 0;
		transport.exchange = async (...args) => {
			calls++;
			// The first call checks that there is no team yet; the append fails as if the server died.
			if (calls === 2) {
				throw new UnreachableError('ECONNRESET');
			}

			return realExchange(...args);
		};
		try {
			await assert.rejects(initTeam(vault, {name: 'ops'}), /cannot reach the server at .*: ECONNRESET/);
		} finally {
			transport.exchange = realExchange;
			vault.close();
		}

		const unfinished = await hush(['team', 'members'], {home});
		assert.equal(unfinished.code, 1);
		assertOneLineError(unfinished, /hush team init did not finish on this device: run it again/);
		const finished = await hushOk(['team', 'init'], {home});
		assert.match(finished.stderr, /^Finished making team ops/);
		const listed = await json<Members>(['team', 'members', '--json'], home);
		assert.deepEqual([listed.teamName, listed.head.seq, listed.members.length], ['ops', 1, 1]);
	});

	test('on PostgreSQL: init, members, and a stale append answered 409 with the current head', async t => {
		const url = await startPostgres(t);
		await serverToken(url, ['init']);
		const team = await foundTeam(t, {db: url});
		const listed = await json<Members>(['team', 'members', '--json'], team.home);
		assert.deepEqual([listed.teamName, listed.head.seq, listed.members.map(member => member.role)], ['platform', 1, ['admin']]);

		const alice = await identityOf(team.home);
		const client = new TeamClient(team.server.url, team.token, team.vaultId);
		const {entries} = await client.log();
		const state = verifyLog(entries, fingerprintHex(alice));
		const carol = generateIdentity('carol');
		const add = appendEntry(state, alice, {type: 'add', member: {name: 'carol', signingKey: carol.signingKey, kemKey: carol.kemKey}, role: 'read'});
		assert.deepEqual(await client.append(state.head, [add.entry.bytes]), {status: 'appended', head: add.state.head});
		const dave = generateIdentity('dave');
		const stale = appendEntry(state, alice, {type: 'add', member: {name: 'dave', signingKey: dave.signingKey, kemKey: dave.kemKey}, role: 'read'});
		assert.deepEqual(await client.append(state.head, [stale.entry.bytes]), {status: 'conflict', head: add.state.head});
		assert.deepEqual((await json<Members>(['team', 'members', '--json'], team.home)).members.map(member => member.name), ['alice', 'carol']);
	});
});
