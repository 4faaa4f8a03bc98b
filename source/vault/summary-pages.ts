import {lastUseByRecord, useActions} from './audit.js';
import type {VaultCore} from './core.js';
import type {SecretSummary} from './model.js';
import {failedPagesWarning, outdatedPagesWarning, pageSize} from './pages-codec.js';
import {carriesPages, pageOfRowid, pageStats} from './pages.js';
import {StalePages} from './pages-pending.js';
import {currentKeyGeneration, nextRowid, rowidSpan} from './record-store.js';
import {toSummary} from './summary.js';

/** Last use of a page's secrets, in one query over the audit log's index (audit.ts's lastUseByRecord, for a few ids). */
function lastUseOf(db: VaultCore['db'], ids: readonly string[]): Map<string, string> {
	const rows = db
		.prepare(
			`SELECT record_id, MAX(at) AS at FROM audit WHERE record_id IN (SELECT value FROM json_each(?)) AND action IN (${useActions.map(() => '?').join(', ')}) GROUP BY record_id`,
		)
		.all(JSON.stringify(ids), ...useActions) as Array<{record_id: string; at: string}>;
	return new Map(rows.map(row => [row.record_id, row.at]));
}

/** One step of a page-at-a-time listing ({@link SummaryPages}). */
export type SummaryChunk = {
	/** The live secrets of the pages read in this step, in storage order (not sorted). */
	summaries: SecretSummary[];
	/** Secrets read so far, these included. */
	loaded: number;
	/**
	 * Live secrets in the vault: those read, plus at most one per rowid on the pages still to read.
	 * Exact while no secret was ever deleted, and at the end. Counting the live rows instead reads
	 * the whole table (a quarter of a second at 100,000 secrets), which the first screenful should not wait for.
	 */
	total: number;
	/** No page is left to read. */
	done: boolean;
	/** On the last step: what was found wrong with the pages (each listed from its records instead, and rebuilt). */
	warnings: string[];
};

/**
 * The summaries `Vault.listSecrets` returns, one metadata page at a time, for a reader that shows the
 * first secrets before the rest are opened (the TUI at 100,000 secrets). Nothing here waits: each
 * {@link next} opens one page, and the caller decides when to yield to its event loop.
 *
 * Each page is read in a read transaction of its own, with the same checks as a whole listing
 * (pages.ts): an entry counts only while its row still matches it, a row that does not is opened
 * from its record (and an altered record throws, as it does in a listing), and a page that fails
 * to open or is out of date is listed from its records, named in the last step's warnings and
 * rebuilt after the last page. Secrets added by another process while the pages are read appear if
 * their rows come after the page being read (new rows get higher rowids); a change to a page
 * already read shows at the next listing, as it would after a listing taken a moment earlier.
 */
export class SummaryPages {
	readonly #core: VaultCore;
	readonly #firstRowid: number;
	#lastRowid: number;
	#lastUse: Map<string, string> | undefined;
	#page: number;
	#loaded = 0;
	#total: number;
	#done = false;
	#warned = false;
	readonly #stale = new StalePages();
	readonly #visited = new Set<number>();
	readonly #failed: number[] = [];
	#outdated = 0;

	constructor(core: VaultCore) {
		this.#core = core;
		const span = rowidSpan(core.db);
		this.#page = pageOfRowid(span.first);
		this.#firstRowid = span.first;
		this.#lastRowid = span.last;
		this.#total = this.#estimate();
		Object.assign(pageStats, {fromPages: 0, fromRecords: 0, failedPages: 0, outdatedPages: 0});
	}

	get total(): number {
		return this.#total;
	}

	get done(): boolean {
		return this.#done;
	}

	/** Reads pages until one holds a live secret (or none is left); the step that reads the last page is done, and so is every step after it. */
	next(): SummaryChunk {
		return this.#core.guard(() => {
			const summaries: SecretSummary[] = [];
			while (!this.#done && summaries.length === 0 && !this.#atEnd()) {
				this.#visited.add(this.#page);
				summaries.push(...this.#readPage(this.#page++));
			}

			if (!this.#done && this.#atEnd()) {
				this.#finish();
			}

			this.#loaded += summaries.length;
			this.#total = this.#done ? this.#loaded : this.#estimate();
			const warnings = this.#done && !this.#warned ? this.#warnings() : [];
			this.#warned = this.#done;
			return {summaries, loaded: this.#loaded, total: this.#total, done: this.#done, warnings};
		});
	}

	/**
	 * Past the last page, even counting rows another process added while the earlier pages were
	 * read; else on the next page that holds rows (empty stretches of rowids are skipped, not walked).
	 */
	#atEnd(): boolean {
		const next = nextRowid(this.#core.db, this.#page * pageSize);
		if (next === undefined) {
			return true;
		}

		this.#page = pageOfRowid(next);
		this.#lastRowid = Math.max(this.#lastRowid, next);
		return false;
	}

	#estimate(): number {
		return this.#loaded + Math.max(0, this.#lastRowid - Math.max(this.#page * pageSize, this.#firstRowid) + 1);
	}

	/**
	 * When each secret was last used. Until the first secret is read, only its page's rows are
	 * looked up (the first screenful should not wait for the whole log: 60 ms at 100,000 secrets);
	 * after that one pass over the log's index serves every page, cheaper than a query a page.
	 */
	#lastUses(ids: readonly string[]): Map<string, string> {
		if (this.#lastUse !== undefined) {
			return this.#lastUse;
		}

		if (this.#loaded === 0) {
			return lastUseOf(this.#core.db, ids);
		}

		this.#lastUse = lastUseByRecord(this.#core.db);
		return this.#lastUse;
	}

	/** One page's live secrets, read in one transaction so the rows, the page, the MACs and any record opened agree. */
	#readPage(page: number): SecretSummary[] {
		const core = this.#core;
		return core.inReadTransaction(() => {
			const read = core.pages.readPage(page, currentKeyGeneration(core.db), core.verifiedBucketMacs());
			if (read.stale) {
				this.#stale.add(read.stale);
			}

			if (read.state === 'failed') {
				this.#failed.push(page);
			} else if (read.state === 'outdated') {
				this.#outdated++;
			}

			if (read.metas.length === 0) {
				return [];
			}

			const lastUse = this.#lastUses(read.metas.map(({id}) => id));
			return read.metas.map(({id, meta}) => toSummary(id, meta, lastUse.get(id) ?? null));
		});
	}

	#finish(): void {
		const core = this.#core;
		core.inReadTransaction(() => {
			core.codec.digest.verifyUnvisited(core.db, this.#visited, core.verifiedBucketMacs());
		});
		this.#done = true;
		pageStats.failedPages = this.#failed.length;
		pageStats.outdatedPages = this.#outdated;
		if (carriesPages(this.#core.db)) {
			this.#core.repairPages(this.#stale.pages);
		}
	}

	/** The same words as a whole listing's warnings (pages.ts), said once at the end. */
	#warnings(): string[] {
		return [failedPagesWarning(this.#failed), outdatedPagesWarning(this.#outdated)].filter(warning => warning !== undefined);
	}
}
