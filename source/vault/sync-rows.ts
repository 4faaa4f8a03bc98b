import type {DatabaseSync} from 'node:sqlite';
import {prepared} from './statements.js';
import type {RecordRow} from './records.js';
import type {PendingRecord, SyncState} from './sync-store-types.js';

/**
 * Queries on the sync tables (see schema-sql.ts) beside the records: what is pending, each
 * record's sync state, and `sync_conflicts`, the remote side of each unresolved conflict, sealed at
 * its own revision. The sync store (sync-store.ts) runs them.
 */

/** A conflict copy as a record row (its sealed parts, at its own revision). */
const conflictColumns = 'record_id AS id, revision, key_generation, meta_nonce, meta_ciphertext, values_nonce, values_ciphertext';

export function storeConflictRow(db: DatabaseSync, remote: RecordRow, detectedAt: string): void {
	prepared(
		db,
		`INSERT INTO sync_conflicts (record_id, revision, key_generation, meta_nonce, meta_ciphertext, values_nonce, values_ciphertext, detected_at)
		 VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (record_id) DO UPDATE SET revision = excluded.revision, key_generation = excluded.key_generation,
		 meta_nonce = excluded.meta_nonce, meta_ciphertext = excluded.meta_ciphertext, values_nonce = excluded.values_nonce,
		 values_ciphertext = excluded.values_ciphertext, detected_at = excluded.detected_at`,
	).run(remote.id, remote.revision, remote.key_generation, remote.meta_nonce, remote.meta_ciphertext, remote.values_nonce, remote.values_ciphertext, detectedAt);
}

export function conflictRow(db: DatabaseSync, id: string): RecordRow | undefined {
	const row = prepared(db, `SELECT ${conflictColumns} FROM sync_conflicts WHERE record_id = ?`).get(id) as RecordRow | undefined;
	return row && {...row, name_mac: null};
}

export function conflictRows(db: DatabaseSync): RecordRow[] {
	const rows = prepared(db, `SELECT ${conflictColumns} FROM sync_conflicts`).all() as RecordRow[];
	return rows.map(row => ({...row, name_mac: null}));
}

/** Records changed here since they were last agreed with the server, minus those in conflict or in a name clash. */
export function pendingRows(db: DatabaseSync): PendingRecord[] {
	return prepared(
		db,
		`SELECT r.*, COALESCE(s.base_rev, 0) AS base_rev FROM records r LEFT JOIN sync_records s ON s.record_id = r.id
		 WHERE (s.record_id IS NULL OR r.revision != s.base_rev)
		 AND NOT EXISTS (SELECT 1 FROM sync_conflicts c WHERE c.record_id = r.id)
		 AND NOT (r.name_mac IS NULL AND r.values_ciphertext IS NOT NULL)`,
	).all() as PendingRecord[];
}

export function syncStateRows(db: DatabaseSync): Map<string, SyncState> {
	const rows = prepared(
		db,
		`SELECT r.id, r.revision, (r.name_mac IS NULL AND r.values_ciphertext IS NOT NULL) AS clash, s.base_rev,
		 EXISTS (SELECT 1 FROM sync_conflicts c WHERE c.record_id = r.id) AS conflict
		 FROM records r LEFT JOIN sync_records s ON s.record_id = r.id`,
	).all() as Array<{id: string; revision: number; clash: number; base_rev: number | null; conflict: number}>;
	return new Map(rows.map(row => [row.id, row.conflict || row.clash ? 'conflict' : row.base_rev === row.revision ? 'synced' : 'pending'] as const));
}
