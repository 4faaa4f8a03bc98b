import {IntegrityError} from '../errors.js';
import type {KeyslotRow} from '../vault/keyslots.js';
import type {RecordRow} from '../vault/records.js';
import type {SyncStore} from '../vault/sync-store.js';
import {type PushRecord, type VaultHeader, type WireRecord, fromBase64, sealedBytes, toBase64, vaultHeaderFormat} from '../protocol/index.js';

/**
 * Conversion between the vault's sealed rows and the sync API's JSON: ciphertexts travel as
 * base64, byte for byte as sealed, with the revision they were sealed at.
 */

/** Rows already made from a record (a large pull asks for each twice: to open it ahead, and to apply it). */
const decoded = new WeakMap<WireRecord, Readonly<RecordRow>>();

/** A record from the server as a row (no name MAC: that is computed here, never sent), with the bytes its parse decoded. */
export function wireToRow(record: WireRecord): RecordRow {
	let row = decoded.get(record);
	if (!row) {
		const meta = sealedBytes(record.meta);
		const values = record.values && sealedBytes(record.values);
		// Frozen: one row object may serve both decodes, so no reader may change it.
		row = Object.freeze({
			id: record.id,
			name_mac: null,
			revision: record.rev,
			key_generation: record.keyGeneration,
			meta_nonce: meta.nonce,
			meta_ciphertext: meta.ciphertext,
			values_nonce: values?.nonce ?? null,
			values_ciphertext: values?.ciphertext ?? null,
		});
		decoded.set(record, row);
	}

	return row;
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
		meta: {nonce: toBase64(row.meta_nonce), ciphertext: toBase64(row.meta_ciphertext)},
		values: row.values_ciphertext && row.values_nonce ? {nonce: toBase64(row.values_nonce), ciphertext: toBase64(row.values_ciphertext)} : null,
	};
}

/** The vault header with key slot 1 only (never a keychain or session slot); re-sent after `hush passwd`. */
export function headerForRemote(store: SyncStore): VaultHeader {
	const {createdAt, keyGeneration, passphraseSlot: slot} = store.headerForRemote();
	if (slot?.kind !== 'passphrase' || slot.slot !== 1 || slot.kdf === null) {
		throw new IntegrityError('the vault has no passphrase key slot');
	}

	return {
		format: vaultHeaderFormat,
		vaultId: store.vaultId,
		createdAt,
		keyGeneration,
		keyslot: {
			slot: 1,
			kind: 'passphrase',
			kdf: slot.kdf,
			salt: toBase64(slot.salt),
			nonce: toBase64(slot.nonce),
			wrappedKey: toBase64(slot.wrapped_key),
			createdAt: slot.created_at,
			expiresAt: slot.expires_at,
		},
	};
}

/**
 * What a new device takes from the server's header for `vaultId` (already checked field by field
 * by the protocol's parser): its key slot 1, creation time and key generation.
 */
export function headerFromRemote(header: VaultHeader, vaultId: string): {keyslot: KeyslotRow; createdAt: string; keyGeneration: number} {
	if (header.vaultId !== vaultId) {
		throw new IntegrityError('the server’s vault header names another vault');
	}

	const slot = header.keyslot;
	return {
		keyslot: {
			slot: slot.slot,
			kind: slot.kind,
			kdf: slot.kdf,
			salt: fromBase64(slot.salt),
			nonce: fromBase64(slot.nonce),
			wrapped_key: fromBase64(slot.wrappedKey),
			created_at: slot.createdAt,
			expires_at: slot.expiresAt,
		},
		createdAt: header.createdAt,
		keyGeneration: header.keyGeneration,
	};
}
