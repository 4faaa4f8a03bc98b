import type {SyncStore} from '../vault/sync-store.js';
import {AheadOpener, type Opened} from './open-ahead.js';
import type {PulledPage} from './pulled-page.js';

/**
 * A pull's pages, in order, each asked for as soon as the one before it arrives (up to
 * {@link pagesAhead} not yet applied), and each page's ciphertexts opened in a worker as it arrives
 * (open-ahead.ts). So while the main thread applies page N, the server and the wire work on the
 * pages after it and the worker opens page N + 1. A page is handed out with its opened parts offered
 * to the vault, and wiped when the consumer moves on; whatever was fetched or opened beyond the
 * last page consumed (an error, a refused page) is wiped and dropped.
 */

export const pagesAhead = 3;

type Pending = {page: Promise<PulledPage>; opened: Promise<Opened>};

export async function * pulledPages(store: SyncStore, fetchPage: (since: number) => Promise<PulledPage>, first: Promise<PulledPage>): AsyncGenerator<PulledPage> {
	const opener = new AheadOpener(store);
	const queue: Pending[] = [];
	let stopped = false;
	/** The request waiting for room in the queue: the cursor it starts from. */
	let waiting: number | undefined;
	const request = (page: Promise<PulledPage>): void => {
		page.catch(() => undefined);
		const opened = page.then(arrived => {
			if (stopped) {
				return [];
			}

			if (arrived.more) {
				if (queue.length < pagesAhead) {
					request(fetchPage(arrived.cursor));
				} else {
					waiting = arrived.cursor;
				}
			}

			return opener.open(arrived.records);
		}, (): Opened => []);
		queue.push({page, opened});
	};

	request(first);
	try {
		for (;;) {
			const next = queue.shift()!;
			if (waiting !== undefined) {
				request(fetchPage(waiting));
				waiting = undefined;
			}

			const page = await next.page;
			for (const {part, plaintext} of await next.opened) {
				store.openedAhead.offer(part, plaintext);
			}

			try {
				yield page;
			} finally {
				store.openedAhead.drop();
			}

			if (!page.more) {
				return;
			}
		}
	} finally {
		stopped = true;
		opener.close();
		for (const {opened} of queue) {
			void opened.then(parts => {
				for (const {plaintext} of parts) {
					plaintext.fill(0);
				}
			});
		}
	}
}
