import type {SyncStore} from '../vault/sync-store.js';
import {AheadOpener, type Opened, minimumAheadPage} from './open-ahead.js';
import type {PulledPage} from './pulled-page.js';
import {pageSize} from '../vault/pages-codec.js';

/**
 * A pull's pages, in order, each asked for as soon as the one before it arrives (up to
 * {@link pagesAhead} not yet applied). A large page is opened in a worker as it arrives
 * (open-ahead.ts), and in a clone handed out in chunks of {@link applyChunk} records, each opened
 * on its own, so the main thread writes one chunk while the worker opens the next and the server
 * and the wire work on the pages after (between chunks the event loop takes them in).
 * A clone starts its feed before the passphrase's KDF (no key is needed to fetch); its pages are
 * opened once the vault is unlocked. A chunk is handed out with its opened parts offered to the
 * vault, wiped when the consumer moves on; whatever was fetched or opened beyond the last chunk
 * consumed (an error, a refused page) is wiped.
 */

export const pagesAhead = 3;

/**
 * Records a chunk of a large page in a clone: the engine writes each in a transaction of its own.
 * Two of the vault's metadata pages (pages-codec.ts): see {@link PageFeed.chunksOf}.
 */
export const applyChunk = 2 * pageSize;

/** A chunk of a page: `last` carries the page's cursor and malformed records. */
export type PageChunk = {records: PulledPage['records']; page: PulledPage; last: boolean};

/** `start`: how many records the pages before this one held (set when it arrives: pages arrive in order). */
type Entry = {page: Promise<PulledPage>; arrived?: PulledPage; start?: number; opened?: ChunkOpens};

/**
 * A page's chunks, each opened when asked for and the one after it with it, so the main thread
 * builds a chunk's work for the worker while the worker opens the chunk before, instead of a whole
 * page's up front. The first is asked for as the page arrives.
 */
class ChunkOpens {
	readonly #started: Array<Promise<Opened> | undefined> = [];

	constructor(
		readonly chunks: ReadonlyArray<PulledPage['records']>,
		readonly open: ((records: PulledPage['records']) => Promise<Opened>) | undefined,
	) {
		this.#start(0);
	}

	/** Chunk `index`'s opened parts (none when the page is not opened ahead). */
	async at(index: number): Promise<Opened> {
		this.#start(index + 1);
		return this.#start(index);
	}

	wipe(): void {
		for (const started of this.#started) {
			void started?.then(wipe);
		}
	}

	#start(index: number): Promise<Opened> {
		if (!this.open || index >= this.chunks.length) {
			return Promise.resolve([]);
		}

		this.#started[index] ??= this.open(this.chunks[index]!);
		return this.#started[index];
	}
}

export class PageFeed {
	readonly #queue: Entry[] = [];
	/** The cursor of a request waiting for room in the queue. */
	#waiting: number | undefined;
	#stopped = false;
	#open: ((records: PulledPage['records']) => Promise<Opened>) | undefined;
	/** Records in the pages arrived so far. */
	#fed = 0;

	/**
	 * `chunk`: records a transaction of a large page. Each commit of a vault in place waits for the
	 * disk, so a sync writes a page in one; a clone's staged vault (its commits do not wait) writes
	 * {@link applyChunk} at a time.
	 */
	constructor(
		readonly fetchPage: (since: number) => Promise<PulledPage>,
		since: number,
		readonly chunk = Number.POSITIVE_INFINITY,
	) {
		this.#request(since);
	}

	/**
	 * The chunks a page is written in (`start`: the records of the pages before it): one for a small
	 * page; for a large one, cut where a clone's rows fill the vault's metadata pages. A clone writes
	 * into an empty vault, whose rows are numbered from 1 in the order written, so the chunk ending
	 * with the feed's record n ends with rowid n, and a cut at each multiple of {@link chunk} rows
	 * leaves every page to be sealed once, not once for each chunk that shares it (a record refused
	 * on the way only shifts the cuts). The first chunk is a quarter of that: its opens are the only
	 * ones nothing overlaps (the worker has its keys only once the vault is unlocked), so a small one
	 * starts the writing sooner, and the worker is a chunk ahead from then on.
	 */
	chunksOf<T>(records: readonly T[], start: number): T[][] {
		if (records.length < minimumAheadPage || records.length <= this.chunk) {
			return [[...records]];
		}

		const chunks: T[][] = [];
		const firstEnd = this.chunk / 4 - 1;
		let from = 0;
		for (let at = 1; at <= records.length; at++) {
			// The feed's records before the cut, which is also the rowid of the chunk's last row.
			const end = start + at;
			if (at === records.length || end === firstEnd || (end + 1) % this.chunk === 0) {
				chunks.push(records.slice(from, at));
				from = at;
			}
		}

		return chunks;
	}

	/** Opens each large page's ciphertexts, chunk by chunk, from now on, those already here first. */
	openWith(open: (records: PulledPage['records']) => Promise<Opened>): void {
		this.#open = open;
		for (const entry of this.#queue) {
			if (entry.arrived && !entry.opened) {
				entry.opened = this.#opens(entry.arrived, entry.start ?? 0);
			}
		}
	}

	/** The next page in order, with its chunks and their opened parts. */
	async next(): Promise<{page: PulledPage; opened: ChunkOpens}> {
		const entry = this.#queue.shift()!;
		if (this.#waiting !== undefined) {
			const since = this.#waiting;
			this.#waiting = undefined;
			this.#request(since);
		}

		const page = await entry.page;
		return {page, opened: entry.opened ?? new ChunkOpens(this.chunksOf(page.records, entry.start ?? 0), undefined)};
	}

	/** No more requests; what was opened and not handed out is wiped. */
	stop(): void {
		this.#stopped = true;
		for (const {opened} of this.#queue.splice(0)) {
			opened?.wipe();
		}
	}

	/** Undefined until there is a way to open (the vault unlocked). */
	#opens(page: PulledPage, start: number): ChunkOpens | undefined {
		if (!this.#open) {
			return undefined;
		}

		return new ChunkOpens(this.chunksOf(page.records, start), page.records.length >= minimumAheadPage ? this.#open : undefined);
	}

	#request(since: number): void {
		const page = this.fetchPage(since);
		page.catch(() => undefined);
		const entry: Entry = {page};
		this.#queue.push(entry);
		// Registered before any consumer awaits this page, so it runs first.
		void page.then(arrived => {
			if (this.#stopped) {
				return;
			}

			entry.arrived = arrived;
			entry.start = this.#fed;
			this.#fed += arrived.records.length;
			if (arrived.more) {
				if (this.#queue.length < pagesAhead) {
					this.#request(arrived.cursor);
				} else {
					this.#waiting = arrived.cursor;
				}
			}

			entry.opened = this.#opens(arrived, entry.start);
		}, () => undefined);
	}
}

export async function * pulledChunks(store: SyncStore, feed: PageFeed): AsyncGenerator<PageChunk> {
	const opener = new AheadOpener(store);
	feed.openWith(async records => opener.open(records));
	let opened: ChunkOpens | undefined;
	try {
		for (;;) {
			const next = await feed.next();
			const {page} = next;
			opened = next.opened;
			for (const [index, records] of opened.chunks.entries()) {
				for (const {part, plaintext} of await opened.at(index)) {
					store.openedAhead.offer(part, plaintext);
				}

				try {
					yield {records, page, last: index === opened.chunks.length - 1};
				} finally {
					store.openedAhead.drop();
				}
			}

			if (!page.more) {
				return;
			}
		}
	} finally {
		feed.stop();
		opener.close();
		// The page being applied, if it ended early: its chunks not reached yet.
		opened?.wipe();
	}
}

function wipe(parts: Opened): void {
	for (const {plaintext} of parts) {
		plaintext.fill(0);
	}
}
