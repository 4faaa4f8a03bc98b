import {randomBytes} from 'node:crypto';
import type {DatabaseSync} from 'node:sqlite';
import {keyslotAad} from './aad.js';
import {open, seal} from './aead.js';
import {IntegrityError, VaultNotFoundError, WrongPassphraseError} from './errors.js';
import {assertKdfParamsAllowed, type DeriveFunction, type KdfParams, saltLength, serializeKdfParams} from './kdf.js';
import {deriveKeyslotKek} from './keys.js';

/**
 * Key slots each wrap the same random root key under a different secret. Slot 1 is the
 * passphrase (argon2id); later slots hold a device key (OS keychain) or a session token.
 */

export const passphraseSlot = 1;

export type KeyslotRow = {
	slot: number;
	kind: string;
	kdf: string | null;
	salt: Uint8Array;
	nonce: Uint8Array;
	wrapped_key: Uint8Array;
	created_at: string;
	expires_at: string | null;
};

export function readKeyslot(db: DatabaseSync, slot: number): KeyslotRow | undefined {
	return db.prepare('SELECT * FROM keyslots WHERE slot = ?').get(slot) as KeyslotRow | undefined;
}

export async function wrapWithPassphrase(
	vaultId: string,
	rootKey: Uint8Array,
	passphrase: string,
	params: KdfParams,
	derive: DeriveFunction,
): Promise<KeyslotRow> {
	assertKdfParamsAllowed(params);
	const salt = new Uint8Array(randomBytes(saltLength));
	const stretched = await derive(passphrase, salt, params);
	try {
		return wrapWithSecret({vaultId, slot: passphraseSlot, kind: 'passphrase', kdf: serializeKdfParams(params), salt, rootKey, secret: stretched, expiresAt: null});
	} finally {
		stretched.fill(0);
	}
}

export async function unwrapWithPassphrase(
	vaultId: string,
	row: KeyslotRow | undefined,
	passphrase: string,
	derive: DeriveFunction,
): Promise<Uint8Array> {
	if (!row) {
		throw new VaultNotFoundError('the vault has no passphrase key slot');
	}

	let params: unknown;
	try {
		params = JSON.parse(row.kdf ?? 'null');
	} catch {
		throw new IntegrityError('the key slot\'s KDF parameters are damaged');
	}

	// Floors and ceilings first: nothing is derived from parameters we would not have written.
	assertKdfParamsAllowed(params);
	const stretched = await derive(passphrase, row.salt, params);
	try {
		return unwrapWithSecret(vaultId, row, stretched);
	} catch (error) {
		if (error instanceof IntegrityError) {
			throw new WrongPassphraseError('wrong passphrase (or the vault\'s key slot has been altered)');
		}

		throw error;
	} finally {
		stretched.fill(0);
	}
}

export type WrapInput = {
	vaultId: string;
	slot: number;
	kind: string;
	kdf: string;
	salt: Uint8Array;
	rootKey: Uint8Array;
	secret: Uint8Array;
	expiresAt: string | null;
};

export function wrapWithSecret(input: WrapInput): KeyslotRow {
	const kek = deriveKeyslotKek(input.secret, input.vaultId, input.kind);
	try {
		const aad = keyslotAad({vaultId: input.vaultId, slot: input.slot, kind: input.kind, kdf: input.kdf, salt: input.salt, expiresAt: input.expiresAt});
		const {nonce, ciphertext} = seal(kek, input.rootKey, aad);
		return {
			slot: input.slot,
			kind: input.kind,
			kdf: input.kdf || null,
			salt: input.salt,
			nonce,
			wrapped_key: ciphertext,
			created_at: new Date().toISOString(),
			expires_at: input.expiresAt,
		};
	} finally {
		kek.fill(0);
	}
}

export function unwrapWithSecret(vaultId: string, row: KeyslotRow, secret: Uint8Array): Uint8Array {
	const kek = deriveKeyslotKek(secret, vaultId, row.kind);
	try {
		const aad = keyslotAad({vaultId, slot: row.slot, kind: row.kind, kdf: row.kdf ?? '', salt: row.salt, expiresAt: row.expires_at});
		const rootKey = open(kek, row.nonce, row.wrapped_key, aad);
		if (rootKey.length !== 32) {
			throw new IntegrityError('the key slot holds a key of the wrong size');
		}

		return rootKey;
	} finally {
		kek.fill(0);
	}
}

export function writeKeyslot(db: DatabaseSync, row: KeyslotRow): void {
	db.prepare(
		`INSERT INTO keyslots (slot, kind, kdf, salt, nonce, wrapped_key, created_at, expires_at)
		 VALUES (?, ?, ?, ?, ?, ?, ?, ?)
		 ON CONFLICT (slot) DO UPDATE SET kind = excluded.kind, kdf = excluded.kdf, salt = excluded.salt,
		 nonce = excluded.nonce, wrapped_key = excluded.wrapped_key, created_at = excluded.created_at,
		 expires_at = excluded.expires_at`,
	).run(row.slot, row.kind, row.kdf, row.salt, row.nonce, row.wrapped_key, row.created_at, row.expires_at);
}
