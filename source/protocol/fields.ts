import {HushError} from '../errors.js';
import {base64ByteLength, decodeBase64, isBase64} from './encoding.js';

/**
 * The small toolkit every wire parser is built from. Each check names the path of the offending
 * field (`records[3].meta.nonce`) and what was expected, in one line, and never echoes the value
 * itself: it came from the network and may hold anything, terminal escapes included.
 *
 * Hand-written rather than zod: these parsers run on every sync (auto-sync after each write
 * included), and a few dozen lines of checks cost nothing to load.
 */

/** Something that crossed the wire does not match the protocol. */
export class ProtocolError extends HushError {}

export type Path = string;

export function fail(path: Path, expected: string): never {
	throw new ProtocolError(`${path} ${expected}`);
}

function kind(value: unknown): string {
	if (value === null) {
		return 'null';
	}

	return Array.isArray(value) ? 'an array' : `a ${typeof value}`;
}

/** A plain JSON object. With `keys`, a field outside that list is refused. */
export function object(value: unknown, path: Path, keys?: readonly string[]): Record<string, unknown> {
	if (typeof value !== 'object' || value === null || Array.isArray(value)) {
		fail(path, `must be an object, not ${kind(value)}`);
	}

	const record = value as Record<string, unknown>;
	if (keys) {
		for (const key of Object.keys(record)) {
			if (!keys.includes(key)) {
				fail(path, `has an unexpected field ${JSON.stringify(clean(key, 40))}`);
			}
		}
	}

	return record;
}

export function array(value: unknown, path: Path, max: number): unknown[] {
	if (!Array.isArray(value)) {
		fail(path, `must be an array, not ${kind(value)}`);
	}

	if (value.length > max) {
		fail(path, `holds ${value.length} items, more than ${max}`);
	}

	return value;
}

export function boolean(value: unknown, path: Path): boolean {
	if (typeof value !== 'boolean') {
		fail(path, `must be true or false, not ${kind(value)}`);
	}

	return value;
}

export function integer(value: unknown, path: Path, min: number, max = Number.MAX_SAFE_INTEGER): number {
	if (typeof value !== 'number' || !Number.isSafeInteger(value)) {
		fail(path, `must be an integer, not ${kind(value)}`);
	}

	if (value < min || value > max) {
		fail(path, max === Number.MAX_SAFE_INTEGER ? `must be at least ${min}` : `must be between ${min} and ${max}`);
	}

	return value;
}

export function literal<T extends string | number>(value: unknown, path: Path, allowed: readonly T[]): T {
	if (!allowed.includes(value as T)) {
		fail(path, `must be ${allowed.map(item => JSON.stringify(item)).join(' or ')}`);
	}

	return value as T;
}

const controlCharacters = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;

/** A string of printable characters (no control characters), at most `max` long, matching `pattern` if given. */
export function text(value: unknown, path: Path, max: number, pattern?: RegExp, shape?: string): string {
	if (typeof value !== 'string') {
		fail(path, `must be a string, not ${kind(value)}`);
	}

	if (value.length > max) {
		fail(path, `is ${value.length} characters long, more than ${max}`);
	}

	if (controlCharacters.test(value)) {
		fail(path, 'holds control characters');
	}

	if (pattern && !pattern.test(value)) {
		fail(path, `is not ${shape ?? `of the form ${pattern.source}`}`);
	}

	return value;
}

/** Canonical base64 of at most `maxChars` characters, decoding to `minBytes`–`maxBytes` bytes. */
export function base64(value: unknown, path: Path, maxChars: number, minBytes = 0, maxBytes = Number.MAX_SAFE_INTEGER): string {
	checkedBase64(value, path, maxChars, minBytes, maxBytes, text => isBase64(text) || undefined);
	return value as string;
}

/** {@link base64}'s checks, giving the bytes decoded on the way (in an array of their own) instead of the text. */
export function base64Bytes(value: unknown, path: Path, maxChars: number): Uint8Array {
	return checkedBase64(value, path, maxChars, 0, Number.MAX_SAFE_INTEGER, decodeBase64);
}

function checkedBase64<T>(value: unknown, path: Path, maxChars: number, minBytes: number, maxBytes: number, decode: (text: string) => T | undefined): T {
	if (typeof value !== 'string') {
		fail(path, `must be a base64 string, not ${kind(value)}`);
	}

	if (value.length > maxChars) {
		fail(path, `is ${value.length} characters long, more than ${maxChars}`);
	}

	const decoded = decode(value);
	if (decoded === undefined) {
		fail(path, 'is not valid base64');
	}

	const bytes = base64ByteLength(value);
	if (bytes < minBytes || bytes > maxBytes) {
		fail(path, minBytes === maxBytes ? `must decode to ${minBytes} bytes, not ${bytes}` : `must decode to ${minBytes}–${maxBytes} bytes, not ${bytes}`);
	}

	return decoded;
}

const isoTimestamp = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,9})?(?:Z|[+-]\d{2}:\d{2})$/;

/** An ISO 8601 timestamp (`2026-01-31T12:00:00.000Z`). */
export function timestamp(value: unknown, path: Path): string {
	const stamp = text(value, path, 40, isoTimestamp, 'an ISO 8601 timestamp');
	if (Number.isNaN(Date.parse(stamp))) {
		fail(path, 'is not a valid date');
	}

	return stamp;
}

/** Text from the network made safe for one line of a terminal: control characters become spaces, cut to `max`. */
export function clean(value: unknown, max = 200): string {
	return String(value)
		.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, ' ')
		.slice(0, max);
}
