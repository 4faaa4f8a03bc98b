import type {DatabaseSync, StatementSync} from 'node:sqlite';
import {prepared} from './statements.js';
import {type AuditAction, appendAuditEntries} from './audit.js';
import type {VaultCore} from './core.js';
import {passphraseSlot, readKeyslot} from './keyslots.js';
import {countNameClashes, nameClashRecords, nameMacHolder, recordById, setNameMac, upsertRecord} from './record-store.js';
import type {RecordRow, SealedMeta, ValueBuffers} from './records.js';
import type {TeamKeyring} from './team-keyring.js';
import {configureStaged, inSavepoint, readHeader} from './storage.js';
import {conflictRow, conflictRows, pendingRows, storeConflictRow, syncStateRows} from './sync-rows.js';
import type {OpenedAhead, SealedPart} from './opened-ahead.js';
import type {RecordPart} from './aad.js';
import {carriesDigest} from './rollback.js';
import type {HeaderForRemote, PendingRecord, SealedSetting, SyncBase, SyncState, SyncStore} from './sync-store-types.js';

export type {HeaderForRemote, PendingRecord, SealedSetting, SyncBase, SyncState, SyncStore} from './sync-store-types.js';

/**
 * The vault's side of sync: every read and write sync makes on the vault file, as named operations
 * over the sync tables (`sync_records`, `sync_conflicts`, `sync_settings`, `sync_status`, see
 * storage.ts) and the record writes sync needs. No database handle leaves source/vault.
 *
 * Sync keeps a remote ciphertext exactly as sealed at its revision ({@link SyncStore.storeRemoteCopy}),
 * or seals a merge as a new local revision ({@link SyncStore.sealMerged}). Operations other than
 * `read`/`write` run inside the caller's `read` or `write`, so one sync step is one transaction.
 */

/** @internal The one implementation of {@link SyncStore}, from {@link Vault.syncStore}. */
export class VaultSyncStore implements SyncStore {
	readonly #core: VaultCore;

	constructor(core: VaultCore) {
		core.assertOpen();
		this.#core = core;
	}

	get #db(): DatabaseSync {
		return this.#core.db;
	}

	#prepared(sql: string): StatementSync {
		return prepared(this.#db, sql);
	}

	get vaultId(): string {
		return this.#core.id;
	}

	read<T>(work: () => T): T {
		return this.#core.guard(work);
	}

	write<T>(work: () => T): T {
		return this.#core.write(work);
	}

	audit(action: AuditAction, recordId: string | null): void {
		this.#core.audit(action, recordId);
	}

	auditMany(entries: ReadonlyArray<{action: AuditAction; recordId: string | null; at: string}>): void {
		const {actor, command} = this.#core;
		appendAuditEntries(this.#db, this.#core.keys.auditKey, entries.map(entry => ({...entry, actor, command})), carriesDigest(this.#db) ? 'current' : 'legacy');
	}

	deriveKey(label: string): Uint8Array {
		return this.#core.deriveKey(label);
	}

	openMeta(row: RecordRow): SealedMeta {
		return this.#core.codec.openMeta(row);
	}

	openValues(row: RecordRow): ValueBuffers {
		return this.#core.codec.openValues(row);
	}

	checkDeletion(row: RecordRow, meta: SealedMeta): void {
		this.#core.codec.checkDeletion(row, meta);
	}

	canOpenValues(row: RecordRow): boolean {
		return this.#core.codec.canOpenValues(row);
	}

	widenCache(): void {
		// 64 MiB at most, taken only as pages are read or written.
		this.#db.exec('PRAGMA cache_size = -65536');
	}

	stagedWrites(phase: 'filling' | 'finished'): void {
		configureStaged(this.#db, phase);
	}

	sealedPart(row: RecordRow, part: RecordPart): SealedPart {
		return this.#core.codec.sealedPart(row, part);
	}

	get openedAhead(): OpenedAhead {
		return this.#core.codec.ahead;
	}

	teamKeyring(): TeamKeyring | undefined {
		return this.#core.teamKeyring();
	}

	setTeamKeyring(keyring: TeamKeyring): void {
		this.#core.setTeamKeyring(keyring);
	}

	keyGenerationsInUse(): Set<number> {
		const rows = this.#db
			.prepare(
				`SELECT key_generation AS generation FROM records UNION SELECT base_key_generation FROM sync_records WHERE base_key_generation IS NOT NULL
				 UNION SELECT key_generation FROM sync_conflicts`,
			)
			.all() as Array<{generation: number}>;
		return new Set(rows.map(row => row.generation));
	}

	allRecords(): RecordRow[] {
		return this.#prepared('SELECT * FROM records ORDER BY rowid').all() as RecordRow[];
	}

	reseal(row: RecordRow, keyGeneration: number): void {
		const meta = this.#core.codec.openMeta(row);
		const values = row.values_ciphertext === null ? null : this.#core.codec.openValues(row);
		try {
			this.#core.codec.write(this.#db, {id: row.id, nameMac: row.name_mac, revision: row.revision + 1, keyGeneration, meta, values});
		} finally {
			for (const value of values?.values() ?? []) {
				value.fill(0);
			}
		}
	}

	headerForRemote(): HeaderForRemote {
		const header = readHeader(this.#db);
		return {
			createdAt: header.get('created_at') ?? '',
			keyGeneration: Number(header.get('key_generation') ?? '1'),
			passphraseSlot: readKeyslot(this.#db, passphraseSlot),
		};
	}

	status(key: string): string | undefined {
		return (this.#prepared('SELECT value FROM sync_status WHERE key = ?').get(key) as {value: string} | undefined)?.value;
	}

	setStatus(key: string, value: string): void {
		this.#prepared('INSERT INTO sync_status (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value').run(key, value);
	}

	sealedSetting(key: string): SealedSetting | undefined {
		return this.#prepared('SELECT nonce, ciphertext FROM sync_settings WHERE key = ?').get(key) as SealedSetting | undefined;
	}

	setSealedSetting(key: string, sealed: SealedSetting): void {
		this.#prepared('INSERT INTO sync_settings (key, nonce, ciphertext) VALUES (?, ?, ?) ON CONFLICT (key) DO UPDATE SET nonce = excluded.nonce, ciphertext = excluded.ciphertext')
			.run(key, sealed.nonce, sealed.ciphertext);
	}

	removeRemoteSetting(key: string): boolean {
		const removed = Number(this.#prepared('DELETE FROM sync_settings WHERE key = ?').run(key).changes) > 0;
		this.#prepared('DELETE FROM sync_status').run();
		return removed;
	}

	forgetSyncState(): void {
		this.#prepared('DELETE FROM sync_status').run();
		this.#prepared('DELETE FROM sync_records').run();
		this.#prepared('DELETE FROM sync_conflicts').run();
	}

	record(id: string): RecordRow | undefined {
		return recordById(this.#db, id);
	}

	pendingRecords(): PendingRecord[] {
		return pendingRows(this.#db);
	}

	liveMetas(): Map<string, SealedMeta> {
		// Pages found out of date are left for the next listing to re-seal: this runs inside a read.
		return new Map(this.#core.pages.list().metas.map(({id, meta}) => [id, meta]));
	}

	storeRemoteCopy(row: RecordRow, meta: SealedMeta): void {
		const nameMac = row.values_ciphertext === null ? null : this.#freeNameMac(meta, row.id);
		// The metadata was just opened from this very row: the page takes it as it is (no second open).
		upsertRecord(this.#db, this.#core.codec.digest, {...row, name_mac: nameMac}, meta);
	}

	sealMerged(input: {id: string; revision: number; meta: SealedMeta; values: ValueBuffers | null}): void {
		this.#core.codec.write(this.#db, {
			id: input.id,
			nameMac: input.values ? this.#freeNameMac(input.meta, input.id) : null,
			revision: input.revision,
			keyGeneration: this.#core.sealingGeneration(input.meta.private),
			// This device sealed the merge: it is the revision's writer.
			meta: {...input.meta, updatedBy: this.#core.actor},
			values: input.values,
		});
	}

	healNameClashes(): void {
		for (const row of nameClashRecords(this.#db)) {
			const mac = this.#freeNameMac(this.#core.codec.openMeta(row), row.id);
			if (mac) {
				setNameMac(this.#db, row.id, mac);
			}
		}
	}

	nameClashes(): RecordRow[] {
		return nameClashRecords(this.#db);
	}

	syncBase(id: string): SyncBase | undefined {
		return this.#prepared('SELECT * FROM sync_records WHERE record_id = ?').get(id) as SyncBase | undefined;
	}

	setBase(row: RecordRow, revision: number): void {
		this.#prepared(
				`INSERT INTO sync_records (record_id, base_rev, seen_rev, base_key_generation, base_meta_nonce, base_meta_ciphertext, base_values_nonce, base_values_ciphertext)
				 VALUES (?, ?, ?, ?, ?, ?, ?, ?)
				 ON CONFLICT (record_id) DO UPDATE SET base_rev = excluded.base_rev, seen_rev = MAX(sync_records.seen_rev, excluded.seen_rev),
				 base_key_generation = excluded.base_key_generation, base_meta_nonce = excluded.base_meta_nonce, base_meta_ciphertext = excluded.base_meta_ciphertext,
				 base_values_nonce = excluded.base_values_nonce, base_values_ciphertext = excluded.base_values_ciphertext`,
			)
			.run(row.id, revision, revision, row.key_generation, row.meta_nonce, row.meta_ciphertext, row.values_nonce, row.values_ciphertext);
	}

	setBaseRevision(id: string, revision: number): void {
		this.#prepared(
				`INSERT INTO sync_records (record_id, base_rev, seen_rev) VALUES (?, ?, ?)
				 ON CONFLICT (record_id) DO UPDATE SET base_rev = excluded.base_rev, seen_rev = MAX(sync_records.seen_rev, excluded.seen_rev),
				 base_key_generation = NULL, base_meta_nonce = NULL, base_meta_ciphertext = NULL, base_values_nonce = NULL, base_values_ciphertext = NULL`,
			)
			.run(id, revision, revision);
	}

	markSeen(id: string, revision: number): void {
		// A record never synced gets a row with no base (base_rev 0).
		this.#prepared('INSERT INTO sync_records (record_id, base_rev, seen_rev) VALUES (?, 0, ?) ON CONFLICT (record_id) DO UPDATE SET seen_rev = MAX(sync_records.seen_rev, excluded.seen_rev)')
			.run(id, revision);
	}

	hasConflict(id: string): boolean {
		return this.#prepared('SELECT 1 FROM sync_conflicts WHERE record_id = ?').get(id) !== undefined;
	}

	storeConflict(remote: RecordRow): void {
		storeConflictRow(this.#db, remote, this.#core.now());
	}

	clearConflict(id: string): void {
		this.#prepared('DELETE FROM sync_conflicts WHERE record_id = ?').run(id);
	}

	conflictCopy(id: string): RecordRow | undefined {
		return conflictRow(this.#db, id);
	}

	conflictCopies(): RecordRow[] {
		return conflictRows(this.#db);
	}

	conflictCount(): number {
		return (this.#prepared('SELECT COUNT(*) AS count FROM sync_conflicts').get() as {count: number}).count + countNameClashes(this.#db);
	}

	syncStates(): Map<string, SyncState> {
		return syncStateRows(this.#db);
	}

	savepoint<T>(work: () => T): T {
		return inSavepoint(this.#db, work);
	}

	statusWithPrefix(prefix: string): Array<{key: string; value: string}> {
		// substr, not LIKE: a prefix holding % or _ means itself.
		return this.#prepared('SELECT key, value FROM sync_status WHERE substr(key, 1, ?) = ? ORDER BY key').all(prefix.length, prefix) as Array<{key: string; value: string}>;
	}

	removeStatus(key: string): void {
		this.#prepared('DELETE FROM sync_status WHERE key = ?').run(key);
	}

	/** The record's name MAC, or null when another secret already holds that name here (a name clash to resolve). */
	#freeNameMac(meta: SealedMeta, id: string): Uint8Array | null {
		const mac = this.#core.keys.nameMac(meta.private, meta.name);
		const holder = nameMacHolder(this.#db, mac);
		return holder !== undefined && holder !== id ? null : mac;
	}
}
