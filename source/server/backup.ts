import {chmodSync, existsSync, renameSync, rmSync, statSync} from 'node:fs';
import {DatabaseSync} from 'node:sqlite';
import {HushError, InvalidInputError, describeError} from '../errors.js';
import {currentServerSchema, isPostgresUrl} from './store.js';

/**
 * `hush server backup FILE`: a consistent copy of a SQLite server database, taken while servers
 * keep writing to it. VACUUM INTO copies one read transaction's snapshot (WAL lets writers go on
 * meanwhile), where a file copy can catch the database file and its WAL at different moments, and
 * where SQLite's page-by-page backup API restarts whenever another process writes, so it may never
 * finish under load. The copy is written beside FILE and renamed into place once checked: FILE is
 * either a whole, verified backup or absent. PostgreSQL has pg_dump for this.
 */

export type BackupSummary = {file: string; bytes: number; vaults: number; records: number};

function count(db: DatabaseSync, table: string): number {
	return Number((db.prepare(`SELECT COUNT(*) AS n FROM ${table}`).get() as {n: number}).n);
}

export function backupSqlite(source: string, target: string): BackupSummary {
	if (isPostgresUrl(source)) {
		throw new InvalidInputError('a PostgreSQL server database is backed up with pg_dump (pg_dump --format=custom --file=FILE URL), not hush server backup');
	}

	if (!existsSync(source)) {
		throw new HushError(`there is no server database at ${source}: check --db`);
	}

	if (existsSync(target)) {
		throw new InvalidInputError(`${target} already exists: back up to a new file`);
	}

	const partial = `${target}.partial-${process.pid}`;
	const previousUmask = process.umask(0o077);
	try {
		const db = new DatabaseSync(source, {timeout: 30_000});
		try {
			const version = db.prepare("SELECT value FROM server_meta WHERE key = 'schema_version'").get() as {value: string} | undefined;
			if (!version || Number(version.value) > currentServerSchema) {
				throw new HushError(`${source} is not a server database this hush understands`);
			}

			db.prepare('VACUUM INTO ?').run(partial);
		} finally {
			db.close();
		}

		const copy = new DatabaseSync(partial, {readOnly: true});
		let summary: BackupSummary;
		try {
			const check = copy.prepare('PRAGMA integrity_check').all() as Array<{integrity_check: string}>;
			if (check.length !== 1 || check[0]!.integrity_check !== 'ok') {
				throw new HushError('the copy failed its integrity check: nothing was written');
			}

			summary = {file: target, bytes: statSync(partial).size, vaults: count(copy, 'vaults'), records: count(copy, 'records')};
		} finally {
			copy.close();
		}

		chmodSync(partial, 0o600);
		renameSync(partial, target);
		return summary;
	} catch (error) {
		rmSync(partial, {force: true});
		throw error instanceof HushError ? error : new HushError(`cannot back up ${source}: ${describeError(error)}`);
	} finally {
		process.umask(previousUmask);
	}
}
