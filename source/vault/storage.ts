import {chmodSync, existsSync, mkdirSync, statSync} from 'node:fs';
import {DatabaseSync} from 'node:sqlite';
import {IntegrityError, UnsupportedFormatError, VaultExistsError, VaultNotFoundError} from './errors.js';

/**
 * The vault file: one SQLite database holding only ids, revisions, name MACs, timestamps and
 * ciphertext. This module knows tables and transactions, never keys or plaintext.
 */

/** 'HUSH' in ASCII, so a random SQLite file is never mistaken for a vault. */
const applicationId = 0x48_55_53_48;

/** Version of the table layout. Older files are migrated on open; newer ones are refused. */
export const schemaVersion = 1;

export type Migration = {
	from: number;
	to: number;
	up(db: DatabaseSync): void;
};

/**
 * Every layout change appends one step here. A vault written by an older hush is brought forward
 * on open, all steps in one transaction, so a failed migration leaves the file as it was.
 */
export const migrations: readonly Migration[] = [];

const schemaV1 = `
	CREATE TABLE header (
		key TEXT PRIMARY KEY,
		value TEXT NOT NULL
	) STRICT;

	CREATE TABLE keyslots (
		slot INTEGER PRIMARY KEY,
		kind TEXT NOT NULL,
		kdf TEXT,
		salt BLOB NOT NULL,
		nonce BLOB NOT NULL,
		wrapped_key BLOB NOT NULL,
		created_at TEXT NOT NULL,
		expires_at TEXT
	) STRICT;

	CREATE TABLE records (
		id TEXT PRIMARY KEY,
		name_mac BLOB UNIQUE,
		revision INTEGER NOT NULL,
		key_generation INTEGER NOT NULL,
		meta_nonce BLOB NOT NULL,
		meta_ciphertext BLOB NOT NULL,
		values_nonce BLOB,
		values_ciphertext BLOB
	) STRICT;

	CREATE TABLE audit (
		seq INTEGER PRIMARY KEY,
		at TEXT NOT NULL,
		actor TEXT NOT NULL,
		action TEXT NOT NULL,
		record_id TEXT,
		command TEXT NOT NULL,
		prev_mac BLOB NOT NULL,
		mac BLOB NOT NULL
	) STRICT;

	CREATE INDEX audit_by_record ON audit (record_id, action, at);
`;

export type OpenStorageOptions = {
	/** For tests of the migration path; production uses the module's own list. */
	migrations?: readonly Migration[];
	currentVersion?: number;
};

export function ensurePrivateDirectory(directory: string): void {
	mkdirSync(directory, {recursive: true, mode: 0o700});
	if ((statSync(directory).mode & 0o077) !== 0) {
		chmodSync(directory, 0o700);
	}
}

/** Creates a new vault file at `path` (which must not exist) with its schema, header and `populate`'s rows. */
export function createStorage(path: string, header: Record<string, string>, populate: (db: DatabaseSync) => void): DatabaseSync {
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
		db.exec(`PRAGMA application_id = ${applicationId}`);
		db.exec(`PRAGMA user_version = ${schemaVersion}`);
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
	} catch (error) {
		db.close();
		throw error instanceof UnsupportedFormatError ? error : asStorageError(error, path);
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

/**
 * Runs `work` as one write transaction. BEGIN IMMEDIATE takes the write lock up front, so the
 * reads inside see the latest committed state and no other process can write until we finish:
 * read-modify-write without lost updates.
 */
export function inTransaction<T>(db: DatabaseSync, work: () => T): T {
	db.exec('BEGIN IMMEDIATE');
	try {
		const result = work();
		db.exec('COMMIT');
		return result;
	} catch (error) {
		if (db.isTransaction) {
			db.exec('ROLLBACK');
		}

		throw error;
	}
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
