import {randomBytes, randomUUID} from 'node:crypto';
import type {DatabaseSync} from 'node:sqlite';
import {StagedVaultFile, openVaultFile} from './file.js';
import {type KdfParams, assertKdfParamsAllowed, defaultKdfParams, deriveArgon2id} from './kdf.js';
import {wrapWithPassphrase} from './keyslots.js';
import {type InitVaultOptions, assertPassphraseStrength} from './options.js';
import {resolveHome} from './paths.js';

/**
 * Makes a new vault file under `options.home`: a random vault id and root key, key slot 1 wrapping
 * it under the passphrase (argon2id, parameters checked against the floors first), staged beside
 * its final name and linked into place. Returns the opened file and the root key for the caller to
 * unlock with (and wipe).
 */
export async function createVaultFile(options: InitVaultOptions): Promise<{path: string; id: string; db: DatabaseSync; rootKey: Uint8Array}> {
	assertPassphraseStrength(options.passphrase);
	const params: KdfParams = {...defaultKdfParams, ...options.kdf, algorithm: 'argon2id'};
	assertKdfParamsAllowed(params);
	const home = resolveHome(options.home);
	const vaultId = randomUUID();
	const rootKey = new Uint8Array(randomBytes(32));
	const slot = await wrapWithPassphrase(vaultId, rootKey, options.passphrase, params, options.derive ?? deriveArgon2id);
	const staged = StagedVaultFile.create(home, {vaultId, createdAt: new Date().toISOString(), keyGeneration: 1}, slot, options.schemaVersion);
	try {
		staged.commit();
	} finally {
		staged.discard();
	}

	const file = openVaultFile({home, currentVersion: options.schemaVersion});
	return {...file, rootKey};
}
