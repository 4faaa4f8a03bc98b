/**
 * Tampering with the vault file, exhaustively and in-process: every byte of every ciphertext and
 * nonce, every byte of the passphrase key slot, and ciphertexts moved between records, parts and
 * revisions. Each must fail with an IntegrityError and never hand back data. Also: nothing
 * plaintext reaches the disk, and the file and folder are private.
 */
import {randomBytes} from 'node:crypto';
import {chmodSync, mkdirSync, readFileSync, readdirSync, statSync} from 'node:fs';
import {join} from 'node:path';
import {describe, test, type TestContext} from 'node:test';
import assert from 'node:assert/strict';
import type {DatabaseSync} from 'node:sqlite';
import {IntegrityError, SecretNotFoundError} from '../source/errors.js';
import {type DeriveFunction, deriveArgon2id} from '../source/vault/kdf.js';
import {LockedVault, type Vault} from '../source/vault/vault.js';
import {type RawRecord, flipByte, makeHome, newVault, openRaw, passphrase, readRecord, vaultFile} from './helpers/vault-fixtures.js';

const targetValues = {API_KEY: 'sk-live-0123456789abcdef', ORG: 'org-tamper-test'};

type Fixture = {home: string; vault: Vault; db: DatabaseSync; targetId: string; otherId: string};

async function setup(t: TestContext): Promise<Fixture> {
	const home = makeHome(t);
	const vault = await newVault(home);
	vault.createSecret('target', targetValues, {description: 'the one we tamper with'});
	vault.createSecret('other', {OTHER_KEY: 'other-value'});
	const targetId = vault.describeSecret('target').id;
	const otherId = vault.describeSecret('other').id;
	const db = openRaw(home);
	t.after(() => {
		db.close();
		vault.close();
	});
	return {home, vault, db, targetId, otherId};
}

type Column = 'meta_nonce' | 'meta_ciphertext' | 'values_nonce' | 'values_ciphertext';

function setColumns(db: DatabaseSync, id: string, columns: Partial<Pick<RawRecord, Column | 'revision' | 'key_generation'>>): void {
	const names = Object.keys(columns);
	const changes = db
		.prepare(`UPDATE records SET ${names.map(name => `${name} = ?`).join(', ')} WHERE id = ?`)
		.run(...names.map(name => columns[name as keyof typeof columns] as Uint8Array | number), id).changes;
	assert.equal(Number(changes), 1, 'test setup: the record exists');
}

/** The error must be an IntegrityError, one line, naming no value. */
function isCleanIntegrityError(error: unknown): boolean {
	return (
		error instanceof IntegrityError &&
		!error.message.includes('\n') &&
		!Object.values(targetValues).some(value => error.message.includes(value))
	);
}

function assertValuesRefused(vault: Vault, label: string): void {
	assert.throws(() => vault.getSecret('target'), isCleanIntegrityError, `getSecret, ${label}`);
	assert.throws(() => vault.revealSecret('target', {action: 'inject'}), isCleanIntegrityError, `revealSecret, ${label}`);
}

function assertMetaRefused(vault: Vault, label: string): void {
	assert.throws(() => vault.describeSecret('target'), isCleanIntegrityError, `describeSecret, ${label}`);
	assert.throws(() => vault.listSecrets(), isCleanIntegrityError, `listSecrets, ${label}`);
	assertValuesRefused(vault, label);
}

/** A listing that shows the target's authentic metadata, whatever its row's body now holds. */
function assertListedAuthentic(vault: Vault, label: string): void {
	const target = vault.listSecrets().find(summary => summary.name === 'target');
	assert.equal(target?.description, 'the one we tamper with', `listSecrets, ${label}`);
}

function assertIntact(vault: Vault): void {
	assert.deepEqual({...vault.getSecret('target').values}, targetValues);
	assert.equal(vault.describeSecret('target').description, 'the one we tamper with');
}

describe('every byte of a stored record is authenticated', () => {
	for (const column of ['meta_nonce', 'meta_ciphertext'] as const) {
		test(`each byte of ${column}: describe and get refuse, list refuses or shows the authentic metadata`, async t => {
			const {vault, db, targetId} = await setup(t);
			const original = readRecord(db, targetId)[column];
			const auditBefore = vault.auditLog().length;
			assert.ok(original.length >= 12);
			for (let index = 0; index < original.length; index++) {
				setColumns(db, targetId, {[column]: flipByte(original, index)});
				const label = `${column}[${index}] of ${original.length}`;
				if (column === 'meta_ciphertext' && index < original.length - 16) {
					// The listing's page entry is bound to the row's nonce, ciphertext length and GCM-SIV tag
					// (its last 16 bytes), not to every byte: under one key a (nonce, tag) pair authenticates
					// exactly one ciphertext, and the entry was sealed from an authentic open of that one. So
					// a body flipped behind the tag is listed with its authentic metadata, never the forged
					// bytes, and every open of the row (describe, get, reveal) still refuses it.
					assertListedAuthentic(vault, label);
					assert.throws(() => vault.describeSecret('target'), isCleanIntegrityError, `describeSecret, ${label}`);
					assertValuesRefused(vault, label);
				} else {
					assertMetaRefused(vault, label);
				}
			}

			setColumns(db, targetId, {[column]: original});
			assertIntact(vault);
			assert.equal(vault.auditLog().length, auditBefore + 1, 'no refused read was logged as a use');
		});
	}

	for (const column of ['values_nonce', 'values_ciphertext'] as const) {
		test(`each byte of ${column}: every read of values refuses`, async t => {
			const {vault, db, targetId} = await setup(t);
			const original = readRecord(db, targetId)[column];
			assert.ok(original && original.length >= 12);
			const auditBefore = vault.auditLog().length;
			for (let index = 0; index < original.length; index++) {
				setColumns(db, targetId, {[column]: flipByte(original, index)});
				assertValuesRefused(vault, `${column}[${index}] of ${original.length}`);
			}

			// withSecret never calls back with tampered values.
			setColumns(db, targetId, {[column]: flipByte(original, original.length - 1)});
			let called = false;
			await assert.rejects(
				vault.withSecret('target', () => {
					called = true;
				}),
				IntegrityError,
			);
			assert.equal(called, false);

			setColumns(db, targetId, {[column]: original});
			assertIntact(vault);
			assert.equal(vault.auditLog().length, auditBefore + 1, 'no refused read was logged as a use');
			assert.equal(vault.describeSecret('target').lastUsedAt !== null, true);
		});
	}

	test('a changed revision or key generation number is refused', async t => {
		const {vault, db, targetId} = await setup(t);
		const row = readRecord(db, targetId);
		for (const change of [{revision: row.revision + 1}, {revision: 0}, {key_generation: row.key_generation + 1}, {key_generation: 0}]) {
			setColumns(db, targetId, change);
			assertMetaRefused(vault, JSON.stringify(change));
			setColumns(db, targetId, {revision: row.revision, key_generation: row.key_generation});
		}

		assertIntact(vault);
	});

	test('a truncated or extended ciphertext is refused', async t => {
		const {vault, db, targetId} = await setup(t);
		const row = readRecord(db, targetId);
		for (const column of ['meta_ciphertext', 'values_ciphertext'] as const) {
			const original = row[column]!;
			for (const changed of [original.subarray(0, original.length - 1), original.subarray(0, 15), new Uint8Array(0), new Uint8Array([...original, 0])]) {
				setColumns(db, targetId, {[column]: changed});
				assertValuesRefused(vault, `${column} of length ${changed.length}`);
			}

			setColumns(db, targetId, {[column]: original});
		}

		assertIntact(vault);
	});
});

describe('ciphertexts moved between records, parts and revisions are refused', () => {
	test('record A\'s meta (ciphertext and nonce) copied onto record B', async t => {
		const {vault, db, targetId, otherId} = await setup(t);
		const other = readRecord(db, otherId);
		setColumns(db, targetId, {meta_nonce: other.meta_nonce, meta_ciphertext: other.meta_ciphertext});
		assertMetaRefused(vault, 'meta from another record');
		assert.equal(vault.getSecret('other').get('OTHER_KEY'), 'other-value', 'the source record still opens');
	});

	test('record A\'s values copied onto record B', async t => {
		const {vault, db, targetId, otherId} = await setup(t);
		const other = readRecord(db, otherId);
		setColumns(db, targetId, {values_nonce: other.values_nonce!, values_ciphertext: other.values_ciphertext!});
		assertValuesRefused(vault, 'values from another record');
	});

	test('two records\' whole ciphertexts swapped', async t => {
		const {vault, db, targetId, otherId} = await setup(t);
		const target = readRecord(db, targetId);
		const other = readRecord(db, otherId);
		const parts = (row: RawRecord) => ({
			meta_nonce: row.meta_nonce,
			meta_ciphertext: row.meta_ciphertext,
			values_nonce: row.values_nonce!,
			values_ciphertext: row.values_ciphertext!,
		});
		setColumns(db, targetId, parts(other));
		setColumns(db, otherId, parts(target));
		assertMetaRefused(vault, 'swapped');
		assert.throws(() => vault.getSecret(otherId), IntegrityError);
	});

	test('a record\'s values part copied into its own meta part', async t => {
		const {vault, db, targetId} = await setup(t);
		const row = readRecord(db, targetId);
		setColumns(db, targetId, {meta_nonce: row.values_nonce!, meta_ciphertext: row.values_ciphertext!});
		assertMetaRefused(vault, 'values as meta');
	});

	test('a record\'s meta part copied into its own values part', async t => {
		const {vault, db, targetId} = await setup(t);
		const row = readRecord(db, targetId);
		setColumns(db, targetId, {values_nonce: row.meta_nonce, values_ciphertext: row.meta_ciphertext});
		assertValuesRefused(vault, 'meta as values');
	});

	test('old ciphertexts written back under the new revision number', async t => {
		const {vault, db, targetId} = await setup(t);
		const old = readRecord(db, targetId);
		vault.updateSecret('target', {values: {API_KEY: 'sk-live-rotated'}});
		const current = readRecord(db, targetId);
		assert.equal(current.revision, old.revision + 1);
		setColumns(db, targetId, {
			meta_nonce: old.meta_nonce,
			meta_ciphertext: old.meta_ciphertext,
			values_nonce: old.values_nonce!,
			values_ciphertext: old.values_ciphertext!,
		});
		assertMetaRefused(vault, 'rev-1 ciphertexts at rev 2');
		// Either part alone is refused too.
		setColumns(db, targetId, {meta_nonce: current.meta_nonce, meta_ciphertext: current.meta_ciphertext});
		assertValuesRefused(vault, 'rev-1 values at rev 2');
		setColumns(db, targetId, {
			meta_nonce: old.meta_nonce,
			meta_ciphertext: old.meta_ciphertext,
			values_nonce: current.values_nonce!,
			values_ciphertext: current.values_ciphertext!,
		});
		assertMetaRefused(vault, 'rev-1 meta at rev 2');
	});

	test('the old revision number with only one old part restored', async t => {
		const {vault, db, targetId} = await setup(t);
		const old = readRecord(db, targetId);
		vault.updateSecret('target', {values: {API_KEY: 'sk-live-rotated'}});
		const current = readRecord(db, targetId);

		// Old meta, new values, old revision: meta opens, values do not.
		setColumns(db, targetId, {revision: old.revision, meta_nonce: old.meta_nonce, meta_ciphertext: old.meta_ciphertext});
		assertValuesRefused(vault, 'old revision, old meta, new values');

		// New meta, old values, old revision: meta does not open.
		setColumns(db, targetId, {
			meta_nonce: current.meta_nonce,
			meta_ciphertext: current.meta_ciphertext,
			values_nonce: old.values_nonce!,
			values_ciphertext: old.values_ciphertext!,
		});
		assertMetaRefused(vault, 'old revision, new meta, old values');
	});
});

describe('the unencrypted index columns cannot redirect or resurrect a secret', () => {
	function swapNameMacs(db: DatabaseSync, firstId: string, secondId: string): void {
		const first = readRecord(db, firstId).name_mac;
		const second = readRecord(db, secondId).name_mac;
		db.exec('BEGIN');
		setNameMac(db, firstId, null);
		setNameMac(db, secondId, first);
		setNameMac(db, firstId, second);
		db.exec('COMMIT');
	}

	function setNameMac(db: DatabaseSync, id: string, mac: Uint8Array | null): void {
		db.prepare('UPDATE records SET name_mac = ? WHERE id = ?').run(mac, id);
	}

	/** A lookup may fail, but it must never hand back a different secret than the one named. */
	function refusedOrNotFound(error: unknown): boolean {
		return error instanceof IntegrityError || error instanceof SecretNotFoundError;
	}

	test('two records\' name MACs swapped: a lookup by name never returns the other secret', async t => {
		const {vault, db, targetId, otherId} = await setup(t);
		swapNameMacs(db, targetId, otherId);
		assert.throws(() => vault.getSecret('target'), refusedOrNotFound, 'getSecret("target") returned the record named "other"');
		assert.throws(() => vault.describeSecret('target'), refusedOrNotFound);
		assert.throws(() => vault.getSecret('other'), refusedOrNotFound, 'getSecret("other") returned the record named "target"');
	});

	test('a public record given a private name MAC is not returned for a private lookup', async t => {
		const {vault, db} = await setup(t);
		const privateId = vault.createSecret('shadow', {K: 'private-value'}, {private: true}).id;
		const publicId = vault.createSecret('decoy', {K: 'public-value'}).id;
		const privateMac = readRecord(db, privateId).name_mac;
		db.exec('BEGIN');
		setNameMac(db, privateId, null);
		setNameMac(db, publicId, privateMac);
		db.exec('COMMIT');
		assert.throws(() => vault.getSecret('shadow', {private: true}), refusedOrNotFound, 'a private lookup returned a public secret named "decoy"');
	});

	test('a tombstone given its old values back does not come back as a live secret', async t => {
		const {vault, db, otherId} = await setup(t);
		const before = readRecord(db, otherId);
		vault.deleteSecret('other');
		// Whether a row is a tombstone lives in its sealed metadata; restoring the values
		// ciphertext (and even the name MAC) must not revive it.
		db.prepare('UPDATE records SET values_nonce = ?, values_ciphertext = ?, name_mac = ? WHERE id = ?').run(
			before.values_nonce,
			before.values_ciphertext,
			before.name_mac,
			otherId,
		);
		let listed: string[] | undefined;
		try {
			listed = vault.listSecrets().map(summary => summary.name);
		} catch (error) {
			assert.ok(error instanceof IntegrityError, String(error));
		}

		assert.ok(!listed?.includes('other'), `the deleted secret is listed again: ${JSON.stringify(listed)}`);
		assert.throws(() => vault.describeSecret(otherId), refusedOrNotFound, 'describe by id returned a deleted secret');
		assert.throws(() => vault.getSecret('other'), refusedOrNotFound, 'lookup by name returned a deleted secret');
	});
});

describe('the passphrase key slot is authenticated', () => {
	/** Real argon2id, memoised per input, so flips that leave the salt alone cost one derivation. */
	function cachingDerive(): DeriveFunction {
		const cache = new Map<string, Uint8Array>();
		return async (pass, salt, params) => {
			const key = `${pass}\0${Buffer.from(salt).toString('hex')}\0${JSON.stringify(params)}`;
			let derived = cache.get(key);
			if (!derived) {
				derived = new Uint8Array(await deriveArgon2id(pass, salt, params));
				cache.set(key, derived);
			}

			// The caller wipes what it gets, so hand out a copy.
			return new Uint8Array(derived);
		};
	}

	async function lockedFixture(t: TestContext): Promise<{home: string; db: DatabaseSync; locked: LockedVault; derive: DeriveFunction}> {
		const home = makeHome(t);
		const vault = await newVault(home);
		vault.createSecret('target', targetValues);
		vault.close();
		const db = openRaw(home);
		const locked = LockedVault.open({home});
		t.after(() => {
			locked.close();
			db.close();
		});
		return {home, db, locked, derive: cachingDerive()};
	}

	type SlotColumn = 'salt' | 'nonce' | 'wrapped_key';

	for (const column of ['salt', 'nonce', 'wrapped_key'] as const satisfies readonly SlotColumn[]) {
		test(`each byte of the slot's ${column}: unlock rejects with an IntegrityError`, async t => {
			const {db, locked, derive} = await lockedFixture(t);
			const original = (db.prepare(`SELECT ${column} AS bytes FROM keyslots WHERE slot = 1`).get() as {bytes: Uint8Array}).bytes;
			assert.ok(original.length >= 12);
			const update = db.prepare(`UPDATE keyslots SET ${column} = ? WHERE slot = 1`);
			for (let index = 0; index < original.length; index++) {
				update.run(flipByte(original, index));
				await assert.rejects(locked.unlockWithPassphrase(passphrase, {derive}), IntegrityError, `${column}[${index}] of ${original.length}`);
			}

			update.run(original);
			const vault = await locked.unlockWithPassphrase(passphrase, {derive});
			assert.deepEqual({...vault.getSecret('target').values}, targetValues);
		});
	}

	test('the slot\'s kind and expiry are authenticated too', async t => {
		const {db, locked, derive} = await lockedFixture(t);
		db.prepare("UPDATE keyslots SET kind = 'device' WHERE slot = 1").run();
		await assert.rejects(locked.unlockWithPassphrase(passphrase, {derive}), IntegrityError, 'kind');
		db.prepare("UPDATE keyslots SET kind = 'passphrase', expires_at = '2099-01-01T00:00:00.000Z' WHERE slot = 1").run();
		await assert.rejects(locked.unlockWithPassphrase(passphrase, {derive}), IntegrityError, 'expires_at');
		db.prepare('UPDATE keyslots SET expires_at = NULL WHERE slot = 1').run();
		(await locked.unlockWithPassphrase(passphrase, {derive})).getSecret('target');
	});

	test('a wrapped key from another vault, with its salt and nonce, does not open this one', async t => {
		const {db, locked, derive} = await lockedFixture(t);
		const otherHome = makeHome(t);
		(await newVault(otherHome)).close();
		const otherDb = openRaw(otherHome);
		const otherSlot = otherDb.prepare('SELECT salt, nonce, wrapped_key FROM keyslots WHERE slot = 1').get() as {salt: Uint8Array; nonce: Uint8Array; wrapped_key: Uint8Array};
		otherDb.close();
		db.prepare('UPDATE keyslots SET salt = ?, nonce = ?, wrapped_key = ? WHERE slot = 1').run(otherSlot.salt, otherSlot.nonce, otherSlot.wrapped_key);
		// Same passphrase, but the slot is bound to the other vault's id.
		await assert.rejects(locked.unlockWithPassphrase(passphrase, {derive}), IntegrityError);
	});
});

describe('nothing plaintext on disk; private file modes', () => {
	function filesUnder(directory: string): string[] {
		return readdirSync(directory, {recursive: true, withFileTypes: true})
			.filter(entry => entry.isFile())
			.map(entry => join(entry.parentPath, entry.name));
	}

	function assertAbsent(home: string, needles: string[], when: string): number {
		const files = filesUnder(home);
		assert.ok(files.includes(vaultFile(home)), 'the vault file is among the files checked');
		for (const file of files) {
			const bytes = readFileSync(file);
			for (const needle of needles) {
				const forms = [
					Buffer.from(needle, 'utf8'),
					Buffer.from(needle, 'utf16le'),
					Buffer.from(Buffer.from(needle, 'utf8').toString('base64'), 'utf8'),
					Buffer.from(Buffer.from(needle, 'utf8').toString('base64url'), 'utf8'),
					Buffer.from(Buffer.from(needle, 'utf8').toString('hex'), 'utf8'),
					Buffer.from(Buffer.from(needle, 'utf8').toString('hex').toUpperCase(), 'utf8'),
				];
				for (const form of forms) {
					assert.equal(bytes.indexOf(form), -1, `${when}: ${file} contains ${JSON.stringify(form.toString('latin1'))}`);
				}
			}
		}

		return files.length;
	}

	function containsAnywhere(home: string, needle: string): boolean {
		return filesUnder(home).some(file => readFileSync(file).includes(needle));
	}

	test('a canary value, name and description appear in no file under the home folder', async t => {
		const home = makeHome(t);
		const canary = `CANARY-${randomBytes(12).toString('hex')}`;
		const nameCanary = `canary-name-${Date.now()}`;
		const descriptionCanary = 'canary description: do not write me in clear';
		// The actor is audit metadata, stored in clear: a positive control showing the search reads
		// what was just written (the write-ahead log while open, the database file after close).
		const actorMarker = `actor-marker-${randomBytes(6).toString('hex')}`;
		const vault = await newVault(home, {actor: actorMarker});
		vault.createSecret(nameCanary, {CANARY_KEY: canary, SECOND: `${canary}-second`}, {description: descriptionCanary, integration: 'canary-integration'});
		vault.updateSecret(nameCanary, {values: {THIRD: `${canary}-third`}});
		vault.getSecret(nameCanary);
		vault.createSecret('private-canary', {CANARY_KEY: canary}, {private: true});
		const needles = [canary, nameCanary, descriptionCanary, 'canary-integration', 'CANARY_KEY'];

		// While open, the write-ahead log holds the recent writes.
		const openFiles = assertAbsent(home, needles, 'vault open');
		assert.ok(openFiles >= 2, 'the -wal file exists while the vault is open and is checked too');
		assert.ok(containsAnywhere(home, actorMarker), 'positive control: clear-text audit metadata is found while open');
		vault.close();
		assertAbsent(home, needles, 'vault closed');
		assert.ok(readFileSync(vaultFile(home)).includes(actorMarker), 'positive control: found in the database file after close');
	});

	test('the vault file is 0600 and its folder 0700, even under a permissive umask', async t => {
		const base = makeHome(t);
		const home = join(base, 'nested', 'home');
		const previous = process.umask(0);
		let vault: Vault;
		try {
			vault = await newVault(home);
			vault.createSecret('svc', {K: 'v'});
		} finally {
			process.umask(previous);
		}

		const mode = (path: string) => statSync(path).mode & 0o777;
		assert.equal(mode(home), 0o700);
		assert.equal(mode(vaultFile(home)), 0o600);
		for (const suffix of ['-wal', '-shm']) {
			const path = vaultFile(home) + suffix;
			const present = readdirSync(home).includes(`vault.db${suffix}`);
			if (present) {
				assert.equal(mode(path), 0o600, path);
			}
		}

		vault.close();
		assert.equal(mode(vaultFile(home)), 0o600);
	});

	test('an existing home folder open to others is tightened to 0700', async t => {
		const base = makeHome(t);
		const home = join(base, 'loose');
		mkdirSync(home);
		chmodSync(home, 0o755);
		const vault = await newVault(home);
		vault.close();
		assert.equal(statSync(home).mode & 0o777, 0o700);
		assert.equal(statSync(vaultFile(home)).mode & 0o777, 0o600);
	});
});
