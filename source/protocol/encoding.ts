/**
 * Base64 as it travels on the wire: the standard alphabet, padded (what `Buffer.toString('base64')`
 * writes). Node's own decoder skips anything it does not understand, so input is checked against
 * the canonical pattern first: a string either decodes exactly or is refused.
 */

/** Canonical padded base64, as a JSON-schema pattern and as a RegExp. Linear to match. */
export const base64Pattern = '^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$';

const base64Regex = new RegExp(base64Pattern);

export function isBase64(text: string): boolean {
	return base64Regex.test(text);
}

/** The number of bytes canonical base64 `text` decodes to. */
export function base64ByteLength(text: string): number {
	const padding = text.endsWith('==') ? 2 : text.endsWith('=') ? 1 : 0;
	return (text.length / 4) * 3 - padding;
}

export function toBase64(bytes: Uint8Array): string {
	return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');
}

/** Decodes canonical base64 (parsers have checked it); refuses anything else rather than guessing. */
export function fromBase64(text: string): Uint8Array {
	if (!isBase64(text)) {
		throw new RangeError('not canonical base64');
	}

	return new Uint8Array(Buffer.from(text, 'base64'));
}
