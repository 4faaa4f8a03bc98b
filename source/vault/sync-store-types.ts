import type {TeamKeyring} from './team-keyring.js';
import type {AuditAction} from './audit.js';
import type {RecordPart} from './aad.js';
import type {OpenedAhead, SealedPart} from './opened-ahead.js';
import type {KeyslotRow} from './keyslots.js';
import type {RecordRow, SealedMeta, ValueBuffers} from './records.js';

/** The interface of the vault's side of sync (implemented in sync-store.ts). */

/** A record's sync state: agreed with the server, changed here (or never synced), or in conflict. */
export type SyncState = 'synced' | 'pending' | 'conflict';

/** A record's row in `sync_records`: the last copy both sides agreed on, still sealed at `base_rev`. */
export type SyncBase = {
	record_id: string;
	base_rev: number;
	seen_rev: number;
	base_key_generation: number | null;
	base_meta_nonce: Uint8Array | null;
	base_meta_ciphertext: Uint8Array | null;
	base_values_nonce: Uint8Array | null;
	base_values_ciphertext: Uint8Array | null;
};

/** A record changed here since it was last agreed with the server (`base_rev` 0: never synced). */
export type PendingRecord = RecordRow & {base_rev: number};

/** What a new device needs to open the vault: its header and key slot 1 (never a device or session slot). */
export type HeaderForRemote = {createdAt: string; keyGeneration: number; passphraseSlot: KeyslotRow | undefined};

export type SealedSetting = {nonce: Uint8Array; ciphertext: Uint8Array};

export type SyncStore = {
	readonly vaultId: string;
	/** Runs `work` on the open vault. */
	read<T>(work: () => T): T;
	/** Runs `work` as one write transaction that re-reads what it changes. */
	write<T>(work: () => T): T;
	audit(action: AuditAction, recordId: string | null): void;
	/** Appends entries in order, as that many {@link audit} calls with these times would (one chain read, one head write). */
	auditMany(entries: ReadonlyArray<{action: AuditAction; recordId: string | null; at: string}>): void;
	/** HKDF-SHA256 from the root key, salt = vault id, info = `hush/v1/${label}`. The caller wipes it. */
	deriveKey(label: string): Uint8Array;
	openMeta(row: RecordRow): SealedMeta;
	/** The caller wipes the buffers. */
	openValues(row: RecordRow): ValueBuffers;
	/** Throws unless a pulled team tombstone carries a deletion tag made with the values key (when this member holds it). */
	checkDeletion(row: RecordRow, meta: SealedMeta): void;
	/** False for a team record whose values this member's role (list) does not open. */
	canOpenValues(row: RecordRow): boolean;
	/** A pull of thousands of records: a larger page cache, so a page's transaction is not spilled to the log before it commits. */
	widenCache(): void;
	/**
	 * Only for a vault in staging (a clone): nothing there counts until it is closed, synced to disk
	 * and linked into place (vault/file.ts), and a crash before that leaves only staging to sweep.
	 * So commits stop waiting for the disk, and the rollback journal (savepoints still need one)
	 * stays in memory: every page is written once, to the file itself, not to a log and then
	 * again by a checkpoint. `finished` puts back the vault's own modes (write-ahead log, full
	 * sync) once the pull is complete, before the handle closes.
	 */
	stagedWrites(phase: 'filling' | 'finished'): void;
	/** What opening one part of a row takes; throws as opening it would, before it opens. */
	sealedPart(row: RecordRow, part: RecordPart): SealedPart;
	/** Parts opened ahead (off the main thread), which openMeta and openValues take instead of opening again. */
	readonly openedAhead: OpenedAhead;

	/** The team keys this device holds (vault/team-keyring.ts), if any. */
	teamKeyring(): TeamKeyring | undefined;
	/** Stores the team keys; new public writes seal under the newest generation. Inside `write`. */
	setTeamKeyring(keyring: TeamKeyring): void;
	/** Every key generation a record, a sync base or a conflict copy here is sealed under. */
	keyGenerationsInUse(): Set<number>;
	/** Every record row, tombstones included (for re-sealing into another key generation). */
	allRecords(): RecordRow[];
	/**
	 * Re-seals a record, unchanged, under `keyGeneration` at the next revision (moving it into the
	 * team's space or generation), so the next push carries it. Inside `write`.
	 */
	reseal(row: RecordRow, keyGeneration: number): void;

	headerForRemote(): HeaderForRemote;
	status(key: string): string | undefined;
	setStatus(key: string, value: string): void;
	sealedSetting(key: string): SealedSetting | undefined;
	setSealedSetting(key: string, sealed: SealedSetting): void;
	/** Removes the remote's setting and all bookkeeping about it; true if there was one. */
	removeRemoteSetting(key: string): boolean;
	/** Forgets cursor, bases and conflicts: everything is pushed afresh (another server). */
	forgetSyncState(): void;

	record(id: string): RecordRow | undefined;
	pendingRecords(): PendingRecord[];
	/** Every live secret's metadata by id: from the sealed pages where they match the rows (tens of opens), from the records where not. Throws if one fails to open. */
	liveMetas(): Map<string, SealedMeta>;
	/** Stores a server ciphertext exactly as sealed, at its own revision (filed under its name if that is free here). */
	storeRemoteCopy(row: RecordRow, meta: SealedMeta): void;
	/** Seals a merge result as a new local revision (a tombstone when `values` is null). */
	sealMerged(input: {id: string; revision: number; meta: SealedMeta; values: ValueBuffers | null}): void;
	/** Gives secrets kept without their name MAC the MAC back once the name is free again. */
	healNameClashes(): void;
	nameClashes(): RecordRow[];

	syncBase(id: string): SyncBase | undefined;
	/** Records `row` (sealed at `revision`) as the copy both sides agree on. */
	setBase(row: RecordRow, revision: number): void;
	/**
	 * Builds the next push of the record on the server's revision `revision` without a copy of it
	 * (one this device set aside unread, see source/sync/quarantine.ts): merges then have no base.
	 */
	setBaseRevision(id: string, revision: number): void;
	/** Remembers that the server has shown revision `revision` of the record. */
	markSeen(id: string, revision: number): void;

	hasConflict(id: string): boolean;
	/** Keeps the remote side of a conflict (sealed at its own revision) beside the local record. */
	storeConflict(remote: RecordRow): void;
	clearConflict(id: string): void;
	conflictCopy(id: string): RecordRow | undefined;
	conflictCopies(): RecordRow[];
	/** Open conflicts plus name clashes. */
	conflictCount(): number;
	syncStates(): Map<string, SyncState>;

	/**
	 * Runs `work` inside a savepoint of the caller's transaction: if it throws, what it wrote is
	 * undone and the rest of the transaction stands (one bad pulled record never takes its page with it).
	 */
	savepoint<T>(work: () => T): T;
	/** Status rows whose key starts with `prefix` (quarantined records, see source/sync/quarantine.ts). */
	statusWithPrefix(prefix: string): Array<{key: string; value: string}>;
	removeStatus(key: string): void;
};
