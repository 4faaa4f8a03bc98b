import {encodeFields} from './encoding.js';

/**
 * Additional authenticated data. Binding a ciphertext to its vault, record, part, revision and key
 * generation is what makes a ciphertext copied onto another record, part or revision fail to open.
 */

export const formatTag = 'hush-vault';

/**
 * Version of the encryption format (what is sealed and how), distinct from the table layout's
 * schema version: a table migration never has to re-encrypt records.
 */
export const cryptoFormatVersion = 1;

export type RecordPart = 'meta' | 'values';

export type RecordAadFields = {
	/** The vault's id, or for a team record the team's id (every member's copy opens alike). */
	vaultId: string;
	/** Absent (personal) keeps the label records had before teams, so their AAD is unchanged. */
	space?: 'personal' | 'team';
	recordId: string;
	part: RecordPart;
	revision: number;
	keyGeneration: number;
};

/**
 * The same bytes as encodeFields of the eight fields (a test holds the two equal), built the fast
 * way: a record's AAD is made for every part opened or sealed, tens of thousands in a large pull.
 * The four leading fields are encoded once per vault and space; the rest go straight into one
 * buffer from Node's pool, every byte of it written (a typed array of its own costs more than the
 * whole encoding). An AAD is public, so sharing the pool's memory exposes nothing.
 */
export function recordAad(fields: RecordAadFields): Uint8Array {
	const label = fields.space === 'team' ? 'team-record' : 'record';
	const prefixName = `${label}\n${fields.vaultId}`;
	let prefix = aadPrefixes.get(prefixName);
	if (!prefix) {
		prefix = Buffer.from(encodeFields([formatTag, cryptoFormatVersion, label, fields.vaultId]));
		aadPrefixes.set(prefixName, prefix);
	}

	const tail = [fields.recordId, fields.part, String(fields.revision), String(fields.keyGeneration)];
	let total = prefix.length;
	for (const text of tail) {
		total += 4 + Buffer.byteLength(text, 'utf8');
	}

	const out = Buffer.allocUnsafe(total);
	let at = prefix.copy(out, 0);
	for (const text of tail) {
		const length = out.write(text, at + 4, 'utf8');
		out.writeUInt32BE(length, at);
		at += 4 + length;
	}

	if (at !== total) {
		// Never leaves pool bytes it did not write in an AAD (utf8 writes what byteLength counts).
		throw new Error(`record AAD encoded to ${at} of ${total} bytes`);
	}

	return out;
}

/** Encoded leading fields of record AADs, by label and vault (a process sees a vault or two, and its team). */
const aadPrefixes = new Map<string, Buffer>();

export type KeyslotAadFields = {
	vaultId: string;
	slot: number;
	kind: string;
	/** Canonical JSON of the KDF parameters ('' for slots without a KDF). */
	kdf: string;
	salt: Uint8Array;
	expiresAt: string | null;
};

export function keyslotAad(fields: KeyslotAadFields): Uint8Array {
	return encodeFields([
		formatTag,
		cryptoFormatVersion,
		'keyslot',
		fields.vaultId,
		fields.slot,
		fields.kind,
		fields.kdf,
		fields.salt,
		fields.expiresAt ?? '',
	]);
}
