import type {SyncStore} from '../vault/sync-store.js';
import {AheadOpener, type Opened, minimumAheadPage} from './open-ahead.js';
import type {PulledPage} from './pulled-page.js';

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

/** Records a chunk of a large page in a clone: the engine writes each in a transaction of its own. */
export const applyChunk = 500;

/** A chunk of a page: `last` carries the page's cursor and malformed records. */
export type PageChunk = {records: PulledPage['records']; page: PulledPage; last: boolean};

type Entry = {page: Promise<PulledPage>; arrived?: PulledPage; opened?: Array<Promise<Opened>>};

export class PageFeed {
	readonly #queue: Entry[] = [];
	/** The cursor of a request waiting for room in the queue. */
	#waiting: number | undefined;
	#stopped = false;
	#open: ((records: PulledPage['records']) => Promise<Opened>) | undefined;

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

	/** The chunks a page is written in: one for a small page, {@link chunk} records each for a large one. */
	chunksOf<T>(records: readonly T[]): T[][] {
		if (records.length < minimumAheadPage || records.length <= this.chunk) {
			return [[...records]];
		}

		const chunks: T[][] = [];
		for (let start = 0; start < records.length; start += this.chunk) {
			chunks.push(records.slice(start, start + this.chunk));
		}

		return chunks;
	}

	/** Opens each large page's ciphertexts, chunk by chunk, from now on, those already here first. */
	openWith(open: (records: PulledPage['records']) => Promise<Opened>): void {
		this.#open = open;
		for (const entry of this.#queue) {
			if (entry.arrived && !entry.opened) {
				entry.opened = this.#openChunks(entry.arrived);
			}
		}
	}

	/** The next page in order, with each chunk's opened parts (none for a page not opened ahead). */
	async next(): Promise<{page: PulledPage; opened: Array<Promise<Opened>>}> {
		const entry = this.#queue.shift()!;
		if (this.#waiting !== undefined) {
			const since = this.#waiting;
			this.#waiting = undefined;
			this.#request(since);
		}

		const page = await entry.page;
		return {page, opened: entry.opened ?? []};
	}

	/** No more requests; what was opened and not handed out is wiped. */
	stop(): void {
		this.#stopped = true;
		for (const {opened} of this.#queue.splice(0)) {
			for (const chunk of opened ?? []) {
				void chunk.then(wipe);
			}
		}
	}

	/** Undefined until there is a way to open (the vault unlocked). */
	#openChunks(page: PulledPage): Array<Promise<Opened>> | undefined {
		const open = this.#open;
		if (!open) {
			return undefined;
		}

		return page.records.length >= minimumAheadPage ? this.chunksOf(page.records).map(async records => open(records)) : [];
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
			if (arrived.more) {
				if (this.#queue.length < pagesAhead) {
					this.#request(arrived.cursor);
				} else {
					this.#waiting = arrived.cursor;
				}
			}

			entry.opened = this.#openChunks(arrived);
		}, () => undefined);
	}
}

export async function * pulledChunks(store: SyncStore, feed: PageFeed): AsyncGenerator<PageChunk> {
	const opener = new AheadOpener(store);
	feed.openWith(async records => opener.open(records));
	let opened: Array<Promise<Opened>> = [];
	try {
		for (;;) {
			const next = await feed.next();
			const {page} = next;
			opened = next.opened;
			const chunks = feed.chunksOf(page.records);
			for (const [index, records] of chunks.entries()) {
				for (const {part, plaintext} of await (opened[index] ?? [])) {
					store.openedAhead.offer(part, plaintext);
				}

				try {
					yield {records, page, last: index === chunks.length - 1};
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
		for (const chunk of opened) {
			void chunk.then(wipe);
		}
	}
}

function wipe(parts: Opened): void {
	for (const {plaintext} of parts) {
		plaintext.fill(0);
	}
}
