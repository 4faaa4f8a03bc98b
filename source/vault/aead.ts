import {randomBytes} from 'node:crypto';
import {gcmsiv} from '@noble/ciphers/aes.js';
import {IntegrityError} from '../errors.js';

/**
 * AES-256-GCM-SIV (RFC 8452) through @noble/ciphers: the only AEAD hush uses. GCM-SIV is
 * nonce-misuse resistant, so a repeated random nonce leaks only equality of plaintexts instead of
 * the key stream. hush still draws a fresh 96-bit nonce for every write.
 */

export const keyLength = 32;
export const nonceLength = 12;
export const tagLength = 16;

export type Sealed = {nonce: Uint8Array; ciphertext: Uint8Array};

export function seal(key: Uint8Array, plaintext: Uint8Array, aad: Uint8Array): Sealed {
	const nonce = new Uint8Array(randomBytes(nonceLength));
	return {nonce, ciphertext: sealWithNonce(key, nonce, plaintext, aad)};
}

/** Deterministic form, for test vectors. Production code calls {@link seal}. */
export function sealWithNonce(key: Uint8Array, nonce: Uint8Array, plaintext: Uint8Array, aad: Uint8Array): Uint8Array {
	checkSizes(key, nonce);
	return gcmsiv(key, nonce, aad).encrypt(plaintext);
}

/** Returns the plaintext, or throws {@link IntegrityError} if anything was altered. */
export function open(key: Uint8Array, nonce: Uint8Array, ciphertext: Uint8Array, aad: Uint8Array): Uint8Array {
	checkSizes(key, nonce);
	if (ciphertext.length < tagLength) {
		throw new IntegrityError('ciphertext is truncated');
	}

	try {
		return gcmsiv(key, nonce, aad).decrypt(ciphertext);
	} catch {
		throw new IntegrityError('ciphertext failed authentication');
	}
}

function checkSizes(key: Uint8Array, nonce: Uint8Array): void {
	if (key.length !== keyLength) {
		throw new IntegrityError(`AES-256-GCM-SIV needs a ${keyLength}-byte key, got ${key.length}`);
	}

	if (nonce.length !== nonceLength) {
		throw new IntegrityError(`AES-256-GCM-SIV needs a ${nonceLength}-byte nonce, got ${nonce.length}`);
	}
}
