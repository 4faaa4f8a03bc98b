import {decodeFields} from '../vault/encoding.js';

/**
 * Strict reading of length-prefixed fields (vault/encoding.ts) that came from the wire: every field
 * is checked for its length or pattern, integers must be in canonical decimal, and nothing may be
 * left over, so one message has exactly one encoding. Failures throw {@link FieldError} with what
 * was wrong; callers turn it into their own one-line error.
 */

export class FieldError extends Error {}

const canonicalInteger = /^(?:0|[1-9]\d{0,14})$/;
const utf8 = new TextDecoder('utf-8', {fatal: true});

export class FieldReader {
	readonly #fields: Buffer[];
	#next = 0;

	constructor(encoded: Uint8Array, what: string) {
		try {
			this.#fields = decodeFields(encoded);
		} catch {
			throw new FieldError(`${what} is truncated`);
		}
	}

	get count(): number {
		return this.#fields.length;
	}

	bytes(what: string, length?: number): Uint8Array {
		const field = this.#take(what);
		if (length !== undefined && field.length !== length) {
			throw new FieldError(`${what} must be ${length} bytes, not ${field.length}`);
		}

		return new Uint8Array(field);
	}

	text(what: string, pattern: RegExp): string {
		const field = this.#take(what);
		let text: string;
		try {
			text = utf8.decode(field);
		} catch {
			throw new FieldError(`${what} is not UTF-8 text`);
		}

		if (!pattern.test(text)) {
			throw new FieldError(`${what} is not in the expected form`);
		}

		return text;
	}

	oneOf<T extends string>(what: string, allowed: readonly T[]): T {
		const text = this.text(what, /^[a-z]{1,16}$/);
		if (!(allowed as readonly string[]).includes(text)) {
			throw new FieldError(`${what} must be one of ${allowed.join(', ')}`);
		}

		return text as T;
	}

	integer(what: string, max: number): number {
		const text = this.text(what, canonicalInteger);
		const value = Number(text);
		if (value > max) {
			throw new FieldError(`${what} is over ${max}`);
		}

		return value;
	}

	/** Throws unless every field has been read. */
	end(what: string): void {
		if (this.#next !== this.#fields.length) {
			throw new FieldError(`${what} has ${this.#fields.length - this.#next} field(s) too many`);
		}
	}

	#take(what: string): Buffer {
		const field = this.#fields[this.#next++];
		if (field === undefined) {
			throw new FieldError(`${what} is missing`);
		}

		return field;
	}
}
