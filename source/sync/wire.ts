import {IntegrityError} from '../errors.js';
import type {KeyslotRow} from '../vault/keyslots.js';
import type {RecordRow} from '../vault/records.js';
import type {SyncStore} from '../vault/sync-store.js';
import type {PushRecord, VaultHeader, WireRecord} from './client.js';

/**
 * Conversion between the vault's sealed rows and the sync API's JSON: ciphertexts travel as
 * base64, byte for byte as sealed, with the revision they were sealed at.
 */

const b64 = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64');
const unb64 = (text: string) => new Uint8Array(Buffer.from(text, 'base64'));

/** A record from the server as a row (no name MAC: that is computed here, never sent). */
export function wireToRow(record: WireRecord): RecordRow {
	return {
		id: record.id,
		name_mac: null,
		revision: record.rev,
		key_generation: record.keyGeneration,
		meta_nonce: unb64(record.meta.nonce),
		meta_ciphertext: unb64(record.meta.ciphertext),
		values_nonce: record.values ? unb64(record.values.nonce) : null,
		values_ciphertext: record.values ? unb64(record.values.ciphertext) : null,
	};
}

/** A local row as a push: built on `baseRev`, sealed at its own revision. */
export function rowToPush(row: RecordRow, baseRev: number, isPrivate: boolean): PushRecord {
	return {
		id: row.id,
		rev: row.revision,
		baseRev,
		deleted: row.values_ciphertext === null,
		private: isPrivate,
		keyGeneration: row.key_generation,
		meta: {nonce: b64(row.meta_nonce), ciphertext: b64(row.meta_ciphertext)},
		values: row.values_ciphertext && row.values_nonce ? {nonce: b64(row.values_nonce), ciphertext: b64(row.values_ciphertext)} : null,
	};
}

/** The vault header with key slot 1 only (never a keychain or session slot); re-sent after `hush passwd`. */
export function headerForRemote(store: SyncStore): VaultHeader {
	const {createdAt, keyGeneration, passphraseSlot: slot} = store.headerForRemote();
	if (!slot) {
		throw new IntegrityError('the vault has no passphrase key slot');
	}

	return {
		format: 1,
		vaultId: store.vaultId,
		createdAt,
		keyGeneration,
		keyslot: {
			slot: slot.slot,
			kind: slot.kind,
			kdf: slot.kdf,
			salt: b64(slot.salt),
			nonce: b64(slot.nonce),
			wrappedKey: b64(slot.wrapped_key),
			createdAt: slot.created_at,
			expiresAt: slot.expires_at,
		},
	};
}

/** What a new device takes from the server's header for `vaultId`: its key slot 1, creation time and key generation. */
export function headerFromRemote(header: VaultHeader, vaultId: string): {keyslot: KeyslotRow; createdAt: string; keyGeneration: number} {
	const slot = header['keyslot'] as Record<string, unknown> | undefined;
	if (header['vaultId'] !== vaultId || !slot || slot['slot'] !== 1 || slot['kind'] !== 'passphrase') {
		throw new IntegrityError('the server’s vault header is malformed or names another vault');
	}

	return {
		keyslot: {
			slot: 1,
			kind: 'passphrase',
			kdf: typeof slot['kdf'] === 'string' ? slot['kdf'] : null,
			salt: fromB64(slot['salt']),
			nonce: fromB64(slot['nonce']),
			wrapped_key: fromB64(slot['wrappedKey']),
			created_at: String(slot['createdAt']),
			expires_at: typeof slot['expiresAt'] === 'string' ? slot['expiresAt'] : null,
		},
		createdAt: String(header['createdAt'] ?? new Date().toISOString()),
		keyGeneration: Number(header['keyGeneration'] ?? 1),
	};
}

function fromB64(text: unknown): Uint8Array {
	if (typeof text !== 'string') {
		throw new IntegrityError('the server’s vault header is malformed');
	}

	return unb64(text);
}
