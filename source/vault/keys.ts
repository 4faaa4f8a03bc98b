import {type KeyObject, createHmac, createSecretKey, hkdfSync} from 'node:crypto';

/**
 * Every key hush uses is derived from one secret with HKDF-SHA256 and a distinct label, so a key
 * for one purpose can never be mistaken for another's.
 */

function hkdf(secret: Uint8Array, salt: string, label: string): Uint8Array {
	return new Uint8Array(hkdfSync('sha256', secret, Buffer.from(salt, 'utf8'), Buffer.from(label, 'utf8'), 32));
}

/** Key-encryption key for a keyslot, from the argon2id output (or a device/session secret). */
export function deriveKeyslotKek(secret: Uint8Array, vaultId: string, kind: string): Uint8Array {
	return hkdf(secret, vaultId, `hush/v1/keyslot-kek/${kind}`);
}

/** The vault's working keys, all from the root key. */
export type VaultKeys = {
	recordKey(generation: number): Uint8Array;
	nameMac(isPrivate: boolean, name: string): Uint8Array;
	auditKey: Uint8Array;
	/** The rollback digest's keys (rollback.ts): one for each record's element, one to seal the sum. */
	rollback: {elementKey: Uint8Array; sealKey: Uint8Array};
	/** Overwrites every derived key held in memory. */
	wipe(): void;
};

export function deriveVaultKeys(rootKey: Uint8Array, vaultId: string): VaultKeys {
	const recordKeys = new Map<number, Uint8Array>();
	const nameKey = hkdf(rootKey, vaultId, 'hush/v1/name-mac');
	// Imported at the second name: a bulk write (a clone, an import) MACs thousands of names, and
	// importing the raw key for each cost several times the HMAC; a `get` MACs one or two, and the
	// first import of a key object costs more than both. Dropped by wipe().
	let nameKeyObject: KeyObject | undefined;
	let namesMacked = 0;
	const auditKey = hkdf(rootKey, vaultId, 'hush/v1/audit');
	const rollback = {elementKey: hkdf(rootKey, vaultId, 'hush/v1/rollback-element'), sealKey: hkdf(rootKey, vaultId, 'hush/v1/rollback-seal')};
	return {
		recordKey(generation) {
			let key = recordKeys.get(generation);
			if (!key) {
				key = hkdf(rootKey, vaultId, `hush/v1/record-key/${generation}`);
				recordKeys.set(generation, key);
			}

			return key;
		},
		nameMac(isPrivate, name) {
			// The visibility is part of the MAC input: a private and a public secret may share a name.
			if (++namesMacked === 3) {
				nameKeyObject = createSecretKey(nameKey);
			}

			const mac = createHmac('sha256', nameKeyObject ?? nameKey).update(isPrivate ? 'private\0' : 'public\0').update(name, 'utf8').digest();
			return new Uint8Array(mac.buffer, mac.byteOffset, mac.length);
		},
		auditKey,
		rollback,
		wipe() {
			for (const key of recordKeys.values()) {
				key.fill(0);
			}

			recordKeys.clear();
			nameKey.fill(0);
			nameKeyObject = undefined;
			auditKey.fill(0);
			rollback.elementKey.fill(0);
			rollback.sealKey.fill(0);
		},
	};
}
