/**
 * A tombstone has no values ciphertext, so the metadata key alone could seal one — and a `list`
 * member holds the metadata key. With a server that lets it through (here: the attacker writes it
 * into the server's database), every client that holds the values key must still refuse that
 * deletion, because a team tombstone carries a tag only the values key makes.
 */
import assert from 'node:assert/strict';
import {DatabaseSync} from 'node:sqlite';
import {test} from 'node:test';
import {openVault} from '../source/unlock/open-vault.js';
import {recordAad} from '../source/vault/aad.js';
import {seal} from '../source/vault/aead.js';
import {foundTeam} from './helpers/team.js';
import {type Member, as, asOk, bringIn} from './helpers/team-invite.js';

/** What carol's client could seal with the keys she holds: github's metadata, marked deleted, at the next revision. */
async function forgedTombstone(carol: Member, teamId: string, row: {id: string; rev: number; key_generation: number}) {
	const vault = await openVault({home: carol.home, passphrase: carol.passphrase});
	try {
		const store = vault.syncStore();
		const keyring = store.read(() => store.teamKeyring())!;
		const generation = keyring.generations.at(-1)!;
		assert.equal(generation.valuesKey, undefined, 'a list member holds no values key');
		const meta = {name: 'github', private: false, type: 'generic', description: '', integration: '', writeOnly: false, keys: ['TOKEN'], createdAt: new Date().toISOString(), createdBy: 'carol', updatedAt: new Date().toISOString(), expiresAt: null, deletedAt: new Date().toISOString()};
		const revision = row.rev + 1;
		const aad = recordAad({vaultId: teamId, space: 'team', recordId: row.id, part: 'meta', revision, keyGeneration: row.key_generation});
		return {revision, ...seal(generation.metadataKey, Buffer.from(JSON.stringify(meta), 'utf8'), aad)};
	} finally {
		vault.close();
	}
}

test('a deletion sealed with the metadata key alone is refused by members who hold the values key', async t => {
	const team = await foundTeam(t);
	const alice: Member = {name: 'alice', home: team.home, passphrase: 'correct horse battery'};
	await asOk(alice, ['set', 'github', '--TOKEN=ghp-keep-me']);
	await asOk(alice, ['sync']);
	const carol = await bringIn(t, team.home, 'carol', 'list');
	await asOk(carol, ['sync']);

	const db = new DatabaseSync(team.db, {timeout: 10_000});
	try {
		const row = db.prepare('SELECT id, rev, key_generation FROM records WHERE vault_id = ? AND owner IS NULL').get(team.vaultId) as {id: string; rev: number; key_generation: number};
		const forged = await forgedTombstone(carol, team.vaultId, row);
		const {last_seq: lastSeq} = db.prepare('SELECT last_seq FROM vaults WHERE id = ?').get(team.vaultId) as {last_seq: number};
		db.prepare('UPDATE records SET rev = ?, seq = ?, deleted = 1, meta_nonce = ?, meta_ct = ?, values_nonce = NULL, values_ct = NULL WHERE vault_id = ? AND id = ?').run(
			forged.revision,
			lastSeq + 1,
			Buffer.from(forged.nonce).toString('base64'),
			Buffer.from(forged.ciphertext).toString('base64'),
			team.vaultId,
			row.id,
		);
		db.prepare('UPDATE vaults SET last_seq = ? WHERE id = ?').run(lastSeq + 1, team.vaultId);
	} finally {
		db.close();
	}

	const pulled = await as(alice, ['sync']);
	assert.equal(pulled.code, 1, pulled.stderr);
	assert.match(pulled.stdout + pulled.stderr, /quarantined: secret [0-9a-f-]{36} revision \d+ .*marked deleted without proof from a member who holds the values key/);
	assert.equal((await asOk(alice, ['get', 'github', 'TOKEN'])).stdout, 'ghp-keep-me', 'the secret is still there');
});
