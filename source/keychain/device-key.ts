import {randomBytes} from 'node:crypto';
import {IntegrityError} from '../errors.js';
import {slotSecretLength} from '../vault/keyslots.js';
import type {Vault} from '../vault/vault.js';
import {deleteKeychainPassword, readKeychainPassword, writeKeychainPassword} from './keychain.js';

/**
 * Key slot 2 (`--remember`): a random 256-bit device key, kept in the OS keychain under service
 * `hush`, account `vault:<vault id>`, wraps the vault's root key. Whoever can read that keychain
 * item (you, logged in, with the keychain unlocked) opens the vault without the passphrase.
 */

export const keychainService = 'hush';

export function deviceAccount(vaultId: string): string {
	return `vault:${vaultId}`;
}

/**
 * Fails with {@link KeychainUnavailableError} unless the keychain answers: asked before anything
 * is created, so `init --remember` on a machine without a keychain leaves nothing behind.
 */
export async function assertKeychainReachable(): Promise<void> {
	try {
		await readKeychainPassword(keychainService, 'probe');
	} catch (error) {
		if (!(error instanceof Error && error.name === 'KeychainItemNotFoundError')) {
			throw error;
		}
	}
}

/** Stores a fresh device key in the keychain, then adds (or replaces) key slot 2 under it. */
export async function rememberDevice(vault: Vault): Promise<void> {
	const key = randomBytes(slotSecretLength);
	try {
		// Keychain first: if it refuses, the vault is unchanged.
		await writeKeychainPassword(keychainService, deviceAccount(vault.id), key.toString('base64'));
		vault.rememberDevice(new Uint8Array(key.buffer, key.byteOffset, key.length));
	} finally {
		key.fill(0);
	}
}

/** The device key for `vaultId`, from the keychain. The caller wipes it. */
export async function readDeviceKey(vaultId: string): Promise<Uint8Array> {
	const text = await readKeychainPassword(keychainService, deviceAccount(vaultId));
	const key = new Uint8Array(Buffer.from(text, 'base64'));
	if (key.length !== slotSecretLength) {
		key.fill(0);
		throw new IntegrityError(`the keychain item ${keychainService}:${deviceAccount(vaultId)} is not a hush device key: run hush unlock --remember again`);
	}

	return key;
}

/** Deletes the device key from the keychain; false when there was none. */
export async function forgetDevice(vaultId: string): Promise<boolean> {
	return deleteKeychainPassword(keychainService, deviceAccount(vaultId));
}
