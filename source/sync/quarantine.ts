import {createHash} from 'node:crypto';
import {HushError, InvalidInputError, describeError, firstLine} from '../errors.js';
import type {ValueBuffers} from '../vault/records.js';
import type {SyncStore} from '../vault/sync-store.js';
import {ServerRollbackError} from './client.js';
import type {Reconciler} from './reconcile.js';

/**
 * Records the server sent that could not be applied: one that fails to open (a bad AAD, another
 * vault's key, a tampered byte), fails the checks local input gets (validate.ts), or does not
 * even have the protocol's shape. Such a record is set aside here, raw, and never applied: the
 * local copy of that secret (if any) stays as it was, the rest of the sync goes on, and the sync
 * cursor moves past it so the next sync does not stumble on it again.
 *
 * Kept in the vault's `sync_status` table as `quarantine:<id>` → JSON {id, rev, reason, at, raw}:
 * inspectable with sqlite3, listed by `hush status --json`. An entry goes when a later revision
 * of that record applies cleanly (the writer fixed it), when `hush resolve NAME --take local`
 * overwrites the server's copy with this device's ({@link keepLocalOverQuarantined}), or with the
 * remote (`hush remote remove`, or another server). While any is left, `hush sync` and `hush status` say so and `hush sync`
 * exits 1.
 */

export type QuarantinedRecord = {
	/** The record id as the server gave it (visible-escape before printing: it may be anything). */
	id: string;
	rev: number | null;
	/** Why it was set aside, one line. */
	reason: string;
	at: string;
	/** The record as it came over the wire (JSON), for whoever investigates. */
	raw: string;
};

const prefix = 'quarantine:';
/** Longest raw record kept: a well-formed one is far smaller (values are at most 64 KiB each). */
const maxRawChars = 1024 * 1024;

/** Whether a failure to apply one record is that record's fault (quarantine it) rather than the sync's (stop). */
export function isRecordFault(error: unknown): boolean {
	if (error instanceof ServerRollbackError) {
		return false;
	}

	// TypeError and RangeError: a sealed metadata document of an unexpected shape met code that trusted it.
	return error instanceof HushError || error instanceof TypeError || error instanceof RangeError;
}

/** The id to file a record under: its own when it has a plausible one, else a digest of what came. */
export function quarantineId(raw: unknown, rawText: string): string {
	const id = (raw as {id?: unknown} | null)?.id;
	if (typeof id === 'string' && id.length > 0 && id.length <= 64) {
		return id;
	}

	return `unknown-${createHash('sha256').update(rawText).digest('hex').slice(0, 16)}`;
}

/** Sets a record aside (inside the caller's write), replacing an older entry for the same id. */
export function quarantine(store: SyncStore, input: {raw: unknown; rev: number | null; error: unknown}): QuarantinedRecord {
	const rawText = JSON.stringify(input.raw) ?? 'undefined';
	const entry: QuarantinedRecord = {
		id: quarantineId(input.raw, rawText),
		rev: input.rev,
		reason: input.error instanceof HushError ? describeError(input.error) : `its sealed metadata has an unexpected shape (${firstLine(input.error)})`,
		at: new Date().toISOString(),
		raw: rawText.length > maxRawChars ? `${rawText.slice(0, maxRawChars)}…(truncated)` : rawText,
	};
	store.setStatus(prefix + entry.id, JSON.stringify(entry));
	return entry;
}

/** Drops the entry for `id` (a later revision applied cleanly); true if there was one. */
export function release(store: SyncStore, id: string): boolean {
	if (store.status(prefix + id) === undefined) {
		return false;
	}

	store.removeStatus(prefix + id);
	return true;
}

export function isQuarantined(store: SyncStore, id: string): boolean {
	return store.status(prefix + id) !== undefined;
}

/** Every record still set aside, oldest id first. */
export function quarantined(store: SyncStore): QuarantinedRecord[] {
	return store.statusWithPrefix(prefix).map(({value}) => JSON.parse(value) as QuarantinedRecord);
}

/**
 * `hush resolve NAME --take local` for a secret whose server copy is set aside: this device's copy
 * is sealed again above that revision and built on it, so the next sync overwrites the server's
 * unreadable copy (compare-and-swap still applies: a newer one there is met, and judged, first).
 * Inside the caller's write; null when no quarantined record is called `reference` here.
 */
export function keepLocalOverQuarantined(reconciler: Reconciler, reference: string, take: 'local' | 'remote' | undefined): {id: string; name: string} | null {
	const {store} = reconciler;
	for (const entry of quarantined(store)) {
		const local = store.record(entry.id);
		if (!local) {
			continue;
		}

		const plain = reconciler.decrypt(local, 'this vault holds');
		if (entry.id !== reference && plain.meta.name !== reference) {
			continue;
		}

		if (take !== 'local' || entry.rev === null) {
			throw new InvalidInputError(
				`the server's copy of ${plain.meta.name} was set aside unread (${entry.reason}): only --take local settles it, overwriting that copy on the next hush sync${entry.rev === null ? ' (not this one: it came without a revision; wait for a good revision instead)' : ''}`,
			);
		}

		const values: ValueBuffers | null = plain.values ? new Map([...plain.values].map(([key, value]) => [key, Buffer.from(value, 'utf8')])) : null;
		try {
			store.sealMerged({id: entry.id, revision: Math.max(local.revision, entry.rev) + 1, meta: plain.meta, values});
		} finally {
			for (const value of values?.values() ?? []) {
				value.fill(0);
			}
		}

		store.setBaseRevision(entry.id, entry.rev);
		release(store, entry.id);
		store.audit(values === null ? 'delete' : 'update', entry.id);
		return {id: entry.id, name: plain.meta.name};
	}

	return null;
}
