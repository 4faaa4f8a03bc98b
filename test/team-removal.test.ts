/**
 * Removal through the CLI: alice (admin) removes bob (write) while carol (read) stays. The log gets
 * the signed removal and a new key generation, every team record is re-sealed under it, carol opens
 * it, and bob — holding his own keys and a copy of the server's database — opens none of it, while
 * the exposure report lists what he could read until it is rotated.
 */
import assert from 'node:assert/strict';
import {DatabaseSync} from 'node:sqlite';
import {describe, test} from 'node:test';
import {TeamKeyMissingError} from '../source/errors.js';
import {openVault} from '../source/unlock/open-vault.js';
import {recordAad} from '../source/vault/aad.js';
import {open} from '../source/vault/aead.js';
import {teamGenerationBase} from '../source/vault/key-generation.js';
import type {RecordRow} from '../source/vault/records.js';
import {readTeamPin, writeTeamPin} from '../source/vault/team-store.js';
import {foundTeam, tamper} from './helpers/team.js';
import {pull, tokenOf} from './helpers/team-server.js';
import {type Member, as, asOk, bringIn} from './helpers/team-invite.js';

type Exposure = {member: {name: string; role: string}; values: boolean; secrets: Array<{name: string; keys: string[]}>};

/** The server's copies of the team's public records, as rows a client would open (the attacker's database). */
function serverRows(db: string, vaultId: string): RecordRow[] {
	const handle = new DatabaseSync(db, {readOnly: true});
	try {
		const rows = handle.prepare('SELECT id, rev, key_generation, meta_nonce, meta_ct, values_nonce, values_ct FROM records WHERE vault_id = ? AND owner IS NULL').all(vaultId) as Array<Record<string, string | number | null>>;
		const bytes = (text: unknown) => (text === null || text === undefined ? null : new Uint8Array(Buffer.from(String(text), 'base64')));
		return rows.map(row => ({
			id: String(row['id']),
			name_mac: null,
			revision: Number(row['rev']),
			key_generation: Number(row['key_generation']),
			meta_nonce: bytes(row['meta_nonce'])!,
			meta_ciphertext: bytes(row['meta_ct'])!,
			values_nonce: bytes(row['values_nonce']),
			values_ciphertext: bytes(row['values_ct']),
		}));
	} finally {
		handle.close();
	}
}

async function generationsHeld(member: Member): Promise<number[]> {
	const vault = await openVault({home: member.home, passphrase: member.passphrase});
	try {
		const store = vault.syncStore();
		return store.read(() => store.teamKeyring()?.generations.map(keys => keys.generation) ?? []);
	} finally {
		vault.close();
	}
}

/** A copy of the values key of `generation` that `member`'s device holds now. */
async function valuesKeyHeld(member: Member, generation: number): Promise<Uint8Array> {
	const vault = await openVault({home: member.home, passphrase: member.passphrase});
	try {
		const store = vault.syncStore();
		const keys = store.read(() => store.teamKeyring()?.generations.find(candidate => candidate.generation === generation));
		assert.ok(keys?.valuesKey, `${member.name} holds the values key of generation ${generation}`);
		return keys.valuesKey.slice();
	} finally {
		vault.close();
	}
}

describe('hush team remove', () => {
	test('re-keys: the removed member opens nothing sealed after, the others do, and exposure lists what to rotate', async t => {
		const team = await foundTeam(t);
		const alice: Member = {name: 'alice', home: team.home, passphrase: 'correct horse battery'};
		await asOk(alice, ['set', 'github', '--TOKEN=ghp-before-removal']);
		await asOk(alice, ['set', 'stripe', '--KEY=sk-before-removal', '--API=v1']);
		await asOk(alice, ['sync']);
		const bob = await bringIn(t, team.home, 'bob', 'write');
		const carol = await bringIn(t, team.home, 'carol', 'read');
		await asOk(bob, ['sync']);
		await asOk(carol, ['sync']);
		assert.equal((await asOk(bob, ['get', 'github', 'TOKEN'])).stdout, 'ghp-before-removal');

		const bobsToken = await tokenOf(bob);
		const removed = await asOk(alice, ['team', 'remove', 'bob', '--yes']);
		assert.match(removed.stderr, /Removed bob: key generation 2 is wrapped for the 2 member\(s\) who stay; 2 secret\(s\) re-sealed here/);
		assert.match(removed.stderr, /Pushed 2 re-sealed record\(s\)/);
		assert.match(removed.stdout, /exposed to bob \(write, removed [\d-]+ [\d:]+ UTC\): 2 secret\(s\), names, keys and values/);
		assert.match(removed.stdout, /^ {2}github {2}TOKEN$/m);
		assert.match(removed.stdout, /^ {2}stripe {2}KEY API$/m);
		assert.doesNotMatch(removed.stdout + removed.stderr, /before-removal/);

		// The server revoked bob's token in the append that removed him.
		assert.equal((await pull(team, bobsToken)).status, 401);

		// Every team record on the server is now sealed under generation 2.
		const rows = serverRows(team.db, team.vaultId);
		assert.equal(rows.length, 2);
		assert.ok(rows.every(row => row.key_generation === teamGenerationBase + 2), 'every public record is re-sealed under generation 2');

		// bob, with his own vault (his generation-1 keys) and the server's rows, opens none of them.
		const bobsVault = await openVault({home: bob.home, passphrase: bob.passphrase});
		try {
			const store = bobsVault.syncStore();
			for (const row of rows) {
				assert.throws(() => store.read(() => store.openMeta(row)), TeamKeyMissingError);
				// Claiming the generation he holds changes the AAD, and his key is not the new one either.
				assert.throws(() => store.read(() => store.openMeta({...row, key_generation: teamGenerationBase + 1})), /integrity check/);
			}
		} finally {
			bobsVault.close();
		}

		// bob's device refuses to sync with a team that removed him, and still reads what it had copied.
		const bobSync = await as(bob, ['sync']);
		assert.equal(bobSync.code, 1);
		assert.match(bobSync.stderr, /^hush: the server no longer accepts this device's token for team platform \(401\): you may have been removed/);
		assert.equal(bobSync.stderr.trim().split('\n').length, 1);
		assert.equal((await asOk(bob, ['get', 'github', 'TOKEN'])).stdout, 'ghp-before-removal');

		// carol, who stays, gets generation 2 and keeps reading and getting changes.
		await asOk(alice, ['set', 'github', '--TOKEN=ghp-rotated']);
		await asOk(alice, ['sync']);
		await asOk(carol, ['sync']);
		assert.equal((await asOk(carol, ['get', 'github', 'TOKEN'])).stdout, 'ghp-rotated');
		assert.equal((await asOk(carol, ['get', 'stripe', 'KEY'])).stdout, 'sk-before-removal');

		// Generation 1 is dropped from each device once nothing there is sealed under it any more.
		for (const member of [alice, carol]) {
			assert.deepEqual(await generationsHeld(member), [2], member.name);
		}

		// Rotating github takes it off the report; stripe stays until it is rotated too.
		const exposure = JSON.parse((await asOk(alice, ['team', 'exposure', 'bob', '--json'])).stdout) as Exposure[];
		assert.deepEqual(
			exposure.map(report => [report.member.name, report.member.role, report.values, report.secrets.map(secret => [secret.name, secret.keys])]),
			[['bob', 'write', true, [['stripe', ['KEY', 'API']]]]],
		);
		const nobody = await as(alice, ['team', 'exposure', 'carol']);
		assert.equal(nobody.code, 1);
		assert.match(nobody.stderr, /nobody named carol was removed from team platform/);
	});

	test('keys the server did not take during a removal are given at the admin\'s next sync', async t => {
		const team = await foundTeam(t);
		const alice: Member = {name: 'alice', home: team.home, passphrase: 'correct horse battery'};
		await asOk(alice, ['set', 'github', '--TOKEN=ghp-shared']);
		await asOk(alice, ['sync']);
		const bob = await bringIn(t, team.home, 'bob', 'write');
		const carol = await bringIn(t, team.home, 'carol', 'read');
		await asOk(carol, ['sync']);
		await asOk(alice, ['team', 'remove', 'bob', '--yes']);

		// As if the removal's connection had dropped before carol's wrap reached the server.
		const carolPrint = (JSON.parse((await asOk(carol, ['whoami', '--json'])).stdout) as {fingerprintHex: string}).fingerprintHex;
		tamper(team.db, 'DELETE FROM team_wraps WHERE member = ? AND generation = 2', carolPrint);
		const vault = await openVault({home: alice.home, passphrase: alice.passphrase});
		try {
			const store = vault.syncStore();
			store.write(() => writeTeamPin(store, {...readTeamPin(store)!, owedWraps: {generation: 2, members: [carolPrint]}}));
		} finally {
			vault.close();
		}

		const waiting = await as(carol, ['sync']);
		assert.equal(waiting.code, 1, 'carol cannot open the re-sealed secret without generation 2');
		assert.doesNotMatch(waiting.stdout + waiting.stderr, /ghp-shared/);

		await asOk(alice, ['sync']);
		await asOk(carol, ['sync']);
		assert.equal((await asOk(carol, ['get', 'github', 'TOKEN'])).stdout, 'ghp-shared');
		assert.equal(bob.name, 'bob');
	});

	test('a demotion to list re-keys: values written after it are out of the demoted member\'s reach', async t => {
		const team = await foundTeam(t);
		const alice: Member = {name: 'alice', home: team.home, passphrase: 'correct horse battery'};
		await asOk(alice, ['set', 'github', '--TOKEN=ghp-old']);
		await asOk(alice, ['sync']);
		const bob = await bringIn(t, team.home, 'bob', 'read');
		await asOk(bob, ['sync']);
		assert.equal((await asOk(bob, ['get', 'github', 'TOKEN'])).stdout, 'ghp-old');
		const oldValuesKey = await valuesKeyHeld(bob, 1);

		const demoted = await asOk(alice, ['team', 'role', 'bob', 'list']);
		assert.match(demoted.stderr, /^bob is now list \(was read\); key generation 2 is wrapped for the new role\.$/m);
		assert.match(demoted.stderr, /Their values key stops at generation 1: 1 secret\(s\) re-sealed here under generation 2/);
		await asOk(alice, ['set', 'stripe', '--KEY=sk-after-demotion']);
		await asOk(alice, ['sync']);
		await asOk(bob, ['sync']);
		assert.deepEqual((JSON.parse((await asOk(bob, ['list', '--json'])).stdout) as Array<{name: string}>).map(secret => secret.name).sort(), ['github', 'stripe']);
		const refused = await as(bob, ['get', 'stripe', 'KEY']);
		assert.equal(refused.code, 1);
		assert.equal(refused.stdout, '');

		// The generation-1 values key he was given (a modified client would keep it) opens nothing sealed now.
		for (const row of serverRows(team.db, team.vaultId)) {
			assert.equal(row.key_generation, teamGenerationBase + 2);
			const aad = recordAad({vaultId: team.vaultId, space: 'team', recordId: row.id, part: 'values', revision: row.revision, keyGeneration: row.key_generation});
			assert.throws(() => open(oldValuesKey, row.values_nonce!, row.values_ciphertext!, aad), /failed authentication/);
		}
	});

	test('only an admin removes, never themselves, and only a member', async t => {
		const team = await foundTeam(t);
		const alice: Member = {name: 'alice', home: team.home, passphrase: 'correct horse battery'};
		const bob = await bringIn(t, team.home, 'bob', 'write');
		for (const [who, args, pattern] of [
			[bob, ['team', 'remove', 'alice', '--yes'], /only an admin of team platform can do this: you are a write member/],
			[alice, ['team', 'remove', 'alice', '--yes'], /an admin does not remove themselves/],
			[alice, ['team', 'remove', 'zed', '--yes'], /zed is not a member of team platform/],
			[alice, ['team', 'remove', 'bob'], /standard input is not a terminal: run again with --yes/],
		] as const) {
			const run = await as(who, [...args]);
			assert.equal(run.code === 1 || run.code === 2, true, `${args.join(' ')}: ${run.stderr}`);
			assert.match(run.stderr, pattern);
			assert.equal(run.stderr.trim().split('\n').length, 1, run.stderr);
		}

		assert.match((await asOk(alice, ['team', 'members'])).stdout, /bob\s+write/);
	});
});
