import {Transform, type TransformCallback} from 'node:stream';

export const maskText = '***';

/**
 * Replaces every occurrence of any of `values` in a byte stream with `***`, even when a value is
 * split across chunks. It works on bytes, so a multi-byte character cut in two by a pipe is no
 * problem. After each chunk it holds back only a tail that could still grow into a value: at most
 * the longest value's length minus one byte, and only while that tail is a prefix of some value,
 * so ordinary output passes through without delay. Where two values start at the same byte the
 * longer one is masked; matching is leftmost first.
 */
export class MaskingStream extends Transform {
	readonly #values: Buffer[];
	readonly #longest: number;
	/**
	 * Values by their first bytes (three, or all of a shorter value), longest first. The scan looks
	 * up each output position once per prefix length, so it costs about the same with two values
	 * or with the tens of thousands `hush run --all` may inject.
	 */
	readonly #byPrefix = new Map<number, Buffer[]>();
	/** Prefixes (one and two bytes) of values longer than that prefix: the tails worth holding back. */
	readonly #shortPrefixes = new Set<number>();
	#pending: Buffer = Buffer.alloc(0);

	constructor(values: Iterable<Buffer | string>) {
		super();
		const unique = new Map<string, Buffer>();
		for (const value of values) {
			const bytes = typeof value === 'string' ? Buffer.from(value, 'utf8') : value;
			if (bytes.length > 0) {
				unique.set(bytes.toString('hex'), Buffer.from(bytes));
			}
		}

		this.#values = [...unique.values()].sort((a, b) => b.length - a.length);
		this.#longest = this.#values[0]?.length ?? 0;
		for (const value of this.#values) {
			const key = prefixKey(value, 0, Math.min(value.length, 3));
			const bucket = this.#byPrefix.get(key);
			if (bucket) {
				bucket.push(value);
			} else {
				this.#byPrefix.set(key, [value]);
			}

			for (let length = 1; length <= 2 && length < value.length; length++) {
				this.#shortPrefixes.add(prefixKey(value, 0, length));
			}
		}
	}

	override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
		const data = this.#pending.length === 0 ? chunk : Buffer.concat([this.#pending, chunk]);
		const {output, held} = this.#mask(data, false);
		this.#pending = held;
		callback(null, output.length > 0 ? output : undefined);
	}

	override _flush(callback: TransformCallback): void {
		const {output} = this.#mask(this.#pending, true);
		this.#pending = Buffer.alloc(0);
		callback(null, output.length > 0 ? output : undefined);
	}

	/** Forgets the values (zeroes hush's copies); the stream must not be written to afterwards. */
	wipeValues(): void {
		for (const value of this.#values) {
			value.fill(0);
		}
	}

	#mask(data: Buffer, final: boolean): {output: Buffer; held: Buffer} {
		if (this.#values.length === 0) {
			return {output: data, held: Buffer.alloc(0)};
		}

		const parts: Buffer[] = [];
		let position = 0;
		// Where a value may be starting that has not fully arrived: nothing from there on is decided yet.
		let hold = final ? data.length : this.#holdFrom(data, 0);
		for (;;) {
			const match = this.#nextMatch(data, position);
			// A complete value at or after `hold` might be part of a longer one still arriving: wait.
			if (!match || match.at >= hold) {
				break;
			}

			parts.push(data.subarray(position, match.at), Buffer.from(maskText));
			position = match.at + match.length;
			if (position > hold) {
				hold = this.#holdFrom(data, position);
			}
		}

		const keepFrom = Math.max(position, hold);
		parts.push(data.subarray(position, keepFrom));
		return {output: Buffer.concat(parts), held: Buffer.from(data.subarray(keepFrom))};
	}

	/** The first position at or after `from` where the rest of `data` is a proper prefix of a value. */
	#holdFrom(data: Buffer, from: number): number {
		for (let start = Math.max(from, data.length - this.#longest + 1); start < data.length; start++) {
			if (this.#isPrefixOfValue(data, start)) {
				return start;
			}
		}

		return data.length;
	}

	/** The leftmost complete occurrence of any value at or after `from`; the longest at a tie. */
	#nextMatch(data: Buffer, from: number): {at: number; length: number} | undefined {
		for (let at = from; at < data.length; at++) {
			const room = data.length - at;
			const length =
				(room >= 3 ? this.#matchIn(prefixKey(data, at, 3), data, at) : 0) ||
				(room >= 2 ? this.#matchIn(prefixKey(data, at, 2), data, at) : 0) ||
				this.#matchIn(prefixKey(data, at, 1), data, at);
			if (length > 0) {
				return {at, length};
			}
		}

		return undefined;
	}

	#matchIn(key: number, data: Buffer, at: number): number {
		const bucket = this.#byPrefix.get(key);
		if (bucket) {
			for (const value of bucket) {
				if (at + value.length <= data.length && data.compare(value, 0, value.length, at, at + value.length) === 0) {
					return value.length;
				}
			}
		}

		return 0;
	}

	/** Whether the bytes from `start` to the end are a proper prefix of some value. */
	#isPrefixOfValue(data: Buffer, start: number): boolean {
		const length = data.length - start;
		if (length <= 2) {
			return this.#shortPrefixes.has(prefixKey(data, start, length));
		}

		const tail = data.subarray(start);
		return (this.#byPrefix.get(prefixKey(data, start, 3)) ?? []).some(value => value.length > length && value.subarray(0, length).equals(tail));
	}
}

/** The first `length` (1–3) bytes from `at` as one number; the length is part of it, so keys never collide. */
function prefixKey(bytes: Uint8Array, at: number, length: number): number {
	let key = length;
	for (let index = 0; index < length; index++) {
		key = key * 256 + bytes[at + index]!;
	}

	return key;
}
