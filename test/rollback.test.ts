/**
 * The rollback digest (source/vault/rollback.ts): one record's row copied back from an older copy
 * of the vault file (old revision, old ciphertexts, each of which still opens on its own) is
 * refused like a tampered byte by every read of its bucket, by listing, by writes, by sync and by
 * audit --verify; removing, resetting or editing the seal or a bucket's MAC is refused at unlock;
 * vaults of formats 2 and 4 get their buckets at their first unlock.
 */
import assert from 'node:assert/strict';
import {createHmac} from 'node:crypto';
import {copyFileSync, mkdtempSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {DatabaseSync} from 'node:sqlite';
import {describe, test, type TestContext} from 'node:test';
import {IntegrityError} from '../source/errors.js';
import {LockedVault} from '../source/vault/vault.js';
import {RollbackDigest} from '../source/vault/rollback.js';
import {pageStats} from '../source/vault/pages.js';
import {buildEveryBucket, verifyEveryBucket} from '../source/vault/rollback-full.js';
import {canonical, canonicalSql} from '../source/vault/rollback-canonical.js';
import {encodeFields} from '../source/vault/encoding.js';
import {openVault} from '../source/unlock/open-vault.js';
import {assertOneLineError, hush, hushOk, initHome} from './helpers/hush-cli.js';
import {flipByte, makeHome, newVault, openRaw, passphrase, readRecord, rowsIn, vaultFile} from './helpers/vault-fixtures.js';

const rowColumns = ['name_mac', 'revision', 'key_generation', 'meta_nonce', 'meta_ciphertext', 'values_nonce', 'values_ciphertext'] as const;

/** Copies record `id`'s whole row from the file at `from` into the vault under `home`, as an attacker with an old copy would. */
function restoreRow(home: string, from: string, id: string): void {
	const old = new DatabaseSync(from, {readOnly: true});
	let row: Record<string, unknown>;
	try {
		row = old.prepare('SELECT * FROM records WHERE id = ?').get(id) as Record<string, unknown>;
	} finally {
		old.close();
	}

	const db = openRaw(home);
	try {
		const changes = db.prepare(`UPDATE records SET ${rowColumns.map(column => `${column} = ?`).join(', ')} WHERE id = ?`).run(
			...rowColumns.map(column => row[column] as Uint8Array | number | null),
			id,
		).changes;
		assert.equal(Number(changes), 1, 'test setup: the row was restored');
	} finally {
		db.close();
	}
}

/** A copy of the (closed) vault file, as a backup would keep it. */
function snapshot(t: TestContext, home: string): string {
	const folder = mkdtempSync(join(tmpdir(), 'hush-old-copy-'));
	t.after(() => rmSync(folder, {recursive: true, force: true}));
	const path = join(folder, 'vault.db');
	copyFileSync(vaultFile(home), path);
	return path;
}

function header(home: string, key: string): string | undefined {
	const db = openRaw(home);
	try {
		return (db.prepare('SELECT value FROM header WHERE key = ?').get(key) as {value: string} | undefined)?.value;
	} finally {
		db.close();
	}
}

function setHeader(home: string, key: string, value: string | undefined): void {
	const db = openRaw(home);
	try {
		if (value === undefined) {
			db.prepare('DELETE FROM header WHERE key = ?').run(key);
		} else {
			db.prepare('INSERT INTO header (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value').run(key, value);
		}
	} finally {
		db.close();
	}
}

const isRollbackError = (error: unknown) =>
	error instanceof IntegrityError && /do not match its rollback digest/.test(error.message) && !error.message.includes('\n') && !error.message.includes('old-value');

/** A vault with a rotated secret, and a copy of the file from before the rotation. */
async function rotatedVault(t: TestContext): Promise<{home: string; oldCopy: string; id: string}> {
	const home = makeHome(t);
	const vault = await newVault(home);
	const id = vault.createSecret('api', {TOKEN: 'old-value'}).id;
	vault.createSecret('other', {K: 'v'});
	vault.close();
	const oldCopy = snapshot(t, home);
	const again = await openVault({home, passphrase});
	again.updateSecret('api', {values: {TOKEN: 'new-value'}});
	again.close();
	return {home, oldCopy, id};
}

describe('one record restored from an older copy of the file', () => {
	test('unlock checks the seal only; every read of the record, its bucket, a listing and audit --verify refuse it in one line', async t => {
		const {home, oldCopy, id} = await rotatedVault(t);
		restoreRow(home, oldCopy, id);
		// The restored row is self-consistent: its own AAD names its (old) revision.
		const db = openRaw(home);
		assert.equal(readRecord(db, id).revision, 1);
		db.close();
		for (const vault of [await openVault({home, passphrase}), await LockedVault.open({home}).unlockWithPassphrase(passphrase)]) {
			t.after(() => vault.close());
			assert.throws(() => vault.getSecret('api'), isRollbackError);
			assert.throws(() => vault.describeSecret('api'), isRollbackError);
			assert.throws(() => vault.getSecret('other'), isRollbackError, 'a secret of the same bucket');
			assert.throws(() => vault.listSecrets(), isRollbackError);
			assert.throws(() => vault.verifyRollbackDigest(), isRollbackError);
		}
	});

	test('a write into the bucket is refused and changes nothing: the restored row is never laundered into a fresh MAC', async t => {
		const {home, oldCopy, id} = await rotatedVault(t);
		const vault = await openVault({home, passphrase});
		t.after(() => vault.close());
		assert.equal(vault.verifyRollbackDigest().records, 2);
		restoreRow(home, oldCopy, id);
		assert.throws(() => vault.verifyRollbackDigest(), isRollbackError);
		const before = openRaw(home);
		const rows = before.prepare('SELECT * FROM records ORDER BY rowid').all();
		before.close();
		assert.throws(() => vault.createSecret('third', {K: 'v'}), isRollbackError);
		const after = openRaw(home);
		assert.deepEqual(after.prepare('SELECT * FROM records ORDER BY rowid').all(), rows);
		after.close();
		assert.throws(() => vault.verifyRollbackDigest(), isRollbackError);
	});

	test('a row removed from the file: a lookup that finds nothing checks every bucket before saying so', async t => {
		const {home, id} = await rotatedVault(t);
		const db = openRaw(home);
		db.prepare('DELETE FROM records WHERE id = ?').run(id);
		db.close();
		const vault = await openVault({home, passphrase});
		t.after(() => vault.close());
		assert.throws(() => vault.getSecret('api'), isRollbackError);
		assert.throws(() => vault.listSecrets(), isRollbackError);
	});

	test('restoring the old seal with the row is refused at unlock; the old seal and MACs too, at the next read of a bucket changed since', async t => {
		const {home, oldCopy, id} = await rotatedVault(t);
		// Another change after the copy, so the old seal covers buckets that no longer exist as they were.
		const vault = await openVault({home, passphrase});
		vault.createSecret('later', {K: 'v'});
		vault.close();
		restoreRow(home, oldCopy, id);
		const old = new DatabaseSync(oldCopy, {readOnly: true});
		const oldSeal = (old.prepare("SELECT value FROM header WHERE key = 'rollback_seal'").get() as {value: string}).value;
		const oldMacs = old.prepare('SELECT bucket, mac FROM rollback_buckets').all() as Array<{bucket: number; mac: Uint8Array}>;
		old.close();
		setHeader(home, 'rollback_seal', oldSeal);
		await assert.rejects(openVault({home, passphrase}), isRollbackError);

		const db = openRaw(home);
		db.exec('DELETE FROM rollback_buckets');
		for (const {bucket, mac} of oldMacs) {
			db.prepare('INSERT INTO rollback_buckets (bucket, mac) VALUES (?, ?)').run(bucket, mac);
		}

		db.close();
		const again = await openVault({home, passphrase});
		t.after(() => again.close());
		assert.throws(() => again.getSecret('api'), isRollbackError);
		assert.throws(() => again.listSecrets(), isRollbackError);
	});

	test('the seal cannot be removed, reset to pending or from-sum, or edited; nor a bucket MAC', async t => {
		const {home} = await rotatedVault(t);
		const sealed = header(home, 'rollback_seal')!;
		assert.notEqual(sealed, 'pending');

		setHeader(home, 'rollback_seal', undefined);
		await assert.rejects(openVault({home, passphrase}), (error: unknown) => error instanceof IntegrityError && /rollback digest is missing/.test(error.message));

		setHeader(home, 'rollback_seal', 'pending');
		await assert.rejects(openVault({home, passphrase}), (error: unknown) => error instanceof IntegrityError && /rollback digest cannot be made/.test(error.message));

		setHeader(home, 'rollback_seal', 'from-sum');
		await assert.rejects(openVault({home, passphrase}), (error: unknown) => error instanceof IntegrityError && /rollback digest is missing/.test(error.message));

		const bytes = Buffer.from(sealed, 'base64');
		bytes[bytes.length - 1]! ^= 1;
		setHeader(home, 'rollback_seal', bytes.toString('base64'));
		await assert.rejects(openVault({home, passphrase}), (error: unknown) => error instanceof IntegrityError && /rollback digest failed its integrity check/.test(error.message));

		setHeader(home, 'rollback_seal', sealed);
		const db = openRaw(home);
		const {mac} = db.prepare('SELECT mac FROM rollback_buckets WHERE bucket = 0').get() as {mac: Uint8Array};
		db.prepare('UPDATE rollback_buckets SET mac = ? WHERE bucket = 0').run(flipByte(mac, 0));
		db.close();
		await assert.rejects(openVault({home, passphrase}), isRollbackError);

		const restore = openRaw(home);
		restore.prepare('UPDATE rollback_buckets SET mac = ? WHERE bucket = 0').run(mac);
		restore.close();
		(await openVault({home, passphrase})).close();
	});
});

describe('buckets', () => {
	test('a row restored in one bucket is refused by reads of that bucket, of the other buckets of a small vault, by listing and by audit --verify', async t => {
		const home = makeHome(t);
		const vault = await newVault(home);
		// Rowids 1 to 300: bucket 0 holds rowids 1 to 255, bucket 1 the rest.
		vault.createSecrets(Array.from({length: 300}, (_, index) => ({name: `s-${index}`, values: {K: `v-${index}`}})));
		vault.close();
		const oldCopy = snapshot(t, home);
		const again = await openVault({home, passphrase});
		again.updateSecret('s-280', {values: {K: 'rotated'}});
		const id = again.describeSecret('s-280').id;
		again.close();
		restoreRow(home, oldCopy, id);

		const opened = await openVault({home, passphrase});
		t.after(() => opened.close());
		assert.throws(() => opened.getSecret('s-280'), isRollbackError);
		assert.throws(() => opened.getSecret('s-299'), isRollbackError);
		assert.throws(() => opened.getSecret('s-3'), isRollbackError, 'bucket 0, in a vault of two buckets');
		assert.throws(() => opened.listSecrets(), isRollbackError);
		assert.throws(() => opened.verifyRollbackDigest(), isRollbackError);
	});
});

describe('the digest construction', () => {
	test('a bucket MAC is HMAC-SHA256 under the element key of its rows\' canonical text, and SQLite builds the same text', async t => {
		const home = makeHome(t);
		const vault = await newVault(home);
		vault.createSecret('a', {K: 'v'});
		vault.deleteSecret(vault.createSecret('b', {K: 'v'}).id);
		vault.close();
		const elementKey = new Uint8Array(32).fill(7);
		const digest = new RollbackDigest('vault-id', {elementKey, sealKey: new Uint8Array(32).fill(9)});
		const db = openRaw(home);
		t.after(() => db.close());
		const rows = db.prepare('SELECT rowid, * FROM records ORDER BY rowid').all() as unknown as Array<Parameters<typeof canonical>[0] & {rowid: number}>;
		assert.equal(rows.length, 2);
		const sqlTexts = db.prepare(`SELECT ${canonicalSql} AS text FROM records ORDER BY rowid`).all() as Array<{text: string}>;
		assert.deepEqual(sqlTexts.map(row => row.text), rows.map(row => canonical(row)));

		assert.deepEqual(buildEveryBucket(digest, db), {records: 2});
		const text = rows.map(row => `${row.rowid}:${canonical(row)}`).join('\n');
		const expected = createHmac('sha256', elementKey).update(encodeFields(['rollback-bucket', 0])).update(text, 'utf8').digest();
		const stored = db.prepare('SELECT bucket, mac FROM rollback_buckets').all() as Array<{bucket: number; mac: Uint8Array}>;
		assert.deepEqual(stored.map(row => [row.bucket, Buffer.from(row.mac)]), [[0, expected]]);
		assert.deepEqual(verifyEveryBucket(digest, db), {records: 2});
	});
});

describe('a write undone inside a transaction', () => {
	test('a savepoint that rolls back a record write also undoes its move of the digest: the transaction commits the rest and the vault still opens', async t => {
		const home = makeHome(t);
		const vault = await newVault(home);
		const kept = vault.createSecret('kept', {K: 'v1'}).id;
		const undone = vault.createSecret('undone', {K: 'v1'}).id;
		const store = vault.syncStore();
		const reseal = (id: string) => {
			const row = store.record(id)!;
			store.sealMerged({id, revision: row.revision + 1, meta: store.openMeta(row), values: store.openValues(row)});
		};

		store.write(() => {
			reseal(kept);
			assert.throws(() => store.savepoint(() => {
				reseal(undone);
				throw new Error('this record is refused after it was written');
			}), /refused after it was written/);
		});
		vault.close();

		const again = await openVault({home, passphrase});
		t.after(() => again.close());
		const revisions = Object.fromEntries(again.listSecrets().map(secret => [secret.name, again.syncStore().record(secret.id)!.revision]));
		assert.deepEqual(revisions, {kept: 2, undone: 1});
	});
});

describe('through the CLI', () => {
	test('hush get and hush list refuse a restored row with one line, exit 1, also through a session; audit --verify reports the check', async t => {
		const home = await initHome(t);
		await hushOk(['create', 'api', '--stdin', 'TOKEN'], {home, input: 'old-value'});
		await hushOk(['create', 'other', '--stdin', 'K'], {home, input: 'v'});
		const id = (JSON.parse((await hushOk(['show', 'api', '--json'], {home})).stdout) as {id: string}).id;
		const oldCopy = snapshot(t, home);
		await hushOk(['rotate', 'api', 'TOKEN', '--stdin'], {home, input: 'new-value'});
		const verified = await hushOk(['audit', '--verify'], {home});
		assert.match(verified.stderr, /rollback digest intact: 2 records verified/);
		const session = (await hushOk(['unlock', '--raw'], {home})).stdout;

		restoreRow(home, oldCopy, id);
		for (const [args, env] of [
			[['get', 'api', 'TOKEN'], {}],
			[['list'], {}],
			[['get', 'api', 'TOKEN'], {HUSH_SESSION: session}],
			[['audit', '--verify'], {}],
		] as const) {
			const run = await hush(args, {home, env, locked: 'HUSH_SESSION' in env});
			assert.equal(run.code, 1, `${args.join(' ')}: ${run.stderr}`);
			assertOneLineError(run, /do not match its rollback digest/);
			assert.equal(run.stdout, '', args.join(' '));
			assert.ok(!run.stderr.includes('old-value'));
		}
	});
});

describe('a vault of format 2 (made by hush before the digest)', () => {
	test('test/fixtures/vault-v2 opens, migrates to 5, gets its buckets at the first unlock, and is protected from then on', async t => {
		const home = makeHome(t);
		copyFileSync(join('test', 'fixtures', 'vault-v2', 'vault.db'), vaultFile(home));
		const raw = new DatabaseSync(vaultFile(home), {readOnly: true});
		assert.equal((raw.prepare('PRAGMA user_version').get() as {user_version: number}).user_version, 2);
		raw.close();

		// Opening without unlocking migrates the layout but cannot seal: the digest is pending.
		LockedVault.open({home}).close();
		assert.equal(header(home, 'rollback_seal'), 'pending');
		assert.equal(header(home, 'rollback_digest'), undefined);

		const vault = await openVault({home, passphrase});
		assert.notEqual(header(home, 'rollback_seal'), 'pending');
		assert.equal(vault.getSecret('survivor').get('TOKEN'), 'migrated-intact');
		assert.deepEqual({...vault.getSecret('shared').values}, {A: '1', B: '2'});
		assert.deepEqual(vault.listSecrets().map(secret => secret.name), ['shared', 'survivor']);
		assert.deepEqual(vault.verifyAuditLog(), {ok: true, entries: vault.auditLog().length});
		assert.equal(vault.verifyRollbackDigest().records, 3);
		const id = vault.describeSecret('shared').id;
		vault.close();

		const oldCopy = snapshot(t, home);
		const again = await openVault({home, passphrase});
		again.updateSecret('shared', {values: {A: 'rotated'}});
		again.close();
		restoreRow(home, oldCopy, id);
		const restored = await openVault({home, passphrase});
		assert.throws(() => restored.getSecret('shared'), isRollbackError);
		restored.close();

		// And it cannot be sent back to "pending" to be made afresh over the restored row.
		setHeader(home, 'rollback_seal', 'pending');
		await assert.rejects(openVault({home, passphrase}), /rollback digest cannot be made/);
	});
});

describe('a vault of format 4 (one digest of every row)', () => {
	function fixtureHome(t: TestContext): string {
		const home = makeHome(t);
		copyFileSync(join('test', 'fixtures', 'vault-v4', 'vault.db'), vaultFile(home));
		return home;
	}

	test('test/fixtures/vault-v4: its first unlock checks the old digest, then builds the buckets; its secrets read as before', async t => {
		const home = fixtureHome(t);
		LockedVault.open({home}).close();
		assert.equal(header(home, 'rollback_seal'), 'from-sum');
		assert.ok(header(home, 'rollback_digest'));

		const vault = await openVault({home, passphrase: 'correct horse battery'});
		t.after(() => vault.close());
		assert.equal(header(home, 'rollback_digest'), undefined);
		assert.notEqual(header(home, 'rollback_seal'), 'from-sum');
		assert.equal(rowsIn(home, 'pages'), 0, 'the move drops format 4\'s pages: none could open again');
		assert.equal(vault.getSecret('deploy-key').get('TOKEN'), 'rotated-before-buckets');
		assert.equal(vault.getSecret('mine').get('NOTE'), 'private-before-buckets');
		assert.deepEqual(vault.listSecrets().map(secret => secret.name), ['deploy-key', 'mine']);
		assert.deepEqual([pageStats.fromPages, pageStats.fromRecords, pageStats.failedPages], [0, 2, 0]);
		assert.equal(rowsIn(home, 'pages'), 1);
		assert.deepEqual(vault.listSecrets().map(secret => secret.name), ['deploy-key', 'mine']);
		assert.deepEqual([pageStats.fromPages, pageStats.fromRecords], [2, 0]);
		assert.deepEqual(vault.verifyRollbackDigest(), {records: 3});
		assert.equal(vault.verifyAuditLog().ok, true);
	});

	test('a format-4 file altered before its move is refused by the old digest, and stays refused', async t => {
		const home = fixtureHome(t);
		const db = openRaw(home);
		db.prepare("UPDATE records SET revision = revision + 1 WHERE rowid = (SELECT min(rowid) FROM records)").run();
		db.close();
		await assert.rejects(openVault({home, passphrase: 'correct horse battery'}), isRollbackError);
		assert.equal(header(home, 'rollback_seal'), 'from-sum');
		await assert.rejects(openVault({home, passphrase: 'correct horse battery'}), isRollbackError);
	});
});
