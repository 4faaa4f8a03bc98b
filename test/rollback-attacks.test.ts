/**
 * Attacks on the rollback buckets (source/vault/rollback.ts) found in review, each by someone who
 * can write the vault file but holds no key: SQL planted in the file, the digest re-made over a
 * wiped log, rows removed from the ends of the table, a rowid hush never gives, a MAC table of
 * another size. Each is refused in one line as an IntegrityError; none is a crash or a silent pass.
 */
import assert from 'node:assert/strict';
import {randomUUID} from 'node:crypto';
import {describe, test, type TestContext} from 'node:test';
import {IntegrityError, SecretNotFoundError} from '../source/errors.js';
import {openVault} from '../source/unlock/open-vault.js';
import type {Vault} from '../source/vault/vault.js';
import {makeHome, newVault, openRaw, passphrase, readRecord, rowsIn} from './helpers/vault-fixtures.js';

const refused = (pattern: RegExp) => (error: unknown) => error instanceof IntegrityError && pattern.test(error.message) && !error.message.includes('\n');
const rolledBack = refused(/do not match its rollback digest/);
const missing = (error: unknown) => error instanceof SecretNotFoundError && !error.message.includes('\n');

function sql(home: string, ...statements: string[]): void {
	const db = openRaw(home);
	try {
		for (const statement of statements) {
			db.exec(statement);
		}
	} finally {
		db.close();
	}
}

async function vaultOf(t: TestContext, count: number): Promise<{home: string; vault: Vault}> {
	const home = makeHome(t);
	const vault = await newVault(home);
	vault.createSecrets(Array.from({length: count}, (_, index) => ({name: `s-${index}`, values: {K: `v-${index}`}})));
	return {home, vault};
}

describe('SQL planted in the file', () => {
	test('a trigger that would put an old row back as hush writes the new one: the file is refused at open', async t => {
		const {home, vault} = await vaultOf(t, 2);
		const id = vault.describeSecret('s-0').id;
		vault.close();
		const db = openRaw(home);
		const old = readRecord(db, id);
		db.close();
		const hex = (bytes: Uint8Array | null) => (bytes === null ? 'NULL' : `X'${Buffer.from(bytes).toString('hex')}'`);
		sql(
			home,
			`CREATE TRIGGER keep_old AFTER UPDATE ON records WHEN NEW.id = '${id}' BEGIN
				UPDATE records SET revision = ${old.revision}, meta_nonce = ${hex(old.meta_nonce)}, meta_ciphertext = ${hex(old.meta_ciphertext)},
				values_nonce = ${hex(old.values_nonce)}, values_ciphertext = ${hex(old.values_ciphertext)} WHERE id = NEW.id;
			END`,
		);
		await assert.rejects(openVault({home, passphrase}), refused(/holds a SQL trigger hush never makes/));
	});

	test('a view, or a records table rebuilt without its keys, is refused at open', async t => {
		const {home, vault} = await vaultOf(t, 2);
		vault.close();
		sql(home, 'CREATE VIEW names AS SELECT id FROM records');
		await assert.rejects(openVault({home, passphrase}), refused(/holds a SQL view/));
		sql(
			home,
			'DROP VIEW names',
			'CREATE TABLE loose (id TEXT, name_mac BLOB, revision INTEGER, key_generation INTEGER, meta_nonce BLOB, meta_ciphertext BLOB, values_nonce BLOB, values_ciphertext BLOB) STRICT',
			'INSERT INTO loose SELECT * FROM records',
			'DROP TABLE records',
			'ALTER TABLE loose RENAME TO records',
		);
		await assert.rejects(openVault({home, passphrase}), refused(/records table/));
	});

	test('a record at a rowid hush never gives (beyond 2^53) is refused at open, not a crash', async t => {
		const {home, vault} = await vaultOf(t, 2);
		vault.close();
		sql(home, "INSERT INTO records SELECT 'planted', NULL, revision, key_generation, meta_nonce, meta_ciphertext, values_nonce, values_ciphertext FROM records LIMIT 1", 'UPDATE records SET rowid = 9007199254740993 WHERE id = \'planted\'');
		await assert.rejects(openVault({home, passphrase}), refused(/rowid hush never gives/));
	});
});

describe('the digest re-made over a wiped log', () => {
	test('"pending" over an emptied audit log in a vault with records is refused, so restored rows are never sealed afresh', async t => {
		const {home, vault} = await vaultOf(t, 2);
		vault.close();
		sql(home, 'DELETE FROM audit', "DELETE FROM header WHERE key = 'audit_head'", "UPDATE header SET value = 'pending' WHERE key = 'rollback_seal'");
		await assert.rejects(openVault({home, passphrase}), refused(/rollback digest cannot be made: its audit log is empty but it holds records/));
	});
});

describe('rows removed where no lookup goes', () => {
	test('the newest bucket removed whole: a listing checks every bucket with a MAC, visited or not', async t => {
		const {home, vault} = await vaultOf(t, 300);
		vault.close();
		sql(home, 'DELETE FROM records WHERE rowid >= 256');
		const opened = await openVault({home, passphrase});
		t.after(() => opened.close());
		assert.throws(() => opened.listSecrets(), rolledBack);
		const pages = opened.readSecretsByPage();
		assert.throws(() => {
			while (!pages.done) {
				pages.next();
			}
		}, rolledBack);
	});

	test('every record removed: the listing is refused, not empty', async t => {
		const {home, vault} = await vaultOf(t, 3);
		vault.close();
		sql(home, 'DELETE FROM records');
		const opened = await openVault({home, passphrase});
		t.after(() => opened.close());
		assert.throws(() => opened.listSecrets(), rolledBack);
	});
});

describe('a row removed from the file', () => {
	test('set of its name is refused like an update, not turned into a new secret; the file is left as it was', async t => {
		const {home, vault} = await vaultOf(t, 600);
		const id = vault.describeSecret('s-10').id;
		vault.close();
		sql(home, `DELETE FROM records WHERE id = '${id}'`);
		const opened = await openVault({home, passphrase});
		t.after(() => opened.close());
		const rowsBefore = rowsIn(home, 'records');
		assert.throws(() => opened.updateSecret('s-10', {values: {K: 'x'}}), rolledBack);
		assert.throws(() => opened.setSecret('s-10', {K: 'x'}), rolledBack);
		assert.equal(rowsIn(home, 'records'), rowsBefore);
		// A name no row ever held is refused too while the file is in this state: no write lands on it.
		assert.throws(() => opened.setSecret('brand-new', {K: 'x'}), rolledBack);
	});
});

describe('a long-running process that already checked every bucket', () => {
	test('a row removed by another connection after a clean miss is caught at the next miss, not hidden by the earlier check', async t => {
		const {home, vault} = await vaultOf(t, 600);
		t.after(() => vault.close());
		assert.throws(() => vault.describeSecret('no-such-secret'), missing);
		// The same process asks again: the file has not changed, so the answer stands.
		assert.throws(() => vault.describeSecret('still-no-such-secret'), missing);
		sql(home, 'DELETE FROM records WHERE rowid = 300');
		assert.throws(() => vault.describeSecret('no-such-secret'), rolledBack);
	});

	test("this connection's own writes count as a change: the rows are checked and counted again", async t => {
		const {vault} = await vaultOf(t, 600);
		t.after(() => vault.close());
		assert.throws(() => vault.describeSecret('no-such-secret'), missing);
		assert.deepEqual(vault.verifyRollbackDigest(), {records: 600});
		vault.createSecret('one-more', {K: 'v'});
		assert.deepEqual(vault.verifyRollbackDigest(), {records: 601}, 'counted from the rows as they are now, not remembered');
	});
});

describe('the MAC table', () => {
	test('extra MAC rows (the seal then hashes another count) are a mismatch in one line, not a crash', async t => {
		const {home, vault} = await vaultOf(t, 2);
		vault.close();
		sql(home, ...Array.from({length: 9}, (_, index) => `INSERT INTO rollback_buckets (bucket, mac) VALUES (${100 + index}, zeroblob(32))`));
		await assert.rejects(openVault({home, passphrase}), rolledBack);
	});

	test('a savepoint that rolls back the only row of a new bucket leaves no MAC behind: the vault still verifies', async t => {
		// Rowids 1 to 255 fill bucket 0: the next row is the first of bucket 1.
		const {vault} = await vaultOf(t, 255);
		t.after(() => vault.close());
		const store = vault.syncStore();
		const template = store.record(vault.describeSecret('s-0').id)!;
		const meta = {...store.openMeta(template), name: 'in-a-new-bucket'};
		store.write(() => {
			assert.throws(() => store.savepoint(() => {
				store.sealMerged({id: randomUUID(), revision: 1, meta, values: store.openValues(template)});
				throw new Error('refused after it was written');
			}), /refused after it was written/);
			store.sealMerged({id: template.id, revision: template.revision + 1, meta: store.openMeta(template), values: store.openValues(template)});
		});
		assert.deepEqual(vault.verifyRollbackDigest(), {records: 255});
	});
});
