import type {AuditEntry, PushRecord, VaultSummary, WireRecord} from '../protocol/index.js';
import type {Row, Tx} from './store.js';

/**
 * The server's data access: every SQL statement the routes run, over the async {@link Tx} that
 * SQLite and PostgreSQL share. Rows become protocol types here and nowhere else.
 */

export type VaultRow = {id: string; header: string; lastSeq: number};

/** A stored record: its wire form, its sequence number and the user owning it when private. */
export type StoredRecord = {wire: WireRecord; seq: number; owner: string | null};

/** Who made a request, for the audit log. */
export type Actor = {user: string; tokenId: string; client: string};

/** One audit row; `records` counts what a pull returned (a pull is one row, not one per record). */
export type AuditInput = {vaultId: string | null; recordId: string | null; action: string; records?: number};

/** An audit entry as GET /v1/audit answers it: `records` is set on pulls. */
export type ServerAuditEntry = AuditEntry & {records: number | null};

function toStored(row: Row): StoredRecord {
	const owner = row['owner'] === null || row['owner'] === undefined ? null : String(row['owner']);
	return {
		wire: {
			id: String(row['id']),
			rev: Number(row['rev']),
			deleted: Number(row['deleted']) === 1,
			private: owner !== null,
			keyGeneration: Number(row['key_generation']),
			meta: {nonce: String(row['meta_nonce']), ciphertext: String(row['meta_ct'])},
			values: row['values_ct'] === null || row['values_ct'] === undefined ? null : {nonce: String(row['values_nonce']), ciphertext: String(row['values_ct'])},
		},
		seq: Number(row['seq']),
		owner,
	};
}

/** Appends audit entries in the caller's transaction (200 rows per statement). */
export async function appendAudit(tx: Tx, actor: Actor, entries: readonly AuditInput[]): Promise<void> {
	const at = new Date().toISOString();
	for (let start = 0; start < entries.length; start += 200) {
		const chunk = entries.slice(start, start + 200);
		await tx.run(
			`INSERT INTO audit (at, user_name, token_id, vault_id, record_id, action, client, records) VALUES ${chunk.map(() => '(?, ?, ?, ?, ?, ?, ?, ?)').join(', ')}`,
			chunk.flatMap(entry => [at, actor.user, actor.tokenId, entry.vaultId, entry.recordId, entry.action, actor.client, entry.records ?? null]),
		);
	}
}

export async function readAudit(tx: Tx, limit: number): Promise<ServerAuditEntry[]> {
	const rows = await tx.all('SELECT * FROM audit ORDER BY seq DESC LIMIT ?', [limit]);
	const optional = (value: unknown) => (value === null || value === undefined ? null : String(value));
	return rows.map(row => ({
		seq: Number(row['seq']),
		at: String(row['at']),
		user: String(row['user_name']),
		tokenId: String(row['token_id']),
		vaultId: optional(row['vault_id']),
		recordId: optional(row['record_id']),
		action: String(row['action']),
		client: String(row['client']),
		records: row['records'] === null || row['records'] === undefined ? null : Number(row['records']),
	}));
}

/**
 * Deletes audit entries older than `before` (an ISO time), in batches so that a long backlog never
 * holds the database's write lock for long; returns how many went.
 */
export async function pruneAudit(transaction: <T>(work: (tx: Tx) => Promise<T>) => Promise<T>, before: string, batch = 5000): Promise<number> {
	let total = 0;
	for (;;) {
		const deleted = await transaction(async tx => tx.run('DELETE FROM audit WHERE seq IN (SELECT seq FROM audit WHERE at < ? ORDER BY seq LIMIT ?)', [before, batch]));
		total += deleted;
		if (deleted < batch) {
			return total;
		}
	}
}

/** The vault's row; `lock` (the store's `forUpdate`) holds it for the rest of the transaction. */
export async function findVault(tx: Tx, vaultId: string, lock = ''): Promise<VaultRow | null> {
	const row = (await tx.all(`SELECT id, header, last_seq FROM vaults WHERE id = ?${lock}`, [vaultId]))[0];
	return row ? {id: String(row['id']), header: String(row['header']), lastSeq: Number(row['last_seq'])} : null;
}

export async function isMember(tx: Tx, vaultId: string, user: string): Promise<boolean> {
	return (await tx.all('SELECT 1 FROM vault_members WHERE vault_id = ? AND user_name = ?', [vaultId, user])).length > 0;
}

/** Idempotent, also when two servers grant the same membership at once. */
export async function grantVault(tx: Tx, vaultId: string, user: string): Promise<void> {
	await tx.run('INSERT INTO vault_members (vault_id, user_name) VALUES (?, ?) ON CONFLICT (vault_id, user_name) DO NOTHING', [vaultId, user]);
}

export async function vaultsOf(tx: Tx, user: string): Promise<VaultSummary[]> {
	const rows = await tx.all('SELECT v.id, v.created_at FROM vaults v JOIN vault_members m ON m.vault_id = v.id WHERE m.user_name = ? ORDER BY v.created_at', [user]);
	return rows.map(row => ({id: String(row['id']), createdAt: String(row['created_at'])}));
}

/**
 * Creates a vault with `header` (JSON text) and makes `user` its first member; false when the vault
 * exists after all. Another server sharing the database may create the same vault between our look
 * and this insert: ON CONFLICT waits for that creator to commit and then inserts nothing, where a
 * plain INSERT would fail on the primary key.
 */
export async function createVault(tx: Tx, vaultId: string, header: string, user: string): Promise<boolean> {
	const inserted = await tx.run('INSERT INTO vaults (id, header, last_seq, created_by, created_at) VALUES (?, ?, 0, ?, ?) ON CONFLICT (id) DO NOTHING', [
		vaultId,
		header,
		user,
		new Date().toISOString(),
	]);
	if (inserted === 0) {
		return false;
	}

	await grantVault(tx, vaultId, user);
	return true;
}

/**
 * Serialises vault creation per user until the transaction ends, so servers sharing a PostgreSQL
 * database cannot together exceed the per-user vault limit (SQLite transactions are serial already).
 */
export async function holdUserQuota(tx: Tx, kind: 'sqlite' | 'postgres', user: string): Promise<void> {
	if (kind === 'postgres') {
		await tx.all('SELECT pg_advisory_xact_lock(hashtext(?))', [`hush-vaults:${user}`]);
	}
}

/** How many vaults `user` has created (what the per-user vault limit counts). */
export async function vaultsCreatedBy(tx: Tx, user: string): Promise<number> {
	return Number((await tx.all('SELECT COUNT(*) AS n FROM vaults WHERE created_by = ?', [user]))[0]?.['n'] ?? 0);
}

export async function replaceHeader(tx: Tx, vaultId: string, header: string): Promise<void> {
	await tx.run('UPDATE vaults SET header = ? WHERE id = ?', [header, vaultId]);
}

export async function setLastSeq(tx: Tx, vaultId: string, seq: number): Promise<void> {
	await tx.run('UPDATE vaults SET last_seq = ? WHERE id = ?', [seq, vaultId]);
}

/**
 * Records of `vaultId` written after `since` up to `upTo`, in sequence order, at most `limit`.
 * Private records of other users are filtered in SQL: they never leave the database.
 */
export async function changesSince(tx: Tx, input: {vaultId: string; since: number; upTo: number; user: string; limit: number}): Promise<StoredRecord[]> {
	const rows = await tx.all('SELECT * FROM records WHERE vault_id = ? AND seq > ? AND seq <= ? AND (owner IS NULL OR owner = ?) ORDER BY seq LIMIT ?', [
		input.vaultId,
		input.since,
		input.upTo,
		input.user,
		input.limit,
	]);
	return rows.map(toStored);
}

export async function findRecord(tx: Tx, vaultId: string, id: string): Promise<StoredRecord | null> {
	const row = (await tx.all('SELECT * FROM records WHERE vault_id = ? AND id = ?', [vaultId, id]))[0];
	return row ? toStored(row) : null;
}

/** Stores `record` at sequence `seq`, replacing the stored one when `exists`. */
export async function writeRecord(tx: Tx, input: {vaultId: string; record: PushRecord; seq: number; owner: string | null; exists: boolean; now: string}): Promise<void> {
	const {record} = input;
	const values = [
		record.rev,
		input.seq,
		input.owner,
		record.deleted ? 1 : 0,
		record.keyGeneration,
		record.meta.nonce,
		record.meta.ciphertext,
		record.values?.nonce ?? null,
		record.values?.ciphertext ?? null,
		input.now,
		input.vaultId,
		record.id,
	];
	await tx.run(
		input.exists
			? 'UPDATE records SET rev = ?, seq = ?, owner = ?, deleted = ?, key_generation = ?, meta_nonce = ?, meta_ct = ?, values_nonce = ?, values_ct = ?, updated_at = ? WHERE vault_id = ? AND id = ?'
			: 'INSERT INTO records (rev, seq, owner, deleted, key_generation, meta_nonce, meta_ct, values_nonce, values_ct, updated_at, vault_id, id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
		values,
	);
}
