import type {DatabaseSync} from 'node:sqlite';
import {sliceOfRowid} from './pages-codec.js';
import type {SealedMeta} from './records.js';

/**
 * The metadata pages a transaction must re-seal before it commits (pages.ts): noted by every record
 * write (record-store.ts's upsertRecord) and by a reader that found pages out of date.
 */

/** Metadata a writer sealed in this transaction, with the row's canonical text (rollback-canonical.ts) as it wrote it, so re-sealing its page need not open it again. */
export type Known = {text: string; meta: SealedMeta | undefined};

/** Pages noted in the open transaction, per open file: page → records written. */
const pendingByDb = new WeakMap<DatabaseSync, Map<number, Map<string, Known>>>();

function pendingOf(db: DatabaseSync): Map<number, Map<string, Known>> {
	let pending = pendingByDb.get(db);
	if (!pending) {
		pending = new Map();
		pendingByDb.set(db, pending);
	}

	return pending;
}

/** Called by upsertRecord for every row written, inside the write's transaction. */
export function notePageWrite(db: DatabaseSync, rowid: number, row: {id: string; text: string}, meta: SealedMeta | undefined): void {
	const pending = pendingOf(db);
	const page = sliceOfRowid(rowid);
	let known = pending.get(page);
	if (!known) {
		known = new Map();
		pending.set(page, known);
	}

	known.set(row.id, {text: row.text, meta});
}

/** Pages a reader found out of date, to rebuild from their records. */
export function noteStalePages(db: DatabaseSync, pages: Iterable<number>): void {
	const pending = pendingOf(db);
	for (const page of pages) {
		if (!pending.has(page)) {
			pending.set(page, new Map());
		}
	}
}

/** What the transaction noted, forgotten here (the transaction is committing, or ended). */
export function takeNotedPages(db: DatabaseSync): Map<number, Map<string, Known>> | undefined {
	const pending = pendingByDb.get(db);
	pendingByDb.delete(db);
	return pending;
}
