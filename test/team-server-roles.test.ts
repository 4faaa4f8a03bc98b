/**
 * The server as the second wall of a team vault (DESIGN.md "Teams"): membership derived from the log
 * it verified, roles enforced per pushed record, the header kept to the vault's owner, and a removal
 * that revokes the member's tokens in the append's transaction. Real `hush serve` on 127.0.0.1,
 * members brought in through the CLI (invite, join, approve), pushes and pulls with their own tokens.
 */
import assert from 'node:assert/strict';
import {randomUUID} from 'node:crypto';
import {DatabaseSync} from 'node:sqlite';
import {describe, test} from 'node:test';
import {hush} from './helpers/hush-cli.js';
import {call, pgQuery} from './helpers/server-api.js';
import {serverToken, startPostgres} from './helpers/sync-server.js';
import {foundTeam} from './helpers/team.js';
import {as, asOk, bringIn, floorKdf, invite, newcomer} from './helpers/team-invite.js';
import {addMember, pull, push, removeMember, resultOf, tokenOf} from './helpers/team-server.js';

function membersRows(db: string, teamId: string): unknown[] {
	const handle = new DatabaseSync(db, {readOnly: true});
	try {
		return handle.prepare('SELECT user_name, role, removed_at_seq FROM team_members WHERE team_id = ? ORDER BY user_name').all(teamId).map(row => ({...row}));
	} finally {
		handle.close();
	}
}

describe('the server enforces a team vault\'s roles', () => {
	test('read pushes private only, write pushes public, shared ↔ private needs owner or admin, pulls need a current member', async t => {
		const team = await foundTeam(t);
		const bob = await bringIn(t, team.home, 'bob', 'read');
		const carol = await bringIn(t, team.home, 'carol', 'write');
		assert.deepEqual(membersRows(team.db, team.vaultId), [
			{user_name: 'alice', role: 'admin', removed_at_seq: null},
			{user_name: 'bob', role: 'read', removed_at_seq: null},
			{user_name: 'carol', role: 'write', removed_at_seq: null},
		]);
		const [bobToken, carolToken] = [await tokenOf(bob), await tokenOf(carol)];
		// Bob's join token was issued read-only; a token that may write (an operator's, say) is still held to his role.
		const bobWriter = await serverToken(team.db, ['token', 'create', '--user', 'bob', '--perm', 'secrets:read,secrets:write', '--vault', team.vaultId]);
		assert.equal((await push(team, bobToken, {private: true})).status, 403, 'the read role\'s join token has no write permission');

		const refused = await push(team, bobWriter, {private: false});
		assert.equal(resultOf(refused), 'forbidden');
		const bobsPrivate = randomUUID();
		assert.equal(resultOf(await push(team, bobWriter, {id: bobsPrivate, private: true})), 'ok');
		const shared = randomUUID();
		assert.equal(resultOf(await push(team, carolToken, {id: shared, private: false})), 'ok');
		const carolsPrivate = randomUUID();
		assert.equal(resultOf(await push(team, carolToken, {id: carolsPrivate, private: true})), 'ok');

		// A shared record made private would vanish for everyone else: a writer may not, an admin may.
		assert.equal(resultOf(await push(team, carolToken, {id: shared, rev: 2, baseRev: 1, private: true})), 'forbidden');
		assert.equal(resultOf(await push(team, bobWriter, {id: shared, rev: 2, baseRev: 1, private: false})), 'forbidden', 'a read member does not update a shared record');
		// Her own private record made shared is a public write, which her role allows; bob's is not bob's to share.
		assert.equal(resultOf(await push(team, carolToken, {id: carolsPrivate, rev: 2, baseRev: 1, private: false})), 'ok');
		assert.equal(resultOf(await push(team, bobWriter, {id: bobsPrivate, rev: 2, baseRev: 1, private: false})), 'forbidden');
		assert.equal(resultOf(await push(team, team.token, {id: shared, rev: 2, baseRev: 1, private: true})), 'ok', 'the admin may');

		const seen = await pull(team, bobToken);
		assert.equal(seen.status, 200);
		assert.deepEqual(seen.ids, [bobsPrivate, carolsPrivate].sort(), 'bob reads shared records and his own private one: not the one alice made hers');
		const refusedRows = new DatabaseSync(team.db, {readOnly: true});
		t.after(() => refusedRows.close());
		assert.equal((refusedRows.prepare("SELECT COUNT(*) AS n FROM audit WHERE action = 'push_forbidden' AND vault_id = ?").get(team.vaultId) as {n: number}).n, 4);

		// Joined but not approved: the token reaches the log (to verify it), not the records.
		const dave = newcomer(t, 'dave');
		await asOk(dave, ['join', await invite(team.home, 'dave', 'write'), ...floorKdf]);
		const pending = await pull(team, await tokenOf(dave));
		assert.deepEqual([pending.status, pending.body.error.message], [403, 'dave is not a current member of this vault\'s team (an admin approves a joined member with hush team approve)']);
		assert.equal((await push(team, await tokenOf(dave), {private: true})).status, 403);

		// The header (the key slots) is the owner's: a writer replacing it is refused and nothing changes.
		const path = `/v1/vaults/${team.vaultId}`;
		const before = await call(team.server.url, {method: 'GET', path, token: team.token});
		const {header} = JSON.parse(before.text) as {header: unknown};
		const put = (token: string) => call(team.server.url, {method: 'PUT', path, token, contentType: 'application/json', body: JSON.stringify({header})});
		const replaced = await put(carolToken);
		assert.deepEqual([replaced.status, JSON.parse(replaced.text).error.message], [403, 'only the owner of a team vault may replace its header']);
		assert.equal((await put(team.token)).status, 200, 'the owner may');
		// Nor may a member read it: it is the owner's passphrase-wrapped root key, something to guess against offline.
		const read = await call(team.server.url, {method: 'GET', path, token: carolToken});
		assert.deepEqual([read.status, JSON.parse(read.text).error.message], [403, 'only the owner of a team vault may read its header: a new device joins the team with an invite']);
		assert.doesNotMatch(read.text, /wrappedKey/);
	});

	test('a removed member: tokens revoked in the append (401), no new token, invite or join under that name', async t => {
		const team = await foundTeam(t);
		// A second invite for bob, made before he joined and never used.
		const pendingCode = await invite(team.home, 'bob', 'write');
		const bob = await bringIn(t, team.home, 'bob', 'write');
		const bobToken = await tokenOf(bob);
		assert.equal(resultOf(await push(team, bobToken)), 'ok');
		assert.equal((await pull(team, bobToken)).status, 200);

		await removeMember(team, 'bob');
		assert.deepEqual(membersRows(team.db, team.vaultId), [
			{user_name: 'alice', role: 'admin', removed_at_seq: null},
			{user_name: 'bob', role: 'write', removed_at_seq: 3},
		]);
		assert.equal((await pull(team, bobToken)).status, 401);
		assert.equal((await push(team, bobToken)).status, 401);
		assert.equal((await call(team.server.url, {method: 'GET', path: `/v1/vaults/${team.vaultId}/team/log`, token: bobToken})).status, 401);

		const why = 'bob was removed from this team (membership log entry 3): the server gives that name no new token, invite or join for it; invite them under another user name';
		const token = await hush(['server', 'token', 'create', '--user', 'bob', '--perm', 'secrets:read', '--vault', team.vaultId, '--db', team.db], {home: team.home});
		assert.deepEqual([token.code, token.stderr, token.stdout], [1, `hush: ${why}\n`, '']);
		const invited = await hush(['team', 'invite', 'bob', '--role', 'read'], {home: team.home});
		assert.equal(invited.code, 1);
		assert.equal(invited.stderr, `hush: the server at ${team.server.url} refused (403): ${why}\n`);
		// An invite made before the removal cannot bring him back either, and is not used up by trying.
		const rejoin = await as(newcomer(t, 'bob'), ['join', pendingCode, ...floorKdf]);
		assert.equal(rejoin.code, 1);
		assert.equal(rejoin.stderr, `hush: the server at ${team.server.url} refused (403): ${why}\n`);
		// An unscoped token of his reaches the vault no more either.
		const unscoped = await serverToken(team.db, ['token', 'create', '--user', 'bob', '--perm', 'secrets:read,secrets:write']);
		assert.equal((await pull(team, unscoped)).status, 404);
		// Alice is untouched.
		assert.equal((await pull(team, team.token)).status, 200);

		// Only an admin's new add entry (with a new identity) makes the name a member again; then the operator may issue a token.
		await addMember(team, 'bob', 'read');
		const readmitted = await serverToken(team.db, ['token', 'create', '--user', 'bob', '--perm', 'secrets:read', '--vault', team.vaultId]);
		assert.equal((await pull(team, readmitted)).status, 200);
		assert.equal((await pull(team, bobToken)).status, 401, 'his old token stays revoked');
	});

	test('a server database from before derived membership (schema 4) is rebuilt from the stored logs on start', async t => {
		const team = await foundTeam(t);
		const bob = await bringIn(t, team.home, 'bob', 'read');
		await bringIn(t, team.home, 'carol', 'write');
		await removeMember(team, 'carol');
		const expected = membersRows(team.db, team.vaultId);
		await team.server.stop();
		const old = new DatabaseSync(team.db);
		old.exec("DROP TABLE team_members; UPDATE server_meta SET value = '4' WHERE key = 'schema_version'");
		old.close();

		const {startServer} = await import('./helpers/sync-server.js');
		const server = await startServer(team.db);
		t.after(() => server.stop());
		const reopened = {...team, server};
		assert.deepEqual(membersRows(team.db, team.vaultId), expected);
		const upgraded = new DatabaseSync(team.db, {readOnly: true});
		t.after(() => upgraded.close());
		assert.equal((upgraded.prepare("SELECT value FROM server_meta WHERE key = 'schema_version'").get() as {value: string}).value, '5');
		const bobWriter = await serverToken(team.db, ['token', 'create', '--user', 'bob', '--perm', 'secrets:read,secrets:write', '--vault', team.vaultId]);
		assert.equal(resultOf(await push(reopened, bobWriter)), 'forbidden', 'the rebuilt role is enforced');
		assert.equal((await pull(reopened, await tokenOf(bob))).status, 200);
	});

	test('at the upgrade, a stored log that does not verify leaves its team with no members: records are refused, not served', async t => {
		const team = await foundTeam(t);
		await team.server.stop();
		const old = new DatabaseSync(team.db);
		const entry = Buffer.from((old.prepare('SELECT entry FROM team_log WHERE team_id = ? AND seq = 1').get(team.vaultId) as {entry: string}).entry, 'base64');
		entry[entry.length - 1]! ^= 1;
		old.prepare('UPDATE team_log SET entry = ? WHERE team_id = ? AND seq = 1').run(entry.toString('base64'), team.vaultId);
		old.exec("DROP TABLE team_members; UPDATE server_meta SET value = '4' WHERE key = 'schema_version'");
		old.close();

		const {startServer} = await import('./helpers/sync-server.js');
		const server = await startServer(team.db);
		t.after(() => server.stop());
		assert.deepEqual(membersRows(team.db, team.vaultId), []);
		const refused = await pull({...team, server}, team.token);
		assert.deepEqual([refused.status, refused.body.error.code], [403, 'forbidden']);
	});

	test('on PostgreSQL: a read member\'s shared push is refused, a private one kept; a removed member gets 401', async t => {
		const url = await startPostgres(t);
		await serverToken(url, ['init']);
		const team = await foundTeam(t, {db: url});
		const bob = await bringIn(t, team.home, 'bob', 'read');
		const carol = await bringIn(t, team.home, 'carol', 'write');
		const bobWriter = await serverToken(url, ['token', 'create', '--user', 'bob', '--perm', 'secrets:read,secrets:write', '--vault', team.vaultId]);
		assert.equal(resultOf(await push(team, bobWriter, {private: false})), 'forbidden');
		assert.equal(resultOf(await push(team, bobWriter, {private: true})), 'ok');
		const carolToken = await tokenOf(carol);
		assert.equal(resultOf(await push(team, carolToken, {private: false})), 'ok');
		assert.equal((await pull(team, await tokenOf(bob))).status, 200);

		await removeMember(team, 'carol');
		const rows = await pgQuery(url, 'SELECT user_name, removed_at_seq FROM team_members WHERE team_id = $1 ORDER BY user_name', [team.vaultId]);
		assert.deepEqual(rows.map(row => [row['user_name'], row['removed_at_seq'] === null ? null : Number(row['removed_at_seq'])]), [['alice', null], ['bob', null], ['carol', 4]]);
		assert.equal((await pull(team, carolToken)).status, 401);
		assert.equal((await push(team, carolToken)).status, 401);
		assert.equal(resultOf(await push(team, team.token, {private: false})), 'ok');
	});
});
