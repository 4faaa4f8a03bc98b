import {VaultLockedError} from '../errors.js';
import {LockedVault} from './locked.js';
import type {OpenLockedOptions, UnlockOptions} from './options.js';
import type {Vault} from './unlocked.js';

/**
 * The vault's public face: {@link Vault} (unlocked.ts), {@link LockedVault} (locked.ts), the option
 * types (options.ts) and {@link openVault}, the SDK's one-call open.
 */

export {LockedVault} from './locked.js';
export {Vault} from './unlocked.js';
export {assertPassphraseStrength, minPassphraseLength} from './options.js';
export type {
	ActorContext,
	CreateSecretOptions,
	InitVaultOptions,
	ListFilter,
	LookupOptions,
	OpenLockedOptions,
	RevealOptions,
	Secret,
	SecretChanges,
	UnlockOptions,
} from './options.js';
export type {SyncState, SyncStore} from './sync-store.js';

/**
 * Opens and unlocks the vault under `home` (or `HUSH_HOME`): with `options.passphrase` if given,
 * else a session token (`options.session`, then `HUSH_SESSION`), else `HUSH_PASSPHRASE`; with none,
 * {@link VaultLockedError}. (The OS keychain is the CLI's and the TUI's: the SDK does not load it.)
 */
export async function openVault(options: OpenLockedOptions & UnlockOptions & {passphrase?: string; session?: string} = {}): Promise<Vault> {
	// An explicit passphrase wins; otherwise a session (from `hush unlock`) comes before HUSH_PASSPHRASE, as in the CLI.
	const session = options.session ?? (options.passphrase === undefined ? process.env['HUSH_SESSION'] || undefined : undefined);
	const passphrase = options.passphrase ?? process.env['HUSH_PASSPHRASE'];
	const locked = LockedVault.open(options);
	if (session !== undefined) {
		try {
			return locked.unlockWithSession(session, options);
		} catch (error) {
			locked.close();
			throw error;
		}
	}

	if (passphrase === undefined) {
		locked.close();
		throw new VaultLockedError('the vault is locked: pass a passphrase or set HUSH_PASSPHRASE');
	}

	try {
		return await locked.unlockWithPassphrase(passphrase, options);
	} catch (error) {
		locked.close();
		throw error;
	}
}
