import {randomBytes} from 'node:crypto';
import {InvalidInputError} from '../errors.js';
import type {VaultCore} from './core.js';
import {type DeriveFunction, type KdfParams, defaultKdfParams, deriveArgon2id} from './kdf.js';
import {
	deleteExpiredSessions,
	deleteKeyslotsExcept,
	passphraseSlot,
	readKeyslot,
	deviceKind,
	deviceSlot,
	encodeSessionToken,
	nextSessionSlot,
	sessionKind,
	slotSecretLength,
	wrapWithPassphrase,
	wrapWithRandomSecret,
	writeKeyslot,
} from './keyslots.js';
import {assertPassphraseStrength} from './options.js';

/**
 * Changes to the unlock slots of an unlocked vault: the passphrase (slot 1), a remembered device
 * (slot 2) and sessions (slots 3 and up). Each wraps the same root key; see keyslots.ts.
 */

export type ChangePassphraseOptions = {kdf?: Partial<Omit<KdfParams, 'algorithm'>>; derive?: DeriveFunction};

/** What a passphrase change ended besides the old passphrase. */
export type PassphraseChange = {endedSessions: number; forgotDevice: boolean};

/**
 * Rewraps slot 1 under the new passphrase and, in the same transaction, drops every other slot:
 * sessions and a remembered device end when the passphrase changes (as at `hush lock`), so a
 * token or keychain item taken while the old passphrase was known opens nothing afterwards.
 */
export async function changePassphrase(core: VaultCore, newPassphrase: string, options: ChangePassphraseOptions): Promise<PassphraseChange> {
	assertPassphraseStrength(newPassphrase);
	const params: KdfParams = {...defaultKdfParams, ...options.kdf, algorithm: 'argon2id'};
	const slot = await wrapWithPassphrase(core.id, core.rootKey, newPassphrase, params, options.derive ?? deriveArgon2id);
	return core.write(() => {
		const forgotDevice = readKeyslot(core.db, deviceSlot) !== undefined;
		writeKeyslot(core.db, slot);
		const removed = deleteKeyslotsExcept(core.db, passphraseSlot);
		core.audit('passwd', null);
		return {endedSessions: removed - (forgotDevice ? 1 : 0), forgotDevice};
	});
}

export function rememberDevice(core: VaultCore, deviceKey: Uint8Array): void {
	if (deviceKey.length !== slotSecretLength) {
		throw new InvalidInputError(`a device key must be ${slotSecretLength} bytes`);
	}

	const slot = wrapWithRandomSecret(core.id, core.rootKey, deviceSlot, deviceKind, deviceKey, null);
	core.write(() => {
		writeKeyslot(core.db, slot);
		core.audit('remember', null);
	});
}

export type SessionGrant = {token: string; expiresAt: string; slot: number};

export function createSession(core: VaultCore, options: {expiresAt: Date; now?: Date}): SessionGrant {
	const now = options.now ?? new Date();
	if (!(options.expiresAt.getTime() > now.getTime())) {
		throw new InvalidInputError('a session must end in the future');
	}

	const secret = new Uint8Array(randomBytes(slotSecretLength));
	try {
		const expiresAt = options.expiresAt.toISOString();
		return core.write(() => {
			deleteExpiredSessions(core.db, now);
			const slot = nextSessionSlot(core.db);
			writeKeyslot(core.db, wrapWithRandomSecret(core.id, core.rootKey, slot, sessionKind, secret, expiresAt));
			core.audit('session', null);
			return {token: encodeSessionToken(slot, secret), expiresAt, slot};
		});
	} finally {
		secret.fill(0);
	}
}
