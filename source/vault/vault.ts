/**
 * The vault's public face: {@link Vault} (unlocked.ts), {@link LockedVault} (locked.ts), the option
 * types (options.ts). Unlocking through session, keychain or passphrase is source/unlock's.
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
export type {SummaryChunk, SummaryPages} from './summary-pages.js';
