/**
 * Length-prefixed fields: each is a 4-byte big-endian length followed by its bytes. Used for AAD
 * (so no two different field lists encode alike: "ab"+"c" ≠ "a"+"bc") and for the plaintext of a
 * record's values, which decodes to byte buffers without ever making a JavaScript string — strings
 * cannot be wiped, buffers can.
 */

export function encodeFields(fields: ReadonlyArray<string | number | Uint8Array>): Uint8Array {
	const encoded = fields.map(field => (field instanceof Uint8Array ? field : Buffer.from(String(field), 'utf8')));
	const out = new Uint8Array(encoded.reduce((total, bytes) => total + 4 + bytes.length, 0));
	const view = new DataView(out.buffer);
	let offset = 0;
	for (const bytes of encoded) {
		view.setUint32(offset, bytes.length);
		out.set(bytes, offset + 4);
		offset += 4 + bytes.length;
	}

	return out;
}

/** Splits an encoding back into fields, copying each so the source can be wiped on its own. */
export function decodeFields(encoded: Uint8Array): Buffer[] {
	const view = new DataView(encoded.buffer, encoded.byteOffset, encoded.byteLength);
	const fields: Buffer[] = [];
	let offset = 0;
	while (offset < encoded.length) {
		if (offset + 4 > encoded.length) {
			throw new RangeError('truncated field length');
		}

		const length = view.getUint32(offset);
		const end = offset + 4 + length;
		if (end > encoded.length) {
			throw new RangeError('truncated field');
		}

		fields.push(Buffer.from(encoded.subarray(offset + 4, end)));
		offset = end;
	}

	return fields;
}
