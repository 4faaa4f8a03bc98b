/**
 * hush's TypeScript SDK: the same vault the `hush` command uses.
 *
 * ```ts
 * import {openVault} from 'hushvault';
 * const vault = await openVault(); // HUSH_SESSION, the OS keychain or HUSH_PASSPHRASE, as the CLI
 * const key = vault.getSecret('openai-creds').get('OPENAI_API_KEY');
 * ```
 */
export {LockedVault, Vault, minPassphraseLength} from './vault/vault.js';
export {type OpenVaultOptions, openVault} from './unlock/open-vault.js';
export type {
	ActorContext,
	CreateSecretOptions,
	InitVaultOptions,
	ListFilter,
	LookupOptions,
	RevealOptions,
	Secret,
	SecretChanges,
	UnlockOptions,
} from './vault/vault.js';
export {RevealedSecret} from './vault/secret.js';
export type {SecretMetadataInput, SecretSummary, SecretType, SecretValues} from './vault/model.js';
export {secretTypes} from './vault/model.js';
export type {AuditAction, AuditEntry, AuditVerification} from './vault/audit.js';
export type {KdfParams} from './vault/kdf.js';
export {defaultKdfParams, kdfCeiling, kdfFloor} from './vault/kdf.js';
export {
	ExitCode,
	HushError,
	IntegrityError,
	InvalidInputError,
	KdfParametersError,
	KeyNotFoundError,
	SecretExistsError,
	SecretNotFoundError,
	UnsupportedFormatError,
	VaultExistsError,
	VaultLockedError,
	VaultNotFoundError,
	WriteOnlyError,
	WrongPassphraseError,
} from './errors.js';
