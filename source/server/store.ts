import {DatabaseSync} from 'node:sqlite';
import {chmodSync, existsSync} from 'node:fs';
import {UnsupportedFormatError} from '../errors.js';
import {teamLogDdl} from './team-log-store.js';
import {teamInviteDdl} from './team-invite-store.js';
import {rebuildTeamMembers, teamMembersDdl} from './team-members.js';

/**
 * The server's storage, behind one small async interface so SQLite (embedded default) and
 * PostgreSQL (teams, several `hush serve` processes) run the same SQL and the same logic.
 * SQL is written with `?` placeholders; the PostgreSQL store numbers them. Ciphertexts are
 * stored as base64 text, which both engines index and compare the same way.
 */

export type Row = Record<string, unknown>;

export type Tx = {
	all(sql: string, params?: readonly unknown[]): Promise<Row[]>;
	run(sql: string, params?: readonly unknown[]): Promise<number>;
};

export type Store = {
	readonly kind: 'sqlite' | 'postgres';
	/** Appended to the SELECT that locks a vault's row for the rest of a write transaction. */
	readonly forUpdate: string;
	/** Runs `work` in one transaction: all of it commits, or none. */
	transaction<T>(work: (tx: Tx) => Promise<T>): Promise<T>;
	close(): Promise<void>;
};

export const currentServerSchema = 5;

function ddl(kind: Store['kind']): string {
	const auditKey = kind === 'sqlite' ? 'INTEGER PRIMARY KEY AUTOINCREMENT' : 'BIGSERIAL PRIMARY KEY';
	return `
	CREATE TABLE IF NOT EXISTS tokens (
		id TEXT PRIMARY KEY,
		user_name TEXT NOT NULL,
		perms TEXT NOT NULL,
		vault_id TEXT,
		secret_hash TEXT NOT NULL,
		created_at TEXT NOT NULL,
		revoked_at TEXT
	);
	CREATE TABLE IF NOT EXISTS vaults (
		id TEXT PRIMARY KEY,
		header TEXT NOT NULL,
		last_seq BIGINT NOT NULL,
		created_by TEXT NOT NULL,
		created_at TEXT NOT NULL
	);
	CREATE TABLE IF NOT EXISTS vault_members (
		vault_id TEXT NOT NULL,
		user_name TEXT NOT NULL,
		PRIMARY KEY (vault_id, user_name)
	);
	CREATE TABLE IF NOT EXISTS records (
		vault_id TEXT NOT NULL,
		id TEXT NOT NULL,
		rev BIGINT NOT NULL,
		seq BIGINT NOT NULL,
		owner TEXT,
		deleted INTEGER NOT NULL,
		key_generation INTEGER NOT NULL,
		meta_nonce TEXT NOT NULL,
		meta_ct TEXT NOT NULL,
		values_nonce TEXT,
		values_ct TEXT,
		updated_at TEXT NOT NULL,
		PRIMARY KEY (vault_id, id)
	);
	CREATE INDEX IF NOT EXISTS records_by_seq ON records (vault_id, seq);
	CREATE TABLE IF NOT EXISTS audit (
		seq ${auditKey},
		at TEXT NOT NULL,
		user_name TEXT NOT NULL,
		token_id TEXT NOT NULL,
		vault_id TEXT,
		record_id TEXT,
		action TEXT NOT NULL,
		client TEXT NOT NULL
	);
	`;
}

/** Creates or upgrades the schema; safe to run from several processes at once. */
export async function migrateServer(store: Store): Promise<void> {
	await store.transaction(async tx => {
		if (store.kind === 'postgres') {
			// One migrator at a time across every `hush serve` sharing the database.
			await tx.all('SELECT pg_advisory_xact_lock(4847535348)');
		}

		await tx.run('CREATE TABLE IF NOT EXISTS server_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)');
		const rows = await tx.all("SELECT value FROM server_meta WHERE key = 'schema_version'");
		const version = rows.length === 0 ? 0 : Number(rows[0]!['value']);
		if (version > currentServerSchema) {
			throw new UnsupportedFormatError(`the server database uses schema ${version}, newer than this hush understands (${currentServerSchema}): upgrade hush`);
		}

		if (version < 1) {
			for (const statement of ddl(store.kind).split(';').map(text => text.trim()).filter(Boolean)) {
				await tx.run(statement);
			}
		}

		if (version < 2) {
			// A pull is audited once, with how many records it returned; retention deletes by time.
			await tx.run('ALTER TABLE audit ADD COLUMN records INTEGER');
			await tx.run('CREATE INDEX IF NOT EXISTS audit_by_at ON audit (at)');
		}

		if (version < 3) {
			await tx.run(teamLogDdl);
		}

		if (version < 4) {
			for (const statement of teamInviteDdl) {
				await tx.run(statement);
			}
		}

		if (version < 5) {
			// Team membership as the server derives it from the logs it verified (team-members.ts).
			for (const statement of teamMembersDdl) {
				await tx.run(statement);
			}

			await rebuildTeamMembers(tx);
			// A team's admins read its vault's audit rows (team-audit-routes.ts).
			await tx.run('CREATE INDEX IF NOT EXISTS audit_by_vault ON audit (vault_id, seq)');
		}

		// Later layout changes append steps here: if (version < 6) { ... }
		if (version !== currentServerSchema) {
			await tx.run('DELETE FROM server_meta WHERE key = ?', ['schema_version']);
			await tx.run('INSERT INTO server_meta (key, value) VALUES (?, ?)', ['schema_version', String(currentServerSchema)]);
		}
	});
}

export function isPostgresUrl(db: string): boolean {
	return /^postgres(ql)?:\/\//.test(db);
}

export async function openStore(db: string): Promise<Store> {
	const store = isPostgresUrl(db) ? await openPostgres(db) : openSqlite(db);
	try {
		await migrateServer(store);
	} catch (error) {
		await store.close();
		throw error;
	}

	return store;
}

function openSqlite(path: string): Store {
	const fresh = !existsSync(path);
	const previousUmask = process.umask(0o077);
	let db: DatabaseSync;
	try {
		db = new DatabaseSync(path, {timeout: 30_000});
	} finally {
		process.umask(previousUmask);
	}

	if (fresh) {
		chmodSync(path, 0o600);
	}

	db.exec('PRAGMA journal_mode = WAL');
	db.exec('PRAGMA synchronous = FULL');
	db.exec('PRAGMA secure_delete = ON');
	// node:sqlite is synchronous, so one connection serves one transaction at a time: requests queue here.
	let queue: Promise<unknown> = Promise.resolve();
	const tx: Tx = {
		async all(sql, params = []) {
			return db.prepare(sql).all(...(params as never[])) as Row[];
		},
		async run(sql, params = []) {
			return Number(db.prepare(sql).run(...(params as never[])).changes);
		},
	};
	return {
		kind: 'sqlite',
		forUpdate: '',
		transaction<T>(work: (tx: Tx) => Promise<T>): Promise<T> {
			const result = queue.then(async () => {
				db.exec('BEGIN IMMEDIATE');
				try {
					const value = await work(tx);
					db.exec('COMMIT');
					return value;
				} catch (error) {
					if (db.isTransaction) {
						db.exec('ROLLBACK');
					}

					throw error;
				}
			});
			queue = result.catch(() => undefined);
			return result;
		},
		async close() {
			await queue;
			db.close();
		},
	};
}

async function openPostgres(url: string): Promise<Store> {
	const {default: pg} = await import('pg');
	const pool = new pg.Pool({connectionString: url, max: 8});
	pool.on('error', () => {
		// An idle client lost its connection; the pool replaces it on next use.
	});
	const number = (sql: string) => {
		let index = 0;
		return sql.replace(/\?/g, () => `$${++index}`);
	};

	return {
		kind: 'postgres',
		forUpdate: ' FOR UPDATE',
		async transaction<T>(work: (tx: Tx) => Promise<T>): Promise<T> {
			const client = await pool.connect();
			try {
				await client.query('BEGIN');
				const tx: Tx = {
					async all(sql, params = []) {
						return (await client.query(number(sql), params as unknown[])).rows as Row[];
					},
					async run(sql, params = []) {
						return (await client.query(number(sql), params as unknown[])).rowCount ?? 0;
					},
				};
				const value = await work(tx);
				await client.query('COMMIT');
				return value;
			} catch (error) {
				await client.query('ROLLBACK').catch(() => undefined);
				throw error;
			} finally {
				client.release();
			}
		},
		async close() {
			await pool.end();
		},
	};
}
