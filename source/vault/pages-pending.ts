import type {DatabaseSync} from 'node:sqlite';
import {sliceOfRowid} from './pages-codec.js';
import type {SealedMeta} from './records.js';

/**
 * The metadata pages a transaction must re-seal before it commits (pages.ts): noted by every record
 * write (record-store.ts's upsertRecord) and by a reader that found pages out of date.
 */

/**
 * A row's metadata already in hand, with the row's canonical text (rollback-canonical.ts) it came
 * from, so re-sealing its page need not open it again while the row still has that text: sealed by
 * a writer of this transaction, or opened by a reader that found its page out of date.
 */
export type Known = {text: string; meta: SealedMeta | undefined};

/** A page a reader found out of date, with the metadata it read for each of the page's live rows. */
export type StalePage = {page: number; known: ReadonlyMap<string, Known>};

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

/**
 * Rows of out-of-date pages whose metadata a listing keeps until it rebuilds them (about a kilobyte
 * a row: the metadata and the row's text), so they are not opened twice (every page is out of date
 * after a migration or a new key generation); bounded, so a listing of 100,000 secrets does not hold
 * them all.
 */
const keptForRebuild = 16_384;

/** The out-of-date pages a listing found, each with what it read of it while that stays within {@link keptForRebuild} rows. */
export class StalePages {
	readonly pages: StalePage[] = [];
	#kept = 0;

	add(stale: StalePage): void {
		const keep = this.#kept + stale.known.size <= keptForRebuild;
		this.#kept += keep ? stale.known.size : 0;
		// Past the budget, the rebuild opens the page's rows again, as it did before anything was kept.
		this.pages.push(keep ? stale : {page: stale.page, known: new Map()});
	}
}

/** Pages a reader found out of date, to rebuild from what it read (a row written since is opened again). */
export function noteStalePages(db: DatabaseSync, pages: Iterable<StalePage>): void {
	const pending = pendingOf(db);
	for (const {page, known} of pages) {
		const noted = pending.get(page) ?? new Map<string, Known>();
		pending.set(page, noted);
		for (const [id, read] of known) {
			// What a writer of this transaction sealed stands over what a reader read before it.
			if (!noted.has(id)) {
				noted.set(id, read);
			}
		}
	}
}

/** What the transaction noted, forgotten here (the transaction is committing, or ended). */
export function takeNotedPages(db: DatabaseSync): Map<number, Map<string, Known>> | undefined {
	const pending = pendingByDb.get(db);
	pendingByDb.delete(db);
	return pending;
}
