import {type KeyObject, createHmac, createSecretKey} from 'node:crypto';
import {prepared} from './statements.js';
import type {DatabaseSync, StatementSync} from 'node:sqlite';
import {encodeFields} from './encoding.js';

/**
 * The append-only audit log. Each entry's MAC covers its own fields and the previous entry's MAC,
 * keyed from the root key, so an edited, deleted or reordered entry breaks the chain and nobody
 * without the vault key can forge a new one. A keyed head MAC in the header catches a truncated
 * tail. Entries hold a record id, never a name or a value.
 *
 * The head MAC also says whether the vault had a rollback digest when the head was written
 * (format 3 on, see rollback.ts): a 'legacy' head comes from a hush before the digest. A file
 * whose digest is marked pending (just migrated) must have a legacy head or no entries at all, so
 * marking a digest pending again, by hand, needs the whole log wiped or restored from an old copy.
 */

export const auditActions = ['create', 'update', 'read', 'inject', 'delete', 'rename', 'export', 'passwd', 'lock', 'remember', 'session'] as const;
export type AuditAction = (typeof auditActions)[number];

/** Actions that count as a use of a secret's values: they set `lastUsedAt`. */
export const useActions: readonly AuditAction[] = ['read', 'inject', 'export'];

export type AuditEntry = {
	seq: number;
	at: string;
	actor: string;
	action: AuditAction;
	recordId: string | null;
	command: string;
};

type AuditRow = {
	seq: number;
	at: string;
	actor: string;
	action: string;
	record_id: string | null;
	command: string;
	prev_mac: Uint8Array;
	mac: Uint8Array;
};

const genesis = new Uint8Array(32);

const keyObjects = new WeakMap<Uint8Array, KeyObject>();

/**
 * The audit key as a KeyObject, made once per key: a pull appends thousands of entries, and
 * importing raw key bytes for every HMAC cost more than the HMACs themselves. A wiped (all-zero)
 * key is never served from the cache, so a MAC made after a wipe is no MAC under the real key.
 */
function hmacKey(key: Uint8Array): KeyObject | Uint8Array {
	if (key.every(byte => byte === 0)) {
		return key;
	}

	let object = keyObjects.get(key);
	if (!object) {
		object = createSecretKey(key);
		keyObjects.set(key, object);
	}

	return object;
}

function entryMac(key: Uint8Array, previous: Uint8Array, entry: AuditEntry): Uint8Array {
	const mac = createHmac('sha256', hmacKey(key))
		.update(previous)
		.update(encodeFields([entry.seq, entry.at, entry.actor, entry.action, entry.recordId ?? '', entry.command]))
		.digest();
	return new Uint8Array(mac);
}

/** Which head MACs a verification accepts: see the module comment. */
export type AuditHeads = 'legacy' | 'current';

function headMac(key: Uint8Array, seq: number, mac: Uint8Array, kind: 'legacy' | 'current'): string {
	const fields = kind === 'legacy' ? ['audit-head', seq, mac] : ['audit-head', seq, mac, 'rollback-digest'];
	return createHmac('sha256', hmacKey(key)).update(encodeFields(fields)).digest('base64');
}

/** Rewrites the head MAC as a current one (when a vault gets its rollback digest). */
export function renewAuditHead(db: DatabaseSync, key: Uint8Array): void {
	const last = db.prepare('SELECT seq, mac FROM audit ORDER BY seq DESC LIMIT 1').get() as {seq: number; mac: Uint8Array} | undefined;
	if (last) {
		writeHead(db, headMac(key, last.seq, last.mac, 'current'));
	}
}

function writeHead(db: DatabaseSync, head: string): void {
	prepared(db, "INSERT INTO header (key, value) VALUES ('audit_head', ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value").run(head);
}

/**
 * Appends one entry. Call inside the same transaction as the change it records. `head` is
 * 'current' once the vault keeps a rollback digest, 'legacy' in an older format.
 */
export function appendAudit(db: DatabaseSync, key: Uint8Array, entry: Omit<AuditEntry, 'seq'>, head: 'legacy' | 'current'): void {
	appendAuditEntries(db, key, [entry], head);
}

/**
 * Appends entries in order, exactly as that many {@link appendAudit} calls would (same rows, same
 * chain, same final head), but reads the tail and writes the head once: a pull logs thousands.
 */
export function appendAuditEntries(db: DatabaseSync, key: Uint8Array, entries: ReadonlyArray<Omit<AuditEntry, 'seq'>>, head: 'legacy' | 'current'): void {
	if (entries.length === 0) {
		return;
	}

	const last = prepared(db, 'SELECT seq, mac FROM audit ORDER BY seq DESC LIMIT 1').get() as {seq: number; mac: Uint8Array} | undefined;
	const insert = prepared(db, 'INSERT INTO audit (seq, at, actor, action, record_id, command, prev_mac, mac) VALUES (?, ?, ?, ?, ?, ?, ?, ?)');
	let seq = last?.seq ?? 0;
	let previous = last?.mac ?? genesis;
	for (const entry of entries) {
		const full: AuditEntry = {...entry, seq: ++seq};
		const mac = entryMac(key, previous, full);
		insert.run(full.seq, full.at, full.actor, full.action, full.recordId, full.command, previous, mac);
		previous = mac;
	}

	writeHead(db, headMac(key, seq, previous, head));
}

export function readAudit(db: DatabaseSync, filter: {recordId?: string; since?: string} = {}): AuditEntry[] {
	const rows = db
		.prepare(
			`SELECT seq, at, actor, action, record_id, command FROM audit
			 WHERE (?1 IS NULL OR record_id = ?1) AND (?2 IS NULL OR at >= ?2) ORDER BY seq`,
		)
		.all(filter.recordId ?? null, filter.since ?? null) as AuditRow[];
	return rows.map(row => toEntry(row));
}

export type AuditVerification = {ok: true; entries: number} | {ok: false; entries: number; firstBroken: number; reason: string};

export function verifyAudit(db: DatabaseSync, key: Uint8Array, heads: AuditHeads): AuditVerification {
	const rows = db.prepare('SELECT * FROM audit ORDER BY seq').all() as AuditRow[];
	let previous: Uint8Array = genesis;
	let expectedSeq = 1;
	for (const row of rows) {
		const broken = (reason: string): AuditVerification => ({ok: false, entries: rows.length, firstBroken: expectedSeq, reason});
		if (row.seq !== expectedSeq) {
			return broken(`entry ${expectedSeq} is missing`);
		}

		if (!equalBytes(row.prev_mac, previous)) {
			return broken(`entry ${row.seq} does not follow entry ${row.seq - 1}`);
		}

		const mac = entryMac(key, previous, toEntry(row));
		if (!equalBytes(mac, row.mac)) {
			return broken(`entry ${row.seq} has been altered`);
		}

		previous = row.mac;
		expectedSeq++;
	}

	const head = (db.prepare("SELECT value FROM header WHERE key = 'audit_head'").get() as {value: string} | undefined)?.value;
	const lastSeq = expectedSeq - 1;
	// With no entries there must be no head either: a head with nothing under it means all were deleted.
	const expectedHead = lastSeq === 0 ? undefined : headMac(key, lastSeq, previous, heads);
	if (head !== expectedHead) {
		return {ok: false, entries: rows.length, firstBroken: expectedSeq, reason: `entries after ${lastSeq} have been removed`};
	}

	return {ok: true, entries: rows.length};
}

/** Last use of each record's values, from the audit log: the source of `lastUsedAt`. */
export function lastUseByRecord(db: DatabaseSync): Map<string, string> {
	const placeholders = useActions.map(() => '?').join(', ');
	const rows = db
		.prepare(`SELECT record_id, MAX(at) AS at FROM audit WHERE action IN (${placeholders}) AND record_id IS NOT NULL GROUP BY record_id`)
		.all(...useActions) as Array<{record_id: string; at: string}>;
	return new Map(rows.map(row => [row.record_id, row.at]));
}

export function lastUseOfRecord(db: DatabaseSync, recordId: string): string | null {
	const placeholders = useActions.map(() => '?').join(', ');
	const row = db
		.prepare(`SELECT MAX(at) AS at FROM audit WHERE record_id = ? AND action IN (${placeholders})`)
		.get(recordId, ...useActions) as {at: string | null};
	return row.at;
}

function toEntry(row: Omit<AuditRow, 'prev_mac' | 'mac'>): AuditEntry {
	return {seq: row.seq, at: row.at, actor: row.actor, action: row.action as AuditAction, recordId: row.record_id, command: row.command};
}

function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
	return a.length === b.length && a.every((byte, index) => byte === b[index]);
}
