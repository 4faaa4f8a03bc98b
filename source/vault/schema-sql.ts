/** The vault file's tables, as format 1 made them and each later format added to them (storage.ts's migrations). */

/** One MAC a bucket of record rows (rollback.ts). */
export const schemaV5Additions = `
	CREATE TABLE rollback_buckets (
		bucket INTEGER PRIMARY KEY,
		mac BLOB NOT NULL
	) STRICT;
`;

/** One row a metadata page (pages.ts): space, page number, the key generation it is sealed under, one GCM-SIV message. */
export const schemaV4Additions = `
	CREATE TABLE pages (
		space TEXT NOT NULL,
		page INTEGER NOT NULL,
		key_generation INTEGER NOT NULL,
		nonce BLOB NOT NULL,
		ciphertext BLOB NOT NULL,
		PRIMARY KEY (space, page)
	) STRICT;
`;

export const schemaV1 = `
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

/**
 * Sync state, beside the records it describes. A record's local `revision` IS the revision its
 * ciphertexts are sealed under, and for a synced record it equals the server's revision (the
 * server stores the revision the client sealed at). So:
 *   - `base_rev` is the server revision of the last copy both sides agreed on (0: never synced);
 *     the record is pending when `records.revision != base_rev`, synced when equal;
 *   - `base_*` keep that agreed copy's ciphertexts (sealed at `base_rev`, still encrypted), the
 *     base of three-way merges;
 *   - `seen_rev` is the highest revision the server ever showed for the record: a server offering
 *     less is going back in time, and is refused.
 * `sync_conflicts` holds the remote side of an unresolved conflict (sealed at its own revision);
 * `sync_settings` holds sealed settings (the remote's URL and token); `sync_status` non-secret
 * bookkeeping (cursor, last sync time).
 */
export const schemaV2Additions = `
	CREATE TABLE sync_records (
		record_id TEXT PRIMARY KEY,
		base_rev INTEGER NOT NULL,
		seen_rev INTEGER NOT NULL,
		base_key_generation INTEGER,
		base_meta_nonce BLOB,
		base_meta_ciphertext BLOB,
		base_values_nonce BLOB,
		base_values_ciphertext BLOB
	) STRICT;

	CREATE TABLE sync_conflicts (
		record_id TEXT PRIMARY KEY,
		revision INTEGER NOT NULL,
		key_generation INTEGER NOT NULL,
		meta_nonce BLOB NOT NULL,
		meta_ciphertext BLOB NOT NULL,
		values_nonce BLOB,
		values_ciphertext BLOB,
		detected_at TEXT NOT NULL
	) STRICT;

	CREATE TABLE sync_settings (
		key TEXT PRIMARY KEY,
		nonce BLOB NOT NULL,
		ciphertext BLOB NOT NULL
	) STRICT;

	CREATE TABLE sync_status (
		key TEXT PRIMARY KEY,
		value TEXT NOT NULL
	) STRICT;
`;
