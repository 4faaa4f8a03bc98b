import {randomBytes} from 'node:crypto';
import type {DatabaseSync} from 'node:sqlite';
import {keyslotAad} from './aad.js';
import {open, seal} from './aead.js';
import {HushError, IntegrityError, VaultNotFoundError, WrongPassphraseError} from '../errors.js';
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

// ---- device and session slots -------------------------------------------------------------------

/** Slot 2: a random device key kept in the OS keychain (`hush init|unlock --remember`). */
export const deviceSlot = 2;
export const deviceKind = 'device';

/** Slots 3 and up: sessions (`hush unlock`), each with its own token and an authenticated expiry. */
export const firstSessionSlot = 3;
export const sessionKind = 'session';

/** Random secrets for device keys and session tokens: 256 bits. */
export const slotSecretLength = 32;

const sessionTokenPrefix = 'hs1';

/** A slot that is not the passphrase's: no KDF (the secret is already 256 random bits), a random salt in the AAD. */
export function wrapWithRandomSecret(vaultId: string, rootKey: Uint8Array, slot: number, kind: string, secret: Uint8Array, expiresAt: string | null): KeyslotRow {
	return wrapWithSecret({vaultId, slot, kind, kdf: '', salt: new Uint8Array(randomBytes(saltLength)), rootKey, secret, expiresAt});
}

/**
 * A session token names its slot and carries the slot's secret: `hs1.<slot>.<base64url secret>`.
 * The vault stores only the root key wrapped under a key derived from that secret — never the token.
 */
export function encodeSessionToken(slot: number, secret: Uint8Array): string {
	return `${sessionTokenPrefix}.${slot}.${Buffer.from(secret).toString('base64url')}`;
}

/** Returns undefined for anything that is not a well-formed token. */
export function parseSessionToken(token: string): {slot: number; secret: Uint8Array} | undefined {
	const match = /^hs1\.(\d{1,9})\.([A-Za-z0-9_-]{43})$/.exec(token.trim());
	if (!match) {
		return undefined;
	}

	const slot = Number(match[1]);
	const secret = new Uint8Array(Buffer.from(match[2]!, 'base64url'));
	// Canonical encodings only: one token string per secret.
	if (slot < firstSessionSlot || secret.length !== slotSecretLength || Buffer.from(secret).toString('base64url') !== match[2]) {
		return undefined;
	}

	return {slot, secret};
}

/** Sessions whose authenticated expiry has passed. */
export function deleteExpiredSessions(db: DatabaseSync, now: Date): number {
	const rows = db.prepare('SELECT slot, expires_at FROM keyslots WHERE kind = ?').all(sessionKind) as Array<{slot: number; expires_at: string | null}>;
	let removed = 0;
	for (const row of rows) {
		if (row.expires_at === null || Date.parse(row.expires_at) <= now.getTime()) {
			removed += Number(db.prepare('DELETE FROM keyslots WHERE slot = ?').run(row.slot).changes);
		}
	}

	return removed;
}

export function nextSessionSlot(db: DatabaseSync): number {
	const {top} = db.prepare('SELECT MAX(slot) AS top FROM keyslots').get() as {top: number | null};
	return Math.max(firstSessionSlot, (top ?? 0) + 1);
}

/** HUSH_SESSION is malformed, wrong, ended or expired. Exit 1. */
export class SessionError extends HushError {}

/** Drops every slot but `keep`: after this, only that slot opens the vault. */
export function deleteKeyslotsExcept(db: DatabaseSync, keep: number): number {
	return Number(db.prepare('DELETE FROM keyslots WHERE slot != ?').run(keep).changes);
}
