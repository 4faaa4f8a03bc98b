import {createHash, randomBytes} from 'node:crypto';
import {ed25519} from '@noble/curves/ed25519.js';
import {ml_kem768_x25519 as xwing} from '@noble/post-quantum/hybrid.js';
import {encodeFields} from '../vault/encoding.js';
import {InvalidInputError} from '../errors.js';

/**
 * A person's team identity: an Ed25519 key pair that signs membership changes, and an X-Wing
 * (ML-KEM-768 + X25519) key pair that team keys are wrapped to. The public halves travel in the
 * membership log; the private halves stay sealed in the owner's vault (vault/identity-store.ts).
 *
 * This module loads the curve and lattice code, which costs tens of milliseconds on a cold start:
 * it is imported only by the commands that need an identity, never on the `hush get` path.
 */

export const signingKeyLength = 32;
export const kemPublicKeyLength = xwing.lengths.publicKey!;
export const kemSecretKeyLength = xwing.lengths.secretKey!;

/** What a teammate sees of someone: their name and public keys. */
export type PublicIdentity = {name: string; signingKey: Uint8Array; kemKey: Uint8Array};

/** The owner's own identity, private halves included. */
export type Identity = PublicIdentity & {signingSecret: Uint8Array; kemSecret: Uint8Array; createdAt: string};

/** A person's name as teams show it: 1–64 characters, no spaces or control characters. */
const namePattern = /^[A-Za-z0-9][A-Za-z0-9._@-]{0,63}$/;

export function assertValidUserName(name: string): void {
	if (!namePattern.test(name)) {
		throw new InvalidInputError('a user name is 1–64 characters: letters, digits and . _ @ -, starting with a letter or digit');
	}
}

/** The OS user name if it is a valid user name, else `user`. */
export function defaultUserName(osUser: string): string {
	return namePattern.test(osUser) ? osUser : 'user';
}

export function generateIdentity(name: string, now = new Date()): Identity {
	assertValidUserName(name);
	const signingSecret = new Uint8Array(randomBytes(signingKeyLength));
	const kem = xwing.keygen(new Uint8Array(randomBytes(kemSecretKeyLength)));
	return {
		name,
		signingKey: ed25519.getPublicKey(signingSecret),
		kemKey: kem.publicKey,
		signingSecret,
		kemSecret: kem.secretKey,
		createdAt: now.toISOString(),
	};
}

/** The public view of an identity (a copy: wiping the identity leaves it intact). */
export function publicPart(identity: PublicIdentity): PublicIdentity {
	return {name: identity.name, signingKey: new Uint8Array(identity.signingKey), kemKey: new Uint8Array(identity.kemKey)};
}

export function wipeIdentity(identity: Identity): void {
	identity.signingSecret.fill(0);
	identity.kemSecret.fill(0);
}

/**
 * The fingerprint: SHA-256 over a domain label and the length-prefixed pair of public keys (the
 * name is left out: it is a label, and renaming does not change who someone is). 32 bytes; the log
 * and invite codes carry it in hex, people compare {@link fingerprintDigits}.
 */
export function fingerprint(keys: {signingKey: Uint8Array; kemKey: Uint8Array}): Uint8Array {
	assertPublicKeys(keys);
	const digest = createHash('sha256').update('hush/v1/identity-fingerprint\0').update(encodeFields([keys.signingKey, keys.kemKey])).digest();
	return new Uint8Array(digest.buffer, digest.byteOffset, digest.length);
}

export function fingerprintHex(keys: {signingKey: Uint8Array; kemKey: Uint8Array}): string {
	return Buffer.from(fingerprint(keys)).toString('hex');
}

/**
 * The fingerprint as people compare it: 8 groups of 5 digits (40 digits). Each group is one
 * 4-byte slice of the SHA-256 taken mod 100000 (a bias under 1 in 40,000). The 40 digits keep about
 * 132 bits, so making another key pair that shows the same digits needs ~2^132 tries; Signal shows
 * 30 digits per person for the same purpose.
 */
export function fingerprintDigits(fingerprintBytes: Uint8Array): string {
	if (fingerprintBytes.length !== 32) {
		throw new InvalidInputError('a fingerprint is 32 bytes');
	}

	const view = new DataView(fingerprintBytes.buffer, fingerprintBytes.byteOffset, 32);
	const groups: string[] = [];
	for (let offset = 0; offset < 32; offset += 4) {
		groups.push(String(view.getUint32(offset) % 100_000).padStart(5, '0'));
	}

	return groups.join(' ');
}

export function assertPublicKeys(keys: {signingKey: Uint8Array; kemKey: Uint8Array}): void {
	if (keys.signingKey.length !== signingKeyLength || keys.kemKey.length !== kemPublicKeyLength) {
		throw new InvalidInputError(`public keys must be ${signingKeyLength} bytes (Ed25519) and ${kemPublicKeyLength} bytes (X-Wing)`);
	}
}

export function sign(identity: Identity, message: Uint8Array): Uint8Array {
	return ed25519.sign(message, identity.signingSecret);
}

/**
 * False for a bad signature and for a malformed key or signature alike. Strict RFC 8032 decoding
 * (not ZIP-215): one message and key have one valid signature encoding, so nobody can re-encode a
 * signature to give a log entry another hash.
 */
export function verifySignature(signature: Uint8Array, message: Uint8Array, signingKey: Uint8Array): boolean {
	try {
		return ed25519.verify(signature, message, signingKey, {zip215: false});
	} catch {
		return false;
	}
}

/**
 * Whether `kemKey` is a usable X-Wing public key (its ML-KEM half within the modulus). Checked by
 * encapsulating once, so it costs one encapsulation: an admin's client checks before it signs a
 * new member into the log, so nobody is added whom keys can never be wrapped to.
 */
export function isUsableKemKey(kemKey: Uint8Array): boolean {
	try {
		xwing.encapsulate(kemKey).sharedSecret.fill(0);
		return true;
	} catch {
		return false;
	}
}

export const kem = {
	encapsulate: (publicKey: Uint8Array) => xwing.encapsulate(publicKey),
	decapsulate: (cipherText: Uint8Array, secretKey: Uint8Array) => xwing.decapsulate(cipherText, secretKey),
	cipherTextLength: xwing.lengths.cipherText!,
};
