import type {DatabaseSync, StatementSync} from 'node:sqlite';
import {prepared} from './statements.js';
import {notePageWrite} from './pages-pending.js';
import {canonical} from './rollback-canonical.js';
import type {RecordRow, SealedMeta} from './records.js';
import type {RollbackDigest} from './rollback.js';

/**
 * The `records` table: every query the vault (and, through the sync store, sync) runs on it. Rows
 * hold ids, revisions, name MACs and ciphertext only; sealing and opening is the codec's.
 */

/** Rows of live secrets (tombstones have no values). */
export const liveRecords = 'values_ciphertext IS NOT NULL';

/** Live secrets kept without their name MAC: another secret here held the name when they arrived from sync. */
const nameClash = 'name_mac IS NULL AND values_ciphertext IS NOT NULL';

/**
 * Inserts or replaces one row exactly as given: the one upsert every record write goes through
 * (the vault's own writes through the codec, sync's through the sync store), and so the one place
 * the rollback digest notes the row's bucket and the row's metadata page is noted for re-sealing
 * (pages.ts; re-sealed once per transaction, at its end). `meta` is the row's metadata when the
 * writer has it in plaintext, so the page need not open it again. Call inside a write transaction.
 */
export function upsertRecord(db: DatabaseSync, digest: RollbackDigest, row: RecordRow, meta?: SealedMeta): void {
	const before = recordById(db, row.id);
	const {rowid} = prepared(db, 
		`INSERT INTO records (id, name_mac, revision, key_generation, meta_nonce, meta_ciphertext, values_nonce, values_ciphertext)
		 VALUES (?, ?, ?, ?, ?, ?, ?, ?)
		 ON CONFLICT (id) DO UPDATE SET name_mac = excluded.name_mac, revision = excluded.revision,
		 key_generation = excluded.key_generation, meta_nonce = excluded.meta_nonce, meta_ciphertext = excluded.meta_ciphertext,
		 values_nonce = excluded.values_nonce, values_ciphertext = excluded.values_ciphertext
		 RETURNING rowid`,
	).get(row.id, row.name_mac, row.revision, row.key_generation, row.meta_nonce, row.meta_ciphertext, row.values_nonce, row.values_ciphertext) as {rowid: number};
	// Its canonical text (rollback-canonical.ts), made once for the digest and the page.
	const written = {id: row.id, text: canonical(row)};
	digest.noteWrite(db, rowid, written, before);
	notePageWrite(db, rowid, written, meta);
}

export function liveRecordByNameMac(db: DatabaseSync, nameMac: Uint8Array): RecordRow | undefined {
	return prepared(db, `SELECT * FROM records WHERE name_mac = ? AND ${liveRecords}`).get(nameMac) as RecordRow | undefined;
}

export function liveRecordById(db: DatabaseSync, id: string): RecordRow | undefined {
	return prepared(db, `SELECT * FROM records WHERE id = ? AND ${liveRecords}`).get(id) as RecordRow | undefined;
}

/** A record by id, tombstones included. */
export function recordById(db: DatabaseSync, id: string): RecordRow | undefined {
	return prepared(db, 'SELECT * FROM records WHERE id = ?').get(id) as RecordRow | undefined;
}

/** The id of the record filed under `nameMac`, if any (tombstones hold no MAC). */
export function nameMacHolder(db: DatabaseSync, nameMac: Uint8Array): string | undefined {
	return (prepared(db, 'SELECT id FROM records WHERE name_mac = ?').get(nameMac) as {id: string} | undefined)?.id;
}

export function nameClashRecords(db: DatabaseSync): RecordRow[] {
	return db.prepare(`SELECT * FROM records WHERE ${nameClash}`).all() as RecordRow[];
}

export function countNameClashes(db: DatabaseSync): number {
	return (db.prepare(`SELECT COUNT(*) AS count FROM records WHERE ${nameClash}`).get() as {count: number}).count;
}

export function setNameMac(db: DatabaseSync, id: string, nameMac: Uint8Array): void {
	db.prepare('UPDATE records SET name_mac = ? WHERE id = ?').run(nameMac, id);
}

/** The generation new ciphertexts are sealed under; read inside the write's transaction. */
export function currentKeyGeneration(db: DatabaseSync): number {
	const row = prepared(db, "SELECT value FROM header WHERE key = 'key_generation'").get() as {value: string} | undefined;
	return Number(row?.value ?? '1');
}

/** The first and last rowid, from the ends of the rowid b-tree: no scan. An empty table spans nothing. */
export function rowidSpan(db: DatabaseSync): {first: number; last: number} {
	// Two queries: SQLite reads min() or max() from the b-tree's end only when a query asks for one of them.
	const {first} = prepared(db, 'SELECT MIN(rowid) AS first FROM records').get() as {first: number | null};
	const {last} = prepared(db, 'SELECT MAX(rowid) AS last FROM records').get() as {last: number | null};
	return first === null || last === null ? {first: 0, last: -1} : {first, last};
}

/** The first rowid at or after `from`, by the rowid b-tree (no scan): a reader of pages skips the empty ones. */
export function nextRowid(db: DatabaseSync, from: number): number | undefined {
	const {next} = prepared(db, 'SELECT MIN(rowid) AS next FROM records WHERE rowid >= ?').get(from) as {next: number | null};
	return next ?? undefined;
}
