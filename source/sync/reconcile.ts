import {IntegrityError} from '../errors.js';
import type {RecordRow, SealedMeta, ValueBuffers} from '../vault/records.js';
import type {AuditAction} from '../vault/audit.js';
import type {SyncBase, SyncStore} from '../vault/sync-store.js';
import type {WireRecord} from '../protocol/index.js';
import {ServerRollbackError} from './client.js';
import {type Plain, merge, sameContent} from './merge.js';
import {checkPulledMeta, checkPulledValues} from './validate.js';
import {wireToRow} from './wire.js';

/**
 * Applying the server's records to the vault: take the remote copy, merge it with local edits,
 * or keep it beside the local one as a conflict. Works on the vault's sync store only, never on the
 * network, so `hush conflicts` and `hush resolve` use it without a client.
 *
 * Revisions. A ciphertext's AAD binds it to its revision, so a record travels with the revision it
 * was sealed under and the server stores exactly that revision. Local and server revisions are
 * therefore one number per record: every local write seals at `revision + 1`; a push says "I built
 * on `base_rev`, here is `revision`" and the server accepts it only if its current revision is
 * still `base_rev` (and `revision` is higher). A merge of a local edit with remote revision R is
 * sealed at max(local, R) + 1, so it always pushes above R. Taking a remote record keeps its
 * ciphertext byte for byte at its own revision. Revisions per record only ever grow, which is what
 * lets the client refuse a server that offers an older one than it has seen.
 */

/** What applying one remote record did. */
export type Applied = 'taken' | 'merged' | 'conflict' | 'unchanged';

/** What applying one remote record did, with the secret's metadata before and after (for the pull report). */
export type Outcome = {applied: Applied; before: SealedMeta | null; after: SealedMeta | null; remote: SealedMeta};

type HeldAudit = {action: AuditAction; recordId: string; at: string};

export class Reconciler {
	/** Audit entries held back by {@link inOneAuditStep}, appended in one go at its end. */
	#heldAudit: HeldAudit[] | undefined;

	constructor(readonly store: SyncStore) {}

	/**
	 * Runs `work` (inside the caller's transaction) with the audit entries its applies make held
	 * back, then appends them all at once, in order and with the times they were made: the same log
	 * as one append per record, for one read of the chain's tail and one head write. If `work`
	 * throws, nothing is appended (its writes are the caller's to undo).
	 */
	inOneAuditStep<T>(work: () => T): T {
		const held: HeldAudit[] = [];
		this.#heldAudit = held;
		try {
			const result = work();
			this.store.auditMany(held);
			return result;
		} finally {
			this.#heldAudit = undefined;
		}
	}

	#audit(action: AuditAction, recordId: string): void {
		if (this.#heldAudit) {
			this.#heldAudit.push({action, recordId, at: new Date().toISOString()});
		} else {
			this.store.audit(action, recordId);
		}
	}

	/**
	 * Applies one record from the server inside the caller's transaction: take, merge or mark a
	 * conflict. The record is opened and checked like local input (validate.ts) before anything is
	 * written; a record that fails throws, and nothing of it is written.
	 */
	applyRemote(record: WireRecord): Outcome {
		const {store} = this;
		const sync = store.syncBase(record.id);
		if (sync && record.rev < sync.seen_rev) {
			throw new ServerRollbackError(
				`the sync server offered secret ${record.id} at revision ${record.rev}, older than revision ${sync.seen_rev} it served before: refusing to sync (a replayed or restored server)`,
			);
		}

		const remoteRow = wireToRow(record);
		const local = store.record(record.id);
		const before = local ? store.openMeta(local) : null;
		const baseRev = sync?.base_rev ?? 0;
		if (!store.canOpenValues(remoteRow)) {
			return this.#takeMetadataOnly(remoteRow, record, before, local && sync ? local.revision !== baseRev : local !== undefined);
		}

		if (!local) {
			// Nothing here to merge with: the values are opened and checked, and not kept as text.
			const meta = this.checkPulled(remoteRow, record);
			store.storeRemoteCopy(remoteRow, meta);
			store.setBase(remoteRow, record.rev);
			this.#audit(record.deleted ? 'delete' : 'create', record.id);
			return {applied: 'taken', before, after: meta, remote: meta};
		}

		const remote = this.openPulled(remoteRow, record);

		if (sync && record.rev === baseRev) {
			return {applied: 'unchanged', before, after: before, remote: remote.meta};
		}

		if (local.revision === baseRev && sync && !store.hasConflict(record.id)) {
			store.storeRemoteCopy(remoteRow, remote.meta);
			store.setBase(remoteRow, record.rev);
			this.#audit(record.deleted ? 'delete' : 'update', record.id);
			return {applied: 'taken', before, after: remote.meta, remote: remote.meta};
		}

		const base = this.baseOf(sync);
		const localPlain = this.decrypt(local, 'this vault holds');
		const {result, conflicts} = merge(base, localPlain, remote);
		if (conflicts.length > 0) {
			store.storeConflict(remoteRow);
			store.markSeen(record.id, record.rev);
			return {applied: 'conflict', before, after: before, remote: remote.meta};
		}

		this.settle(local, remoteRow, remote, result);
		return {applied: 'merged', before, after: result.meta, remote: remote.meta};
	}

	/**
	 * A team record whose values this member (a `list` member) cannot open: its metadata is checked
	 * like local input and the copy is taken as it is. Such a member cannot seal team records, so
	 * there is no local edit to merge; a local copy that differs from its base is refused.
	 */
	#takeMetadataOnly(remoteRow: RecordRow, record: WireRecord, before: SealedMeta | null, localEdited: boolean): Outcome {
		const meta = checkPulledMeta(this.openMeta(remoteRow, 'the sync server sent'), {deleted: record.deleted, isPrivate: record.private});
		if ((meta.deletedAt !== undefined) !== record.deleted) {
			throw new IntegrityError(`the sync server sent secret ${record.id} with a deleted flag that disagrees with its sealed metadata`);
		}

		if (localEdited) {
			throw new IntegrityError(`secret ${record.id} was changed on this device, which cannot open its values to merge: resolve it with hush resolve ${record.id} --take remote`);
		}

		this.store.storeRemoteCopy(remoteRow, meta);
		this.store.setBase(remoteRow, record.rev);
		this.#audit(record.deleted ? 'delete' : before ? 'update' : 'create', record.id);
		return {applied: 'taken', before, after: meta, remote: meta};
	}

	/** Opens a pulled record (metadata and values) and checks both like local input. */
	openPulled(row: RecordRow, record: WireRecord): Plain {
		let values: Map<string, string> | null = null;
		const meta = this.checkPulled(row, record, buffers => {
			values = new Map([...buffers].map(([key, value]) => [key, value.toString('utf8')]));
		});
		return {meta, values};
	}

	/** {@link openPulled}'s opening and checks, handing the checked values (wiped after) to `keep`; returns the metadata. */
	checkPulled(row: RecordRow, record: WireRecord, keep?: (values: ValueBuffers) => void): SealedMeta {
		const meta = checkPulledMeta(this.openMeta(row, 'the sync server sent'), {deleted: record.deleted, isPrivate: record.private});
		if ((row.values_ciphertext === null) !== record.deleted) {
			throw new IntegrityError(`the sync server sent secret ${record.id} with a deleted flag that disagrees with its sealed metadata`);
		}

		if (row.values_ciphertext === null) {
			this.store.checkDeletion(row, meta);
			return meta;
		}

		const buffers = this.store.openValues(row);
		try {
			checkPulledValues(meta, buffers);
			keep?.(buffers);
			return meta;
		} finally {
			for (const value of buffers.values()) {
				value.fill(0);
			}
		}
	}

	/** Writes the outcome of a merge or a resolution: the remote copy itself, or a new local revision above it. */
	settle(local: RecordRow, remoteRow: RecordRow, remote: Plain, result: Plain): void {
		const {store} = this;
		store.clearConflict(local.id);
		if (sameContent(result, remote)) {
			store.storeRemoteCopy(remoteRow, remote.meta);
			store.setBase(remoteRow, remoteRow.revision);
			this.#audit(remote.values === null ? 'delete' : 'update', local.id);
			return;
		}

		const revision = Math.max(local.revision, remoteRow.revision) + 1;
		const values: ValueBuffers | null = result.values ? new Map([...result.values].map(([key, value]) => [key, Buffer.from(value, 'utf8')])) : null;
		try {
			const meta: SealedMeta = result.values === null ? {...result.meta, deletedAt: result.meta.deletedAt ?? new Date().toISOString()} : result.meta;
			store.sealMerged({id: local.id, revision, meta, values});
		} finally {
			for (const value of values?.values() ?? []) {
				value.fill(0);
			}
		}

		store.setBase(remoteRow, remoteRow.revision);
		this.#audit(result.values === null ? 'delete' : 'update', local.id);
	}

	/** Opens a row's metadata; `who` names where it came from in the error. */
	openMeta(row: RecordRow, who: string): SealedMeta {
		try {
			return this.store.openMeta(row);
		} catch (error) {
			if (error instanceof IntegrityError) {
				throw new IntegrityError(`${who} secret ${row.id} at revision ${row.revision}, and it fails its integrity check: refusing it`);
			}

			throw error;
		}
	}

	decrypt(row: RecordRow, who: string): Plain {
		const meta = this.openMeta(row, who);

		if (row.values_ciphertext === null) {
			if (meta.deletedAt === undefined) {
				throw new IntegrityError(`${who} secret ${row.id} without values but not marked deleted: refusing it`);
			}

			return {meta, values: null};
		}

		const buffers = this.store.openValues(row);
		const values = new Map([...buffers].map(([key, value]) => [key, value.toString('utf8')]));
		for (const value of buffers.values()) {
			value.fill(0);
		}

		return {meta, values};
	}

	baseOf(sync: SyncBase | undefined): Plain | null {
		const row = baseRow(sync);
		return row ? this.decrypt(row, 'the sync base of') : null;
	}
}

/** The last-synced copy of a record, kept sealed in sync_records, as a record row (null before any sync). */
export function baseRow(sync: SyncBase | undefined): RecordRow | null {
	if (!sync?.base_meta_ciphertext || !sync.base_meta_nonce || sync.base_key_generation === null) {
		return null;
	}

	return {
		id: sync.record_id,
		name_mac: null,
		revision: sync.base_rev,
		key_generation: sync.base_key_generation,
		meta_nonce: sync.base_meta_nonce,
		meta_ciphertext: sync.base_meta_ciphertext,
		values_nonce: sync.base_values_nonce,
		values_ciphertext: sync.base_values_ciphertext,
	};
}
