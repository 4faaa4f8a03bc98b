import type {DatabaseSync, StatementSync} from 'node:sqlite';
import {IntegrityError} from '../errors.js';
import {
	type PageEntry,
	type PageFields,
	type Space,
	failedPagesWarning,
	isEarlierLayout,
	openPage,
	outdatedPagesWarning,
	pageSize,
	personalSpace,
	sealPage,
	sliceOfRowid as pageOfRowid,
} from './pages-codec.js';
import {currentKeyGeneration, nextRowid} from './record-store.js';
import type {BucketMacs, RollbackDigest} from './rollback.js';
import {type BucketRow, bucketRows, formatOf} from './rollback-tables.js';
import type {RecordRow, SealedMeta} from './records.js';
import {type Known, type StalePage, StalePages, noteStalePages, takeNotedPages} from './pages-pending.js';

/**
 * The metadata pages (pages-codec.ts) kept current with the records. Every record write goes
 * through record-store.ts's upsertRecord, which notes the written row's page here; the vault's one
 * write path (VaultCore.write) re-seals each noted page once, just before its transaction commits.
 * So a write re-seals one page, an import of 10,000 secrets in one transaction about 40, and a
 * crash leaves the pages and the records of the same committed state. A reader checks the page's
 * rows against their rollback bucket's MAC and opens the page under it (pages-codec.ts); where the
 * page does not open, or holds no entry for a row, it opens the record.
 */

export {sliceOfRowid as pageOfRowid} from './pages-codec.js';

/** Format 4 and later keep pages; an older file (kept old only by tests of migration) lists from its records. */
export const firstFormatWithPages = 4;

export function carriesPages(db: DatabaseSync): boolean {
	return formatOf(db) >= firstFormatWithPages;
}

/**
 * What the last listing and the page writes of this process did: for tests (that every summary came
 * from a page once the pages are current, that an import re-seals each page once) and the bench.
 */
export const pageStats = {fromPages: 0, fromRecords: 0, failedPages: 0, outdatedPages: 0, sealed: 0, rebuiltFromRecords: 0};

export type StoredPage = {space: Space; page: number; key_generation: number; nonce: Uint8Array; ciphertext: Uint8Array};


export type CatalogDeps = {
	db: DatabaseSync;
	vaultId: string;
	pageKey(keyGeneration: number): Uint8Array;
	openLiveMeta(row: RecordRow): SealedMeta;
	warn(message: string): void;
	/** The rollback digest (rollback.ts): a page is bound to its bucket's MAC, and a reader checks the bucket. */
	digest: RollbackDigest;
};

/** The MAC a page of `bucket` is bound to: none in a file without buckets, and none for a bucket never written. */
export const macOfBucket = (macs: BucketMacs | undefined, bucket: number) => macs?.get(bucket) ?? new Uint8Array(0);

export type ListedMeta = {id: string; meta: SealedMeta};

/**
 * What {@link PageCatalog.readPage} found: 'missing' (no page, or one of an earlier layout or
 * generation: rebuilt silently), 'failed' (it did not open: warned of), 'outdated' (a row it did not
 * vouch for: warned of); each is rebuilt.
 */
export type PageRead = {metas: ListedMeta[]; state: 'current' | 'missing' | 'failed' | 'outdated'; stale?: StalePage};

export class PageCatalog {
	#rowByRowid: StatementSync | undefined;
	#storedPage: StatementSync | undefined;

	/** `deps` is public for the page-at-a-time reader (summary-pages.ts). */
	constructor(readonly deps: CatalogDeps) {}

	/** Forgets what a failed transaction noted. */
	discard(): void {
		takeNotedPages(this.deps.db);
	}

	/** Re-seals every page this transaction's writes touched. Call inside the transaction, last. */
	flush(): void {
		const pending = takeNotedPages(this.deps.db);
		if (!pending || !carriesPages(this.deps.db)) {
			return;
		}

		const generation = currentKeyGeneration(this.deps.db);
		const macs = this.deps.digest.transactionMacs(this.deps.db);
		for (const [page, known] of pending) {
			// A bucket this transaction wrote: the rows the digest just MACed, read after its every write.
			let rows = macs?.touched.has(page) ? macs.rows.get(page) : undefined;
			if (!rows) {
				// A page rebuilt for a reader, not for a write: its rows, read now inside this transaction
				// (not a check this process made earlier), must be the ones the MAC covers before a page
				// sealed under that MAC vouches for them.
				rows = this.#sliceRows(page);
				this.deps.digest.verifyBucketRows(this.deps.db, page, rows, macs?.current);
			}

			this.#reseal(this.#fields(personalSpace, page, generation, macOfBucket(macs?.current, page)), this.#fields(personalSpace, page, generation, macOfBucket(macs?.previous, page)), known, rows);
		}
	}

	/** Marks pages to be rebuilt at the next flush (a reader found them out of date), with what it read of them. */
	noteStale(pages: Iterable<StalePage>): void {
		noteStalePages(this.deps.db, pages);
	}

	/**
	 * Every live secret's metadata, from the pages where they match the rows, from the records
	 * where they do not, a page at a time (memory holds one page's plaintext, not the catalog's).
	 * Returns the pages to rebuild. A record that fails to open throws, exactly as listing without
	 * pages did. Call inside a read transaction (summary.ts).
	 */
	list<T = ListedMeta>(convert: (id: string, meta: SealedMeta) => T = (id, meta) => ({id, meta}) as T): {metas: T[]; stale: StalePage[]} {
		const {db} = this.deps;
		const generation = currentKeyGeneration(db);
		Object.assign(pageStats, {fromPages: 0, fromRecords: 0, failedPages: 0, outdatedPages: 0});
		const macs = this.deps.digest.transactionMacs(this.deps.db)?.current;
		const metas: T[] = [];
		const stale = new StalePages();
		const failed: number[] = [];
		let outdated = 0;
		const visited = new Set<number>();
		for (let next = nextRowid(db, 0); next !== undefined; next = nextRowid(db, (pageOfRowid(next) + 1) * pageSize)) {
			const page = pageOfRowid(next);
			visited.add(page);
			const read = this.readPage(page, generation, macs);
			for (const {id, meta} of read.metas) {
				metas.push(convert(id, meta));
			}

			if (read.stale) {
				stale.add(read.stale);
			}

			if (read.state === 'failed') {
				failed.push(page);
			} else if (read.state === 'outdated') {
				outdated++;
			}
		}

		// A bucket with a MAC but no rows left: its rows were removed from the file.
		this.deps.digest.verifyUnvisited(this.deps.db, visited, macs);
		pageStats.failedPages = failed.length;
		pageStats.outdatedPages = outdated;
		for (const warning of [failedPagesWarning(failed), outdatedPagesWarning(outdated)]) {
			if (warning) {
				this.deps.warn(warning);
			}
		}

		return {metas, stale: carriesPages(db) ? stale.pages : []};
	}

	/**
	 * One page's live secrets: its rows checked against their bucket's MAC (rollback.ts), then each
	 * from the page opened under that MAC, or from the record where the page does not open or holds
	 * no entry for it; and what was wrong with the page, if anything. Call inside a read
	 * transaction, so the rows, the page and the MACs agree.
	 */
	readPage(page: number, generation: number, macs: BucketMacs | undefined): PageRead {
		const rows = this.#sliceRows(page);
		this.deps.digest.verifyBucketRows(this.deps.db, page, rows, macs);
		const live = rows.filter(row => row.live === 1);
		const opened = carriesPages(this.deps.db) ? this.#openStored(page, generation, macs) : {entries: undefined, failed: false};
		const {entries} = opened;
		if (entries !== undefined && entries.length === live.length && entries.every((entry, index) => entry.id === live[index]!.id)) {
			pageStats.fromPages += live.length;
			return {metas: entries, state: 'current'};
		}

		// A page sealed while one of its records did not open leaves that record out: opening it refuses.
		const byId = new Map(entries?.map(entry => [entry.id, entry.meta]));
		const metas = live.map(row => ({id: row.id, meta: byId.get(row.id) ?? this.#openRow(row.rowid)}));
		pageStats.fromPages += metas.length - live.filter(row => !byId.has(row.id)).length;
		pageStats.fromRecords += live.filter(row => !byId.has(row.id)).length;
		const state = opened.failed ? 'failed' : entries !== undefined ? 'outdated' : live.length === 0 ? 'current' : 'missing';
		if (state === 'current') {
			return {metas, state};
		}

		// Each meta came from the row with this text (opened from it, or from a page bound to its bucket's MAC over it).
		const known = new Map(live.map((row, index) => [row.id, {text: row.text, meta: metas[index]!.meta}]));
		return {metas, state, stale: {page, known}};
	}

	/** The rows of one page's slice with their canonical text, never their ciphertexts: listing reads a few dozen bytes a row, not the metadata. */
	#sliceRows(page: number): BucketRow[] {
		return bucketRows(this.deps.db, page);
	}

	/** A stored page of the current generation, opened under its bucket's MAC; `failed` when it is there but does not open (and is not of an earlier layout). */
	#openStored(page: number, generation: number, macs: BucketMacs | undefined): {entries: PageEntry[] | undefined; failed: boolean} {
		this.#storedPage ??= this.deps.db.prepare('SELECT key_generation, nonce, ciphertext FROM pages WHERE space = ? AND page = ?');
		const stored = this.#storedPage.get(personalSpace, page) as StoredPage | undefined;
		if (stored?.key_generation !== generation) {
			return {entries: undefined, failed: false};
		}

		const key = this.deps.pageKey(generation);
		const fields = this.#fields(personalSpace, page, generation, macOfBucket(macs, page));
		try {
			return {entries: openPage(key, fields, stored.nonce, stored.ciphertext), failed: false};
		} catch (error) {
			if (!(error instanceof IntegrityError)) {
				throw error;
			}

			return {entries: undefined, failed: !isEarlierLayout(key, fields, stored.nonce, stored.ciphertext)};
		}
	}

	#fields(space: Space, page: number, keyGeneration: number, bucketMac: Uint8Array): PageFields {
		return {vaultId: this.deps.vaultId, space, page, keyGeneration, bucketMac};
	}

	/**
	 * Seals `fields.page` afresh from its rows: the metadata already in hand for a row that still has
	 * the text it came from (a writer of this transaction sealed it, or a reader opened it), the old
	 * page's entry for a row this transaction did not write (that page opened under the bucket's MAC
	 * from before the transaction, over rows the digest checked), else the record itself.
	 */
	#reseal(fields: PageFields, before: PageFields, known: Map<string, Known>, rows: readonly BucketRow[]): void {
		const {db} = this.deps;
		// Opened only for a row nothing in hand covers: a page rebuilt from what its reader read needs none.
		let previous: Map<string, SealedMeta> | undefined;
		const entries: PageEntry[] = [];
		for (const row of rows) {
			if (row.live !== 1) {
				continue;
			}

			const mine = known.get(row.id);
			if (mine?.meta !== undefined && mine.meta.deletedAt === undefined && mine.text === row.text) {
				entries.push({id: row.id, meta: mine.meta});
				continue;
			}

			previous ??= new Map(this.#openOne(before)?.map(entry => [entry.id, entry.meta]));
			const old = mine === undefined ? previous.get(row.id) : undefined;
			if (old !== undefined) {
				entries.push({id: row.id, meta: old});
			} else {
				try {
					// Opened from the row itself: an entry is only ever sealed from an authentic open (pages-codec.ts).
					pageStats.rebuiltFromRecords++;
					entries.push({id: row.id, meta: this.#openRow(row.rowid)});
				} catch (error) {
					// A record that does not open stays out of its page: readers then open it, and refuse.
					if (!(error instanceof IntegrityError)) {
						throw error;
					}
				}
			}
		}

		if (entries.length === 0) {
			db.prepare('DELETE FROM pages WHERE space = ? AND page = ?').run(fields.space, fields.page);
			return;
		}

		const {nonce, ciphertext} = sealPage(this.deps.pageKey(fields.keyGeneration), fields, entries);
		pageStats.sealed++;
		db.prepare(
			`INSERT INTO pages (space, page, key_generation, nonce, ciphertext) VALUES (?, ?, ?, ?, ?)
			 ON CONFLICT (space, page) DO UPDATE SET key_generation = excluded.key_generation, nonce = excluded.nonce, ciphertext = excluded.ciphertext`,
		).run(fields.space, fields.page, fields.keyGeneration, nonce, ciphertext);
	}

	/** The metadata of the row at `rowid`, opened from its ciphertext (throws as opening it does). */
	#openRow(rowid: number): SealedMeta {
		this.#rowByRowid ??= this.deps.db.prepare('SELECT * FROM records WHERE rowid = ?');
		return this.deps.openLiveMeta(this.#rowByRowid.get(rowid) as RecordRow);
	}

	#openOne(fields: PageFields): PageEntry[] | undefined {
		const page = this.deps.db
			.prepare('SELECT key_generation, nonce, ciphertext FROM pages WHERE space = ? AND page = ?')
			.get(fields.space, fields.page) as StoredPage | undefined;
		if (page?.key_generation !== fields.keyGeneration) {
			return undefined;
		}

		try {
			return openPage(this.deps.pageKey(fields.keyGeneration), fields, page.nonce, page.ciphertext);
		} catch {
			return undefined;
		}
	}
}
