import {chmodSync, existsSync} from 'node:fs';
import {DatabaseSync} from 'node:sqlite';
import {IntegrityError, UnsupportedFormatError, VaultExistsError, VaultNotFoundError} from '../errors.js';
import {inTransaction} from './transaction.js';
import {assertOwnSchema} from './schema-check.js';
import {schemaV1, schemaV2Additions, schemaV4Additions, schemaV5Additions} from './schema-sql.js';
export {type CommitHook, addCommitHook, inSavepoint, inTransaction} from './transaction.js';

/**
 * The vault file: one SQLite database holding only ids, revisions, name MACs, timestamps and
 * ciphertext. This module knows tables and transactions, never keys or plaintext.
 */

/** 'HUSH' in ASCII, so a random SQLite file is never mistaken for a vault. */
const applicationId = 0x48_55_53_48;

/** Version of the table layout. Older files are migrated on open; newer ones are refused. */
export const schemaVersion = 5;

export type Migration = {
	from: number;
	to: number;
	up(db: DatabaseSync): void;
};

/**
 * Every layout change appends one step here. A vault written by an older hush is brought forward
 * on open, all steps in one transaction, so a failed migration leaves the file as it was.
 */
export const migrations: readonly Migration[] = [
	{
		// Format 2 adds sync state (source/sync). Existing records start as never synced ("pending"):
		// the first sync pushes them. Nothing in a format-1 record changes, so no re-encryption.
		from: 1,
		to: 2,
		up(db) {
			db.exec(schemaV2Additions);
		},
	},
	{
		// Format 3 adds the rollback digest (rollback.ts), a sealed header value. Sealing needs the
		// root key, which an open without unlocking does not have: the step marks the digest as
		// pending, and the first unlock computes it over the rows as they are (core.ts). New files
		// go through this step too, so a fresh vault gets its digest at its first unlock, by init.
		from: 2,
		to: 3,
		up(db) {
			db.prepare("INSERT INTO header (key, value) VALUES ('rollback_digest', 'pending')").run();
		},
	},
	{
		// Format 4 adds the sealed metadata pages (pages.ts). They are a cache of the records, so the
		// step makes the table only: the first listing after it builds the pages from the records.
		from: 3,
		to: 4,
		up(db) {
			db.exec(schemaV4Additions);
		},
	},
	{
		// Format 5 checks rollback by buckets of rows (rollback.ts) instead of one digest of every
		// row. Sealing needs the root key, so the step makes the table and marks the seal: the first
		// unlock checks the old digest in full, once, then builds the buckets from the same rows (or,
		// when the old digest was itself still pending, builds them as format 3's first unlock did).
		from: 4,
		to: 5,
		up(db) {
			db.exec(schemaV5Additions);
			const old = db.prepare("SELECT value FROM header WHERE key = 'rollback_digest'").get() as {value: string} | undefined;
			db.prepare("INSERT INTO header (key, value) VALUES ('rollback_seal', ?)").run(old?.value === 'pending' ? 'pending' : 'from-sum');
			if (old?.value === 'pending') {
				db.prepare("DELETE FROM header WHERE key = 'rollback_digest'").run();
			}
		},
	},
];

export type OpenStorageOptions = {
	/** For tests of the migration path; production uses the module's own list. */
	migrations?: readonly Migration[];
	currentVersion?: number;
};

/**
 * Creates a new vault file at `path` (which must not exist) with its schema, header and `populate`'s
 * rows. The layout is format 1 brought forward by the same migration steps an old file goes
 * through; `version` stops earlier (tests make format-1 files this way).
 */
export function createStorage(path: string, header: Record<string, string>, populate: (db: DatabaseSync) => void, version = schemaVersion): DatabaseSync {
	if (existsSync(path)) {
		throw new VaultExistsError(`a file already exists at ${path}`);
	}

	const previousUmask = process.umask(0o077);
	let db: DatabaseSync;
	try {
		db = connect(path);
		chmodSync(path, 0o600);
		configure(db);
	} finally {
		process.umask(previousUmask);
	}

	inTransaction(db, () => {
		db.exec(schemaV1);
		for (let at = 1; at < version; ) {
			const step = migrations.find(candidate => candidate.from === at)!;
			step.up(db);
			at = step.to;
		}

		db.exec(`PRAGMA application_id = ${applicationId}`);
		db.exec(`PRAGMA user_version = ${version}`);
		const insert = db.prepare('INSERT INTO header (key, value) VALUES (?, ?)');
		for (const [key, value] of Object.entries(header)) {
			insert.run(key, value);
		}

		populate(db);
	});
	return db;
}

export function openStorage(path: string, options: OpenStorageOptions = {}): DatabaseSync {
	if (!existsSync(path)) {
		throw new VaultNotFoundError(`no vault at ${path}: run 'hush init' first (or set HUSH_HOME)`);
	}

	const previousUmask = process.umask(0o077);
	let db: DatabaseSync;
	try {
		db = connect(path);
	} finally {
		process.umask(previousUmask);
	}

	try {
		// Identify the file before changing anything in it: a foreign SQLite file is refused untouched.
		readVersion(db, options.currentVersion ?? schemaVersion);
		configure(db);
		migrate(db, options.migrations ?? migrations, options.currentVersion ?? schemaVersion);
		assertOwnSchema(db);
	} catch (error) {
		db.close();
		throw error instanceof UnsupportedFormatError || error instanceof IntegrityError ? error : asStorageError(error, path);
	}

	return db;
}

function connect(path: string): DatabaseSync {
	try {
		return new DatabaseSync(path, {timeout: 30_000});
	} catch (error) {
		throw asStorageError(error, path);
	}
}

function configure(db: DatabaseSync): void {
	db.exec('PRAGMA journal_mode = WAL');
	// FULL: a commit is on disk before hush reports success, so a crash keeps it.
	db.exec('PRAGMA synchronous = FULL');
	// Freed pages are zeroed, so deleted ciphertext does not linger in the file.
	db.exec('PRAGMA secure_delete = ON');
}

const sqliteBusy = 5;

/**
 * A staged vault's modes while it is filled, then the vault's own (configure's) again: see
 * SyncStore.stagedWrites. Leaving the write-ahead log needs the file to itself: should another
 * connection hold it at that moment, the mode stays as it was, which is only slower (filling) or
 * is set again by the next open's configure (finished), never less safe for the vault it becomes.
 */
export function configureStaged(db: DatabaseSync, phase: 'filling' | 'finished'): void {
	try {
		db.exec(phase === 'filling' ? 'PRAGMA journal_mode = MEMORY' : 'PRAGMA journal_mode = WAL');
	} catch (error) {
		// Locked by another connection (SQLITE_BUSY: SQLite does not wait for a change of journal):
		// as above. Anything else is a real failure of the file.
		if ((error as {errcode?: unknown}).errcode !== sqliteBusy) {
			throw error;
		}
	}

	db.exec(phase === 'filling' ? 'PRAGMA synchronous = OFF' : 'PRAGMA synchronous = FULL');
}

function readVersion(db: DatabaseSync, currentVersion: number): number {
	const {application_id: appId} = db.prepare('PRAGMA application_id').get() as {application_id: number};
	const {user_version: version} = db.prepare('PRAGMA user_version').get() as {user_version: number};
	if (appId !== applicationId) {
		throw new UnsupportedFormatError('this file is not a hush vault');
	}

	if (version > currentVersion) {
		throw new UnsupportedFormatError(`this vault uses format ${version}, but this hush understands up to ${currentVersion}: upgrade hush`);
	}

	return version;
}

function migrate(db: DatabaseSync, steps: readonly Migration[], currentVersion: number): void {
	if (readVersion(db, currentVersion) === currentVersion) {
		return;
	}

	inTransaction(db, () => {
		// Another process may have migrated while we waited for the write lock.
		let version = readVersion(db, currentVersion);
		while (version < currentVersion) {
			const step = steps.find(candidate => candidate.from === version);
			if (!step) {
				throw new UnsupportedFormatError(`no migration from vault format ${version}: this file cannot be opened`);
			}

			step.up(db);
			version = step.to;
			db.exec(`PRAGMA user_version = ${version}`);
		}
	});
}

export function readHeader(db: DatabaseSync): Map<string, string> {
	const rows = db.prepare('SELECT key, value FROM header').all() as Array<{key: string; value: string}>;
	return new Map(rows.map(row => [row.key, row.value]));
}

/** SQLite's own errors become one clear line; a damaged file is an integrity failure. */
export function asStorageError(error: unknown, path: string): Error {
	const message = error instanceof Error ? error.message : String(error);
	if (/not a database|malformed|file is encrypted/i.test(message)) {
		return new IntegrityError(`the vault file at ${path} is damaged or not a hush vault`);
	}

	return error instanceof Error ? error : new Error(message);
}
