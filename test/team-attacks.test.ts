/**
 * The server (or whoever holds its database) against the membership log: every client replays the
 * log from the founder it pinned and refuses what does not verify, with one line, exit 1, and the
 * local vault untouched. And the server's own wall: it refuses appends not signed by an admin.
 */
import assert from 'node:assert/strict';
import {describe, test} from 'node:test';
import {join} from 'node:path';
import {DatabaseSync} from 'node:sqlite';
import {decodeFields, encodeFields} from '../source/vault/encoding.js';
import {fingerprintHex, generateIdentity} from '../source/team/identity.js';
import {entryHash, parseEntry, signEntry} from '../source/team/log-entry.js';
import {appendEntry, createTeamEntry} from '../source/team/log-writer.js';
import {assertOneLineError, hush, hushOk} from './helpers/hush-cli.js';
import {serverToken} from './helpers/sync-server.js';
import {appendOverHttp, appendSigned, b64, foundTeam, identityOf, storedLog, storedState, tamper, wholeVaultDigest} from './helpers/team.js';

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');
const keysOf = (identity: {name: string; signingKey: Uint8Array; kemKey: Uint8Array}) => ({name: identity.name, signingKey: identity.signingKey, kemKey: identity.kemKey});

async function membersLine(home: string): Promise<string> {
	return (await hushOk(['team', 'members'], {home})).stdout.split('\n')[0]!;
}

describe('a hostile server against hush team members', () => {
	test('a log truncated below the pinned head, or removed, is refused; the vault is untouched and the real log is accepted again', async t => {
		const team = await foundTeam(t);
		const alice = await identityOf(team.home);
		const founder = fingerprintHex(alice);
		const state = storedState(team, founder);
		const bob = generateIdentity('bob');
		const add = appendEntry(state, alice, {type: 'add', member: keysOf(bob), role: 'write'});
		await appendSigned(team, state, [add.entry]);
		assert.equal(await membersLine(team.home), 'team platform: 2 members, membership log verified to entry 2');

		const saved = storedLog(team.db, team.vaultId);
		const before = wholeVaultDigest(team.home);
		tamper(team.db, 'DELETE FROM team_log WHERE team_id = ? AND seq = 2', team.vaultId);
		const truncated = await hush(['team', 'members'], {home: team.home});
		assert.equal(truncated.code, 1);
		assertOneLineError(truncated, /the membership log was truncated: it ends at entry 1, but this device has already seen entry 2 \(the server rolled it back\)/);
		assert.equal(truncated.stdout, '');

		tamper(team.db, 'DELETE FROM team_log WHERE team_id = ?', team.vaultId);
		const gone = await hush(['team', 'members'], {home: team.home});
		assert.equal(gone.code, 1);
		assertOneLineError(gone, /the server holds no membership log, but this device has verified team platform up to entry 2: the server lost or hid it/);
		assert.equal(wholeVaultDigest(team.home), before, 'the pin and everything else in the vault are as they were');
		assert.match((await hushOk(['whoami'], {home: team.home})).stdout, /^team {9}platform \(membership log verified to entry 2\)$/m);

		for (const [seq, bytes] of saved.entries()) {
			tamper(team.db, 'INSERT INTO team_log (team_id, seq, hash, entry, appended_by, appended_at) VALUES (?, ?, ?, ?, ?, ?)', team.vaultId, seq, hex(entryHash(bytes)), b64(bytes), 'alice', '2026-01-01T00:00:00.000Z');
		}

		assert.equal(await membersLine(team.home), 'team platform: 2 members, membership log verified to entry 2');
	});

	test('a forked log (another entry, validly signed by the admin, where this device saw a different one) is refused', async t => {
		const team = await foundTeam(t);
		const alice = await identityOf(team.home);
		const state = storedState(team, fingerprintHex(alice));
		await appendSigned(team, state, [appendEntry(state, alice, {type: 'add', member: keysOf(generateIdentity('bob')), role: 'read'}).entry]);
		await hushOk(['team', 'members'], {home: team.home});

		// The server shows this device one history and someone else another: same place, other entry.
		const other = appendEntry(state, alice, {type: 'add', member: keysOf(generateIdentity('mallory')), role: 'admin'}).entry;
		tamper(team.db, 'UPDATE team_log SET entry = ?, hash = ? WHERE team_id = ? AND seq = 2', b64(other.bytes), hex(other.hash), team.vaultId);
		const before = wholeVaultDigest(team.home);
		const forked = await hush(['team', 'members'], {home: team.home});
		assert.equal(forked.code, 1);
		assertOneLineError(forked, /the membership log is forked: entry 2 differs from the one this device has already seen/);
		assert.equal(forked.stdout, '');
		assert.equal(wholeVaultDigest(team.home), before);
	});

	test('a member\'s public key swapped in the server\'s database fails the admin\'s signature', async t => {
		const team = await foundTeam(t);
		const alice = await identityOf(team.home);
		const state = storedState(team, fingerprintHex(alice));
		const bob = generateIdentity('bob');
		await appendSigned(team, state, [appendEntry(state, alice, {type: 'add', member: keysOf(bob), role: 'write'}).entry]);

		// The attacker puts their own X-Wing key in bob's entry, so wraps "for bob" would open for them.
		const mallory = generateIdentity('mallory');
		const [body, signature] = decodeFields(storedLog(team.db, team.vaultId)[2]!);
		const fields = decodeFields(body!);
		assert.equal(Buffer.from(fields.at(-1)!).equals(Buffer.from(bob.kemKey)), true, 'the last field of an add is the KEM key');
		fields[fields.length - 1] = Buffer.from(mallory.kemKey);
		const swapped = encodeFields([encodeFields(fields), signature!]);
		assert.equal(parseEntry(swapped).action.type, 'add', 'the swapped entry is well-formed');
		tamper(team.db, 'UPDATE team_log SET entry = ?, hash = ? WHERE team_id = ? AND seq = 2', b64(swapped), hex(entryHash(swapped)), team.vaultId);

		const before = wholeVaultDigest(team.home);
		const refused = await hush(['team', 'members'], {home: team.home});
		assert.equal(refused.code, 1);
		assertOneLineError(refused, /membership log entry 2 \(add bob as write\): the signature does not verify under alice's key: the entry was forged or altered/);
		assert.equal(wholeVaultDigest(team.home), before);
		// The server, replaying its own log before any append, stops too.
		const swappedHead = {seq: 2, hash: hex(entryHash(swapped))};
		const next = signEntry(
			{teamId: team.vaultId, seq: 3, previous: entryHash(swapped), at: new Date().toISOString(), action: {type: 'generation', generation: 2, commitment: new Uint8Array(32)}},
			alice,
			Buffer.from(fingerprintHex(alice), 'hex'),
		);
		const answer = await appendOverHttp(team, team.token, {expected: swappedHead, entries: [b64(next.bytes)]});
		assert.equal(answer.status, 400);
		assert.match(answer.body.error.message, /the stored membership log does not verify/);
	});

	test('a non-admin cannot append (the server refuses, 403); planted in the database, every client refuses it', async t => {
		const team = await foundTeam(t);
		const alice = await identityOf(team.home);
		const state = storedState(team, fingerprintHex(alice));
		const bob = generateIdentity('bob');
		const added = appendEntry(state, alice, {type: 'add', member: keysOf(bob), role: 'write'});
		await appendSigned(team, state, [added.entry]);
		const bobToken = await serverToken(team.db, ['token', 'create', '--user', 'bob', '--perm', 'secrets:read,secrets:write', '--vault', team.vaultId]);

		// Bob signs a change as if he were an admin: the writer library itself will not sign it...
		assert.throws(() => appendEntry(added.state, bob, {type: 'role', member: Buffer.from(fingerprintHex(bob), 'hex'), role: 'admin'}), /bob, who is a write member, not an admin/);
		// ...so he forges the entry by hand, correctly chained and signed with his own key.
		const forged = signEntry(
			{teamId: team.vaultId, seq: 3, previous: Buffer.from(added.state.head.hash, 'hex'), at: new Date().toISOString(), action: {type: 'add', member: keysOf(generateIdentity('eve')), role: 'admin'}},
			bob,
			Buffer.from(fingerprintHex(bob), 'hex'),
		);
		const answer = await appendOverHttp(team, bobToken, {expected: added.state.head, entries: [b64(forged.bytes)]});
		assert.equal(answer.status, 403);
		assert.equal(answer.body.error.code, 'forbidden');
		assert.match(answer.body.error.message, /entry 3 is not signed by an admin of the team \(bob is a write member\)/);
		assert.equal(storedLog(team.db, team.vaultId).length, 3, 'nothing was stored');

		// Nor may anyone but the vault's owner found a team on it (here: a second create).
		const rival = createTeamEntry(bob, {teamId: team.vaultId, teamName: 'mine'});
		const founding = await appendOverHttp(team, bobToken, {expected: null, entries: [b64(rival.bytes)]});
		assert.equal(founding.status, 403);
		assert.match(founding.body.error.message, /only the vault's owner/);

		tamper(team.db, 'INSERT INTO team_log (team_id, seq, hash, entry, appended_by, appended_at) VALUES (?, ?, ?, ?, ?, ?)', team.vaultId, 3, hex(forged.hash), b64(forged.bytes), 'bob', '2026-01-01T00:00:00.000Z');
		const before = wholeVaultDigest(team.home);
		const refused = await hush(['team', 'members'], {home: team.home});
		assert.equal(refused.code, 1);
		assertOneLineError(refused, /membership log entry 3 \(add eve as admin\): it is signed by bob, who is a write member, not an admin/);
		assert.equal(wholeVaultDigest(team.home), before);
	});

	test('the team pin is sealed in the vault: altered, every team command refuses it', async t => {
		const team = await foundTeam(t);
		const handle = new DatabaseSync(join(team.home, 'vault.db'));
		const {ciphertext} = handle.prepare("SELECT ciphertext FROM sync_settings WHERE key = 'team_pin'").get() as {ciphertext: Uint8Array};
		ciphertext[10]! ^= 1;
		handle.prepare("UPDATE sync_settings SET ciphertext = ? WHERE key = 'team_pin'").run(ciphertext);
		handle.close();
		const refused = await hush(['team', 'members'], {home: team.home});
		assert.equal(refused.code, 1);
		assertOneLineError(refused, /the vault's team pin failed its integrity check: the vault file was altered/);
		const whoami = await hush(['whoami'], {home: team.home});
		assert.equal(whoami.code, 1);
		assertOneLineError(whoami, /team pin failed its integrity check/);
	});
});
