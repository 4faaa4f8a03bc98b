/**
 * The rollback digest (source/vault/rollback.ts): one record's row copied back from an older copy
 * of the vault file (old revision, old ciphertexts, each of which still opens on its own) is
 * refused at unlock like a tampered byte; removing or resetting the digest itself is refused too;
 * a vault of today's format 2 gets its digest at its first unlock.
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
import {RollbackDigest, canonical} from '../source/vault/rollback.js';
import {openVault} from '../source/unlock/open-vault.js';
import {assertOneLineError, hush, hushOk, initHome} from './helpers/hush-cli.js';
import {makeHome, newVault, openRaw, passphrase, readRecord, vaultFile} from './helpers/vault-fixtures.js';

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
	test('is refused at unlock with a one-line IntegrityError, by every unlock path', async t => {
		const {home, oldCopy, id} = await rotatedVault(t);
		restoreRow(home, oldCopy, id);
		// The restored row is self-consistent: its own AAD names its (old) revision.
		const db = openRaw(home);
		assert.equal(readRecord(db, id).revision, 1);
		db.close();
		await assert.rejects(openVault({home, passphrase}), isRollbackError);
		const locked = LockedVault.open({home});
		t.after(() => locked.close());
		await assert.rejects(locked.unlockWithPassphrase(passphrase), isRollbackError);
	});

	test('a vault already open notices at its next check (audit --verify), and a write carries the mismatch forward', async t => {
		const {home, oldCopy, id} = await rotatedVault(t);
		const vault = await openVault({home, passphrase});
		t.after(() => vault.close());
		assert.equal(vault.verifyRollbackDigest().records, 2);
		restoreRow(home, oldCopy, id);
		assert.throws(() => vault.verifyRollbackDigest(), isRollbackError);
		// Writing over the restored row does not launder it: the digest moves from the row it finds.
		vault.updateSecret('api', {values: {TOKEN: 'third-value'}});
		assert.throws(() => vault.verifyRollbackDigest(), isRollbackError);
	});

	test('a deleted row, or the whole old record table without the old digest, is refused too', async t => {
		const {home, id} = await rotatedVault(t);
		const db = openRaw(home);
		db.prepare('DELETE FROM records WHERE id = ?').run(id);
		db.close();
		await assert.rejects(openVault({home, passphrase}), isRollbackError);
	});

	test('restoring the old digest with the row is refused: it matches only the old table as a whole', async t => {
		const {home, oldCopy, id} = await rotatedVault(t);
		// Another change after the copy, so the old digest covers a table that no longer exists.
		const vault = await openVault({home, passphrase});
		vault.createSecret('later', {K: 'v'});
		vault.close();
		restoreRow(home, oldCopy, id);
		const old = new DatabaseSync(oldCopy, {readOnly: true});
		const oldDigest = (old.prepare("SELECT value FROM header WHERE key = 'rollback_digest'").get() as {value: string}).value;
		old.close();
		setHeader(home, 'rollback_digest', oldDigest);
		await assert.rejects(openVault({home, passphrase}), isRollbackError);
	});

	test('the digest cannot be removed, reset to pending, or edited', async t => {
		const {home} = await rotatedVault(t);
		const sealed = header(home, 'rollback_digest')!;
		assert.notEqual(sealed, 'pending');

		setHeader(home, 'rollback_digest', undefined);
		await assert.rejects(openVault({home, passphrase}), (error: unknown) => error instanceof IntegrityError && /rollback digest is missing/.test(error.message));

		setHeader(home, 'rollback_digest', 'pending');
		await assert.rejects(openVault({home, passphrase}), (error: unknown) => error instanceof IntegrityError && /rollback digest cannot be made/.test(error.message));

		const bytes = Buffer.from(sealed, 'base64');
		bytes[bytes.length - 1]! ^= 1;
		setHeader(home, 'rollback_digest', bytes.toString('base64'));
		await assert.rejects(openVault({home, passphrase}), (error: unknown) => error instanceof IntegrityError && /rollback digest failed its integrity check/.test(error.message));

		setHeader(home, 'rollback_digest', sealed);
		(await openVault({home, passphrase})).close();
	});
});

describe('the digest construction', () => {
	test('an element is HMAC-SHA256 under the element key of the canonical text, and SQLite builds the same text', async t => {
		const home = makeHome(t);
		const vault = await newVault(home);
		vault.createSecret('a', {K: 'v'});
		vault.deleteSecret(vault.createSecret('b', {K: 'v'}).id);
		vault.close();
		const elementKey = new Uint8Array(32).fill(7);
		const digest = new RollbackDigest('vault-id', {elementKey, sealKey: new Uint8Array(32).fill(9)});
		const db = openRaw(home);
		t.after(() => db.close());
		const rows = db.prepare('SELECT * FROM records').all() as unknown as Array<Parameters<typeof canonical>[0]>;
		assert.equal(rows.length, 2);
		for (const row of rows) {
			const expected = createHmac('sha256', elementKey).update(canonical(row), 'utf8').digest();
			assert.deepEqual(Buffer.from(digest.element(row)), expected);
		}

		// compute() reads the canonical text from SQLite; element() builds it in JavaScript.
		const sum = (values: Uint8Array[]) => values.reduce((total, value) => (total + BigInt(`0x${Buffer.from(value).toString('hex')}`)) % 2n ** 256n, 0n);
		const computed = digest.compute(db);
		assert.equal(computed.count, 2);
		assert.equal(BigInt(`0x${Buffer.from(computed.sum).toString('hex')}`), sum(rows.map(row => digest.element(row))));
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
	test('test/fixtures/vault-v2 opens, migrates to 3, gets its digest at the first unlock, and is protected from then on', async t => {
		const home = makeHome(t);
		copyFileSync(join('test', 'fixtures', 'vault-v2', 'vault.db'), vaultFile(home));
		const raw = new DatabaseSync(vaultFile(home), {readOnly: true});
		assert.equal((raw.prepare('PRAGMA user_version').get() as {user_version: number}).user_version, 2);
		raw.close();

		// Opening without unlocking migrates the layout but cannot seal: the digest is pending.
		LockedVault.open({home}).close();
		assert.equal(header(home, 'rollback_digest'), 'pending');

		const vault = await openVault({home, passphrase});
		assert.notEqual(header(home, 'rollback_digest'), 'pending');
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
		await assert.rejects(openVault({home, passphrase}), isRollbackError);

		// And it cannot be sent back to "pending" to be made afresh over the restored row.
		setHeader(home, 'rollback_digest', 'pending');
		await assert.rejects(openVault({home, passphrase}), /rollback digest cannot be made/);
	});
});
