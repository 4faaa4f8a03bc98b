/**
 * The file's format version: older vaults are migrated on open (all steps in one transaction),
 * newer or foreign files are refused.
 */
import {copyFileSync, existsSync, readFileSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {describe, test, type TestContext} from 'node:test';
import assert from 'node:assert/strict';
import {DatabaseSync} from 'node:sqlite';
import {HushError, UnsupportedFormatError} from '../source/errors.js';
import {type Migration, migrations, schemaVersion} from '../source/vault/storage.js';
import {LockedVault} from '../source/vault/vault.js';
import {openVault} from '../source/unlock/open-vault.js';
import {syncStates} from '../source/sync/state.js';
import {makeHome, newVault, openRaw, passphrase, vaultFile} from './helpers/vault-fixtures.js';

async function versionOneVault(t: TestContext): Promise<string> {
	// Format 1 made the way hush made it then: the same format-1 layout, no migration step applied.
	const home = makeHome(t);
	const vault = await newVault(home, {schemaVersion: 1});
	vault.createSecret('survivor', {TOKEN: 'migrated-intact'}, {private: true});
	vault.getSecret('survivor');
	vault.close();
	return home;
}

function inspect(home: string): {version: number; tables: string[]} {
	const db = openRaw(home);
	try {
		const {user_version: version} = db.prepare('PRAGMA user_version').get() as {user_version: number};
		const tables = (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all() as Array<{name: string}>).map(
			row => row.name,
		);
		return {version, tables};
	} finally {
		db.close();
	}
}

async function assertReadable(locked: LockedVault): Promise<void> {
	const vault = await locked.unlockWithPassphrase(passphrase);
	try {
		assert.equal(vault.getSecret('survivor').get('TOKEN'), 'migrated-intact');
		assert.equal(vault.verifyAuditLog().ok, true);
	} finally {
		vault.close();
	}
}

function counting(step: Migration): Migration & {calls: number} {
	const counted = {
		...step,
		calls: 0,
		up(db: DatabaseSync) {
			counted.calls++;
			step.up(db);
		},
	};
	return counted;
}

const addSyncTable: Migration = {
	from: 1,
	to: 2,
	up(db) {
		db.exec('CREATE TABLE sync_state (record_id TEXT PRIMARY KEY, base_rev INTEGER NOT NULL, dirty INTEGER NOT NULL) STRICT');
	},
};

const addRemotesTable: Migration = {
	from: 2,
	to: 3,
	up(db) {
		// Format 3 is the rollback digest's (test/rollback.test.ts): a made-up step 2 → 3 brings it too.
		migrations.find(step => step.from === 2)!.up(db);
		db.exec('CREATE TABLE remotes (url TEXT PRIMARY KEY) STRICT');
		db.exec("INSERT INTO remotes (url) VALUES ('https://example.invalid')");
	},
};

describe('migrating an older vault on open', () => {
	test('a format-1 vault opened with a 1→2 step and version 2 is migrated, and its secrets still open', async t => {
		const home = await versionOneVault(t);
		assert.deepEqual(inspect(home), {version: 1, tables: ['audit', 'header', 'keyslots', 'records']});
		const step = counting(addSyncTable);
		const locked = LockedVault.open({home, migrations: [step], schemaVersion: 2});
		assert.equal(step.calls, 1);
		await assertReadable(locked);
		assert.deepEqual(inspect(home), {version: 2, tables: ['audit', 'header', 'keyslots', 'records', 'sync_state']});

		// Opening again at version 2 does not run the step again.
		const again = LockedVault.open({home, migrations: [step], schemaVersion: 2});
		again.close();
		assert.equal(step.calls, 1);
	});

	test('once migrated, a hush that only knows format 1 refuses the file', async t => {
		const home = await versionOneVault(t);
		LockedVault.open({home, migrations: [addSyncTable], schemaVersion: 2}).close();
		assert.throws(() => LockedVault.open({home, schemaVersion: 1}), UnsupportedFormatError);
		assert.throws(() => LockedVault.open({home, schemaVersion: 1}), UnsupportedFormatError);
	});

	test('several steps run in order in one open', async t => {
		const home = await versionOneVault(t);
		const order: string[] = [];
		const steps: Migration[] = [
			// Listed out of order on purpose: steps are chosen by their `from`.
			{...addRemotesTable, up: db => (order.push('2→3'), addRemotesTable.up(db))},
			{...addSyncTable, up: db => (order.push('1→2'), addSyncTable.up(db))},
		];
		const locked = LockedVault.open({home, migrations: steps, schemaVersion: 3});
		await assertReadable(locked);
		assert.deepEqual(order, ['1→2', '2→3']);
		assert.deepEqual(inspect(home), {version: 3, tables: ['audit', 'header', 'keyslots', 'records', 'remotes', 'sync_state']});
	});

	test('a migration that throws leaves the file at version 1, unchanged and usable', async t => {
		const home = await versionOneVault(t);
		const before = inspect(home);
		const failure = new Error('migration step failed halfway');
		const failing: Migration = {
			from: 1,
			to: 2,
			up(db) {
				db.exec('CREATE TABLE half_done (x INTEGER) STRICT');
				db.exec("UPDATE header SET value = 'tampered by a failed migration' WHERE key = 'created_at'");
				throw failure;
			},
		};
		assert.throws(() => LockedVault.open({home, migrations: [failing], schemaVersion: 2}), (error: unknown) => error === failure);
		assert.deepEqual(inspect(home), before);
		const db = openRaw(home);
		const createdAt = (db.prepare("SELECT value FROM header WHERE key = 'created_at'").get() as {value: string}).value;
		db.close();
		assert.notEqual(createdAt, 'tampered by a failed migration');
		await assertReadable(LockedVault.open({home}));
	});

	test('when a later step throws, the earlier steps are rolled back too', async t => {
		const home = await versionOneVault(t);
		const failing: Migration = {
			from: 2,
			to: 3,
			up() {
				throw new Error('second step failed');
			},
		};
		assert.throws(() => LockedVault.open({home, migrations: [addSyncTable, failing], schemaVersion: 3}), /second step failed/);
		assert.deepEqual(inspect(home), {version: 1, tables: ['audit', 'header', 'keyslots', 'records']});
		await assertReadable(LockedVault.open({home}));
	});

	test('a missing migration step is refused with UnsupportedFormatError, leaving the file at version 1', async t => {
		const home = await versionOneVault(t);
		assert.throws(() => LockedVault.open({home, migrations: [addSyncTable], schemaVersion: 3}), UnsupportedFormatError);
		assert.throws(() => LockedVault.open({home, migrations: [], schemaVersion: 2}), UnsupportedFormatError);
		assert.throws(() => LockedVault.open({home, migrations: [addRemotesTable], schemaVersion: 3}), UnsupportedFormatError);
		assert.deepEqual(inspect(home), {version: 1, tables: ['audit', 'header', 'keyslots', 'records']});
		await assertReadable(LockedVault.open({home}));
	});
});

describe('the real format 1 → 2 step (sync state)', () => {
	test('schema version 5 (rollback buckets, test/rollback.test.ts) is current', () => {
		assert.equal(schemaVersion, 5);
	});

	test('a vault written by hush before sync (test/fixtures/vault-v1, format 1) opens, migrates to 5 and keeps every secret', async t => {
		const home = makeHome(t);
		copyFileSync(join('test', 'fixtures', 'vault-v1', 'vault.db'), vaultFile(home));
		assert.deepEqual(inspect(home), {version: 1, tables: ['audit', 'header', 'keyslots', 'records']});
		const vault = await openVault({home, passphrase});
		try {
			assert.deepEqual(inspect(home), {
				version: 5,
				tables: ['audit', 'header', 'keyslots', 'pages', 'records', 'rollback_buckets', 'sync_conflicts', 'sync_records', 'sync_settings', 'sync_status'],
			});
			assert.equal(vault.getSecret('survivor').get('TOKEN'), 'migrated-intact');
			assert.deepEqual(vault.getSecret('shared').values, {A: '1', B: '2'});
			assert.deepEqual(vault.listSecrets().map(secret => secret.name), ['shared', 'survivor']);
			assert.equal(vault.verifyAuditLog().ok, true);
			// Nothing was synced yet: every record, the tombstone included, is pending.
			const states = syncStates(vault);
			assert.equal(states.size, 3);
			assert.ok([...states.values()].every(state => state === 'pending'));
			vault.setSecret('shared', {C: '3'});
			assert.deepEqual(vault.getSecret('shared').values, {A: '1', B: '2', C: '3'});
		} finally {
			vault.close();
		}
	});

	test('a format-1 vault made by this code migrates on open, once', async t => {
		const home = await versionOneVault(t);
		await assertReadable(LockedVault.open({home}));
		assert.equal(inspect(home).version, 5);
		await assertReadable(LockedVault.open({home}));
	});
});

describe('refusing files this hush cannot read', () => {
	test('a vault whose user_version is higher than supported is refused, and left as it was', async t => {
		const home = await versionOneVault(t);
		const db = openRaw(home);
		db.exec('PRAGMA user_version = 7');
		db.close();
		assert.throws(
			() => LockedVault.open({home}),
			(error: unknown) => error instanceof UnsupportedFormatError && /upgrade hush/.test(error.message) && !error.message.includes('\n'),
		);
		assert.throws(() => LockedVault.open({home, migrations: [addSyncTable], schemaVersion: 2}), UnsupportedFormatError);
		await assert.rejects(openVault({home, passphrase}), UnsupportedFormatError);
		assert.equal(inspect(home).version, 7);
	});

	function foreignSqlite(home: string, applicationId = 0): void {
		const db = new DatabaseSync(vaultFile(home));
		db.exec('CREATE TABLE notes (body TEXT); INSERT INTO notes VALUES (\'someone else\'\'s data\')');
		db.exec(`PRAGMA application_id = ${applicationId}`);
		db.exec('PRAGMA user_version = 1');
		db.close();
	}

	test('a SQLite file that is not a hush vault (application_id 0) is refused', t => {
		const home = makeHome(t);
		foreignSqlite(home);
		assert.throws(
			() => LockedVault.open({home}),
			(error: unknown) => error instanceof UnsupportedFormatError && /not a hush vault/.test(error.message),
		);
		assert.throws(() => LockedVault.open({home, migrations: [addSyncTable], schemaVersion: 2}), UnsupportedFormatError);
	});

	test('a SQLite file with another application\'s id is refused', t => {
		const home = makeHome(t);
		foreignSqlite(home, 0x4d_4f_5a_4c);
		assert.throws(() => LockedVault.open({home}), UnsupportedFormatError);
	});

	test('a refused foreign SQLite file is left byte for byte as it was', t => {
		const home = makeHome(t);
		foreignSqlite(home);
		const before = readFileSync(vaultFile(home));
		assert.throws(() => LockedVault.open({home}), UnsupportedFormatError);
		const after = readFileSync(vaultFile(home));
		assert.equal(after[18], before[18], `file format write version changed from ${before[18]} to ${after[18]} (journal mode switched to WAL)`);
		assert.ok(after.equals(before), 'the refused file was modified');
		assert.equal(existsSync(`${vaultFile(home)}-wal`), false);
	});

	test('a file that is not SQLite at all is refused with a one-line hush error and left alone', t => {
		const home = makeHome(t);
		const garbage = Buffer.from('this is not a database, just some text that happens to be here\n'.repeat(100));
		writeFileSync(vaultFile(home), garbage);
		assert.throws(
			() => LockedVault.open({home}),
			(error: unknown) => error instanceof HushError && !error.message.includes('\n'),
		);
		assert.ok(readFileSync(vaultFile(home)).equals(garbage));
	});
});
