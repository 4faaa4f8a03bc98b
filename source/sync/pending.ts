import {RollbackError} from '../errors.js';
import type {PushRecord, PushResult} from '../protocol/index.js';
import type {RecordRow, SealedMeta} from '../vault/records.js';
import type {SyncStore} from '../vault/sync-store.js';
import {quarantined} from './quarantine.js';
import {rowToPush} from './wire.js';

/** From this many pending records on (about one metadata page), their metadata comes from the sealed pages in bulk. */
const bulkPending = 256;

/**
 * The records to push, as wire records, inside the caller's read: changed here since last agreed
 * with the server, not in conflict, not set aside (quarantine.ts), not skipped by the caller, not
 * held back. A record's wire form needs its private flag, which lives in its sealed metadata.
 */
export function pendingToPush(
	store: SyncStore,
	filter: {skip(id: string): boolean; holdsBack(row: RecordRow, isPrivate: boolean): boolean},
): Array<{row: RecordRow; wire: PushRecord}> {
	const setAside = new Set(quarantined(store).map(({id}) => id));
	const pending = store.pendingRecords().filter(row => !filter.skip(row.id) && !setAside.has(row.id));
	const listed = pending.length >= bulkPending ? listedMetas(store) : undefined;
	return pending.flatMap(({base_rev: baseRev, ...row}) => {
		const isPrivate = (listed?.get(row.id) ?? store.openMeta(row)).private;
		return filter.holdsBack(row, isPrivate) ? [] : [{row, wire: rowToPush(row, baseRev, isPrivate)}];
	});
}

/**
 * Each live secret's metadata from the sealed pages, for a push of many (an initial push): tens
 * of opens, not one a record. A page entry counts only where it matches its row's ciphertext
 * (pages.ts), so its private flag is the record's own. Undefined when something fails to open:
 * each row is then opened by itself, and only a pending one that fails stops the push, as before.
 */
function listedMetas(store: SyncStore): Map<string, SealedMeta> | undefined {
	try {
		return store.liveMetas();
	} catch (error) {
		// A bucket that fails its rollback check stops the push; a record that does not open is left to its own open.
		if (error instanceof RollbackError) {
			throw error;
		}

		return undefined;
	}
}

/**
 * Our own accepted writes would come back in the next pull. A push's writes get consecutive
 * sequence numbers (one transaction, writers serialised per vault), so when they directly follow
 * the cursor nobody else wrote in between, and the cursor may skip them. Otherwise the next pull
 * fetches them too (and ignores them: their revision is already the base).
 */
export function advanceCursor(store: SyncStore, results: readonly PushResult[]): void {
	const seqs = results.flatMap(result => (result.status === 'ok' ? [result.seq] : [])).sort((a, b) => a - b);
	const cursor = Number(store.status('cursor') ?? '0');
	if (seqs.length > 0 && seqs[0] === cursor + 1 && seqs.every((seq, index) => seq === seqs[0]! + index)) {
		store.setStatus('cursor', String(seqs.at(-1)));
	}
}
