import type {SummaryChunk} from '../vault/vault.js';
import type {Batch} from './state/listing.js';

/** Where pages come from: the vault's page reader (Vault.readSecretsByPage) or a test's. */
export type PageSource = {next(): SummaryChunk};

/**
 * How the rest of the pages are read after the first frame. Reading is synchronous (an AEAD open
 * per page), so it is cut into slices with a pause between them, in which Ink draws and keys are
 * handled; and batches are handed over no more often than `deliverMs`, because each one sorts
 * and draws the list again.
 */
export type LoadPacing = {
	/** Longest run of page reads before pausing for the event loop. */
	sliceMs: number;
	/** Least time between two batches (except the last). */
	deliverMs: number;
	/** Extra wait in each pause: 0, except in tests that need to see the list half loaded (HUSH_TEST_PAGE_PAUSE_MS). */
	pauseMs: number;
};

/** About one frame of reading at a time, and a redraw of the growing list some eight times a second. */
export const defaultPacing: LoadPacing = {sliceMs: 12, deliverMs: 120, pauseMs: 0};

export type LoadHooks = {
	deliver(batch: Batch, warnings: readonly string[]): void;
	/** Checked after every pause: true stops reading (the screen went away, or the list was read again). */
	cancelled(): boolean;
	now(): number;
	/** Lets the event loop run; resolves after `ms` more milliseconds. */
	pause(ms: number): Promise<void>;
};

/**
 * Reads the pages left in `source` and hands them over in batches, the last with done set. A
 * page that throws (an altered record, a closed vault) rejects, after the batches before it.
 */
export async function loadPages(source: PageSource, pacing: LoadPacing, hooks: LoadHooks): Promise<void> {
	let pending: Array<SummaryChunk['summaries']> = [];
	let lastDelivery = hooks.now();
	for (;;) {
		await hooks.pause(pacing.pauseMs);
		if (hooks.cancelled()) {
			return;
		}

		const sliceStart = hooks.now();
		let chunk: SummaryChunk;
		do {
			chunk = source.next();
			pending.push(chunk.summaries);
		} while (!chunk.done && hooks.now() - sliceStart < pacing.sliceMs);

		if (chunk.done || hooks.now() - lastDelivery >= pacing.deliverMs) {
			hooks.deliver({summaries: pending.flat(), loaded: chunk.loaded, total: chunk.total, done: chunk.done}, chunk.warnings);
			pending = [];
			lastDelivery = hooks.now();
		}

		if (chunk.done) {
			return;
		}
	}
}

/** The event loop's turn (setImmediate: after I/O, so keys and Ink's drawing go first), then `ms` more. */
export async function pauseForEventLoop(ms: number): Promise<void> {
	await new Promise(resolve => {
		setImmediate(resolve);
	});
	if (ms > 0) {
		await new Promise(resolve => {
			setTimeout(resolve, ms);
		});
	}
}
