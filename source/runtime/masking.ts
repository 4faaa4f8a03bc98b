import {Transform, type TransformCallback} from 'node:stream';

export const maskText = '***';

/**
 * Replaces every occurrence of any of `values` in a byte stream with `***`, even when a value is
 * split across chunks. It works on bytes, so a multi-byte character cut in two by a pipe is no
 * problem. After each chunk it holds back only a tail that could still grow into a value: at most
 * the longest value's length minus one byte, and only while that tail is a prefix of some value,
 * so ordinary output passes through without delay.
 */
export class MaskingStream extends Transform {
	readonly #values: Buffer[];
	readonly #longest: number;
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

		// Longest first, so of two values that start at the same byte the longer one is masked whole.
		this.#values = [...unique.values()].sort((a, b) => b.length - a.length);
		this.#longest = this.#values[0]?.length ?? 0;
	}

	override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
		const data = this.#pending.length === 0 ? chunk : Buffer.concat([this.#pending, chunk]);
		this.#pending = Buffer.alloc(0);
		const {output, held} = this.#mask(data, false);
		this.#pending = held;
		wipe(data === chunk ? undefined : data);
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
		for (;;) {
			const match = this.#nextMatch(data, position);
			if (!match) {
				break;
			}

			// A longer value may start here too and run past the end of what has arrived: wait for it.
			if (!final && this.#couldGrow(data, match.at, match.length)) {
				parts.push(data.subarray(position, match.at));
				return {output: Buffer.concat(parts), held: Buffer.from(data.subarray(match.at))};
			}

			parts.push(data.subarray(position, match.at), Buffer.from(maskText));
			position = match.at + match.length;
		}

		let keepFrom = data.length;
		if (!final) {
			for (let start = Math.max(position, data.length - this.#longest + 1); start < data.length; start++) {
				if (this.#isPrefixOfValue(data.subarray(start))) {
					keepFrom = start;
					break;
				}
			}
		}

		parts.push(data.subarray(position, keepFrom));
		return {output: Buffer.concat(parts), held: Buffer.from(data.subarray(keepFrom))};
	}

	/** The leftmost complete occurrence of any value at or after `from`; the longest at a tie. */
	#nextMatch(data: Buffer, from: number): {at: number; length: number} | undefined {
		let best: {at: number; length: number} | undefined;
		for (const value of this.#values) {
			const at = data.indexOf(value, from);
			if (at !== -1 && (best === undefined || at < best.at)) {
				best = {at, length: value.length};
			}
		}

		return best;
	}

	#couldGrow(data: Buffer, at: number, length: number): boolean {
		const tail = data.subarray(at);
		return this.#values.some(value => value.length > length && value.length > tail.length && value.subarray(0, tail.length).equals(tail));
	}

	#isPrefixOfValue(tail: Buffer): boolean {
		return this.#values.some(value => value.length > tail.length && value.subarray(0, tail.length).equals(tail));
	}
}

function wipe(buffer: Buffer | undefined): void {
	buffer?.fill(0);
}
