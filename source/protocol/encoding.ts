/**
 * Base64 as it travels on the wire: the standard alphabet, padded (what `Buffer.toString('base64')`
 * writes). Node's own decoder skips anything it does not understand, so input is checked against
 * the canonical pattern first: a string either decodes exactly or is refused.
 */

/** Canonical padded base64, as a JSON-schema pattern and as a RegExp. Linear to match. */
export const base64Pattern = '^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$';

/**
 * Whether `text` is canonical padded base64: what decoding and encoding again gives back exactly
 * (the decoder is native and skips what it does not understand, so anything else comes back
 * different). Stricter than {@link base64Pattern} (the unused bits of the last character must be
 * zero) and, on the kilobytes of a pulled record, several times faster than the pattern.
 */
export function isBase64(text: string): boolean {
	return decodeCanonical(text) !== undefined;
}

function decodeCanonical(text: string): Buffer | undefined {
	if (text.length % 4 !== 0) {
		return undefined;
	}

	const bytes = Buffer.from(text, 'base64');
	return bytes.toString('base64') === text ? bytes : undefined;
}

/** The number of bytes canonical base64 `text` decodes to. */
export function base64ByteLength(text: string): number {
	const padding = text.endsWith('==') ? 2 : text.endsWith('=') ? 1 : 0;
	return (text.length / 4) * 3 - padding;
}

export function toBase64(bytes: Uint8Array): string {
	return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');
}

/**
 * The bytes canonical base64 `text` decodes to, copied out of Node's shared pool (a caller may wipe
 * or keep them), or undefined when `text` is not canonical.
 */
export function decodeBase64(text: string): Uint8Array | undefined {
	const bytes = decodeCanonical(text);
	return bytes && new Uint8Array(bytes);
}

/** Decodes canonical base64 (parsers have checked it); refuses anything else rather than guessing. */
export function fromBase64(text: string): Uint8Array {
	const bytes = decodeBase64(text);
	if (bytes === undefined) {
		throw new RangeError('not canonical base64');
	}

	return bytes;
}
