import {Transform, type TransformCallback} from 'node:stream';

export const maskText = '***';

/**
 * Values shorter than this many characters are masked only as whole tokens, and not in encoded
 * forms. One to three characters turn up in ordinary output by chance (every "x", "42", "yes"):
 * masking each of them wrecks the output, and which letters vanished tells the reader the value.
 * A whole token (not preceded or followed by a letter, digit, '_' or non-ASCII byte) is still
 * masked, so `pin: 042` is hidden while `xerox` is left alone. `hush set` warns about such values.
 */
export const shortValueLength = 4;

/** Whether a value is too short to be masked everywhere (see {@link shortValueLength}). */
export function isShortValue(value: string): boolean {
	let characters = 0;
	for (const _ of value) {
		if (++characters >= shortValueLength) {
			return false;
		}
	}

	return true;
}

/** One byte sequence the masker replaces: a value, or one of its encoded forms. */
type Pattern = {bytes: Buffer; wholeToken: boolean};

/**
 * What masking looks for, for one value: the value itself and, unless it is short, the forms a
 * program commonly prints it in — base64 (padded or not, and at each of the three byte alignments,
 * so the value is also found inside a longer base64 text such as an HTTP Basic credential),
 * base64url, hex (lower and upper case), percent-encoding (upper- and lower-case escapes, and form
 * encoding with '+' for space) and a JSON string's escaping (plain and ASCII-only).
 */
export function maskedForms(value: string): string[] {
	if (value === '') {
		return [];
	}

	if (isShortValue(value)) {
		return [value];
	}

	const bytes = Buffer.from(value, 'utf8');
	const forms = new Set([value, bytes.toString('hex'), bytes.toString('hex').toUpperCase(), bytes.toString('base64'), bytes.toString('base64').replace(/=+$/, ''), bytes.toString('base64url')]);
	for (const encoding of ['base64', 'base64url'] as const) {
		for (let shift = 0; shift < 3; shift++) {
			// Encode the value as if `shift` bytes preceded it, and keep only the characters made of its
			// bits alone: they are the same whatever the preceding and following bytes are.
			const text = Buffer.concat([Buffer.alloc(shift), bytes]).toString(encoding).replace(/=+$/, '');
			forms.add(text.slice(Math.ceil((8 * shift) / 6), Math.floor((8 * (shift + bytes.length)) / 6)));
		}
	}

	if (value.isWellFormed()) {
		const percent = encodeURIComponent(value);
		forms.add(percent).add(percent.replace(/%[0-9A-F]{2}/g, escape => escape.toLowerCase()));
		forms.add(new URLSearchParams({v: value}).toString().slice(2));
	}

	const json = JSON.stringify(value).slice(1, -1);
	forms.add(json).add(json.replace(/[^\x00-\x7f]/g, character => `\\u${character.charCodeAt(0).toString(16).padStart(4, '0')}`));
	// A core of a short value's encoding could be a few characters long; those would match by chance.
	return [...forms].filter(form => form === value || form.length >= shortValueLength);
}

/** Letters, digits, '_' and any byte of a non-ASCII character: what a whole token may not touch. */
function isWordByte(byte: number): boolean {
	return (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5a) || (byte >= 0x61 && byte <= 0x7a) || byte === 0x5f || byte >= 0x80;
}

/**
 * Replaces every occurrence of any of `values` (and of their encoded forms, see
 * {@link maskedForms}) in a byte stream with `***`, even when it is split across chunks. It works
 * on bytes, so a multi-byte character cut in two by a pipe is no problem. After each chunk it
 * holds back only a tail that could still grow into a match: at most the longest form's length
 * minus one byte (plus one byte after a short value, to see whether its token ends), and only while
 * that tail is a prefix of some form, so ordinary output passes through without delay. Where two
 * forms start at the same byte the longer one is masked; matching is leftmost first.
 */
export class MaskingStream extends Transform {
	readonly #patterns: Pattern[];
	/** How many bytes at the end of a chunk may still be undecided. */
	readonly #holdSpan: number;
	/**
	 * Patterns by their first bytes (three, or all of a shorter one), longest first. The scan looks
	 * up each output position once per prefix length, so it costs about the same with two values
	 * or with the tens of thousands `hush run --all` may inject.
	 */
	readonly #byPrefix = new Map<number, Pattern[]>();
	/**
	 * Tails of one and two bytes worth holding back: proper prefixes of longer patterns, and
	 * whole-token patterns that short, which wait for the next byte.
	 */
	readonly #shortPrefixes = new Set<number>();
	#pending: Buffer = Buffer.alloc(0);
	/** The last input byte before `#pending` (-1 at the start): whether a token starts there. */
	#previous = -1;

	constructor(values: Iterable<Buffer | string>) {
		super();
		const unique = new Map<string, Pattern>();
		for (const value of values) {
			const text = typeof value === 'string' ? value : value.toString('utf8');
			const short = isShortValue(text);
			for (const form of maskedForms(text)) {
				const bytes = Buffer.from(form, 'utf8');
				const key = bytes.toString('hex');
				const wholeToken = short && (unique.get(key)?.wholeToken ?? true);
				unique.set(key, {bytes, wholeToken});
			}
		}

		this.#patterns = [...unique.values()].sort((a, b) => b.bytes.length - a.bytes.length);
		this.#holdSpan = Math.max(0, ...this.#patterns.map(({bytes, wholeToken}) => (wholeToken ? bytes.length : bytes.length - 1)));
		for (const pattern of this.#patterns) {
			const {bytes} = pattern;
			const key = prefixKey(bytes, 0, Math.min(bytes.length, 3));
			const bucket = this.#byPrefix.get(key);
			if (bucket) {
				bucket.push(pattern);
			} else {
				this.#byPrefix.set(key, [pattern]);
			}

			for (let length = 1; length <= 2 && length < bytes.length; length++) {
				this.#shortPrefixes.add(prefixKey(bytes, 0, length));
			}

			if (pattern.wholeToken && bytes.length <= 2) {
				this.#shortPrefixes.add(prefixKey(bytes, 0, bytes.length));
			}
		}
	}

	override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
		const data = this.#pending.length === 0 ? chunk : Buffer.concat([this.#pending, chunk]);
		const {output, held} = this.#mask(data, false);
		if (held.length < data.length) {
			this.#previous = data[data.length - held.length - 1]!;
		}

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
		for (const {bytes} of this.#patterns) {
			bytes.fill(0);
		}
	}

	#mask(data: Buffer, final: boolean): {output: Buffer; held: Buffer} {
		if (this.#patterns.length === 0) {
			return {output: data, held: Buffer.alloc(0)};
		}

		const parts: Buffer[] = [];
		let position = 0;
		// Where a match may be starting that has not fully arrived: nothing from there on is decided yet.
		let hold = final ? data.length : this.#holdFrom(data, 0);
		for (;;) {
			const match = this.#nextMatch(data, position, final);
			// A complete match at or after `hold` might be part of a longer one still arriving: wait.
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

	/** The first position at or after `from` where the rest of `data` may still become a match. */
	#holdFrom(data: Buffer, from: number): number {
		for (let start = Math.max(from, data.length - this.#holdSpan); start < data.length; start++) {
			if (this.#mayGrowIntoMatch(data, start)) {
				return start;
			}
		}

		return data.length;
	}

	/** The leftmost complete match at or after `from`; the longest at a tie. */
	#nextMatch(data: Buffer, from: number, final: boolean): {at: number; length: number} | undefined {
		for (let at = from; at < data.length; at++) {
			const room = data.length - at;
			const length =
				(room >= 3 ? this.#matchIn(prefixKey(data, at, 3), data, at, final) : 0) ||
				(room >= 2 ? this.#matchIn(prefixKey(data, at, 2), data, at, final) : 0) ||
				this.#matchIn(prefixKey(data, at, 1), data, at, final);
			if (length > 0) {
				return {at, length};
			}
		}

		return undefined;
	}

	#matchIn(key: number, data: Buffer, at: number, final: boolean): number {
		const bucket = this.#byPrefix.get(key);
		if (bucket) {
			for (const {bytes, wholeToken} of bucket) {
				const end = at + bytes.length;
				if (end <= data.length && data.compare(bytes, 0, bytes.length, at, end) === 0 && (!wholeToken || this.#isToken(data, at, end, final))) {
					return bytes.length;
				}
			}
		}

		return 0;
	}

	/** Whether data[at, end) stands alone; not yet known (false) when `end` is the last byte so far. */
	#isToken(data: Buffer, at: number, end: number, final: boolean): boolean {
		const before = at > 0 ? data[at - 1]! : this.#previous;
		if (before !== -1 && isWordByte(before)) {
			return false;
		}

		return end < data.length ? !isWordByte(data[end]!) : final;
	}

	/** Whether the bytes from `start` on are a proper prefix of a pattern, or a whole-token pattern waiting for its next byte. */
	#mayGrowIntoMatch(data: Buffer, start: number): boolean {
		const length = data.length - start;
		if (length <= 2) {
			return this.#shortPrefixes.has(prefixKey(data, start, length));
		}

		const tail = data.subarray(start);
		return (this.#byPrefix.get(prefixKey(data, start, 3)) ?? []).some(
			({bytes, wholeToken}) => (bytes.length > length || (wholeToken && bytes.length === length)) && bytes.subarray(0, length).equals(tail),
		);
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
