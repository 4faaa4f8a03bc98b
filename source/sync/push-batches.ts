import {type PushRecord, maxBase64Chars, sealedChars} from '../protocol/index.js';
import {RequestTooLargeError} from './client.js';

/**
 * How a push is cut into requests. The server bounds a request twice (hush serve's --max-records,
 * default 1,000, and --max-body, default 8 MiB once gzip is decoded), so a batch stops at whichever
 * of ours comes first: 500 records or about 4 MiB of ciphertext. Records are small as a rule, but a
 * value may be 64 KiB and a secret hold several: 500 certificate bundles are far over 8 MiB. A server
 * set lower still answers 413, and the batch is split in two and sent again, down to one record.
 */

export const pushBatchRecords = 500;
export const pushBatchBytes = 4 * 1024 * 1024;

/** About what a record adds to a push body: its base64 texts, plus its other fields and JSON. */
function wireBytes(wire: PushRecord): number {
	return 256 + sealedChars(wire);
}

export function pushBatches<T extends {wire: PushRecord}>(pending: readonly T[]): T[][] {
	const batches: T[][] = [];
	let batch: T[] = [];
	let bytes = 0;
	for (const entry of pending) {
		const size = wireBytes(entry.wire);
		if (batch.length > 0 && (batch.length === pushBatchRecords || bytes + size > pushBatchBytes)) {
			batches.push(batch);
			batch = [];
			bytes = 0;
		}

		batch.push(entry);
		bytes += size;
	}

	if (batch.length > 0) {
		batches.push(batch);
	}

	return batches;
}

/**
 * Sends `pending` in batches, handing each batch's answer to `accept` before the next is sent; a
 * batch the server finds too large is halved and sent again. A record too large to send alone goes
 * to `alone` and the rest are still sent: one record must not stop a sync.
 */
export async function sendInBatches<T extends {wire: PushRecord}, R>(
	pending: readonly T[],
	send: (batch: readonly T[]) => Promise<R>,
	accept: (batch: readonly T[], answer: R) => void,
	alone: (entry: T) => void,
): Promise<void> {
	// A record over the protocol's limit (written before hush refused such secrets) is never sent:
	// the server would refuse the whole request it came in.
	const sendable: T[] = [];
	for (const entry of pending) {
		if (entry.wire.meta.ciphertext.length <= maxBase64Chars && (entry.wire.values?.ciphertext.length ?? 0) <= maxBase64Chars) {
			sendable.push(entry);
		} else {
			alone(entry);
		}
	}

	const queue = pushBatches(sendable);
	for (let batch = queue.shift(); batch; batch = queue.shift()) {
		let answer: R;
		try {
			answer = await send(batch);
		} catch (error) {
			if (!(error instanceof RequestTooLargeError)) {
				throw error;
			}

			if (batch.length === 1) {
				alone(batch[0]!);
				continue;
			}

			const half = Math.ceil(batch.length / 2);
			queue.unshift(batch.slice(0, half), batch.slice(half));
			continue;
		}

		accept(batch, answer);
	}
}
