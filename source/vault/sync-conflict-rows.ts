import type {DatabaseSync} from 'node:sqlite';
import {prepared} from './statements.js';
import type {RecordRow} from './records.js';

/** The `sync_conflicts` table (see schema-sql.ts): the remote side of each unresolved conflict, sealed at its own revision. */

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
