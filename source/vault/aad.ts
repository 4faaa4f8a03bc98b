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

export function recordAad(fields: RecordAadFields): Uint8Array {
	return encodeFields([
		formatTag,
		cryptoFormatVersion,
		fields.space === 'team' ? 'team-record' : 'record',
		fields.vaultId,
		fields.recordId,
		fields.part,
		fields.revision,
		fields.keyGeneration,
	]);
}

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
