import type {AuditAction} from './audit.js';
import {InvalidInputError} from '../errors.js';
import type {DeriveFunction, KdfParams} from './kdf.js';
import {type SecretMetadataInput, type SecretSummary, type SecretType, type SecretValues, assertPrintableText} from './model.js';
import type {Migration} from './storage.js';

/** The options and result types of the vault API ({@link Vault}, {@link LockedVault}). */

export const minPassphraseLength = 8;

/** Who is acting and through which command: recorded in the audit log and as `createdBy`. */
export type ActorContext = {
	actor?: string;
	command?: string;
};

export type LookupOptions = {
	/** Pick a visibility explicitly; by default a name resolves private first, then public. */
	private?: boolean;
};

export type CreateSecretOptions = SecretMetadataInput & {
	private?: boolean;
	/**
	 * An AI agent is creating it (`hush mcp`). The secret is marked as agent-made for good, and the
	 * name must be free in both spaces: private-first lookup would otherwise let an agent's private
	 * secret shadow a public one of the same name in `hush get`, `run` and `inject`.
	 */
	createdByAgent?: boolean;
};

export type SecretChanges = SecretMetadataInput & {
	/** Keys to add or replace. */
	values?: SecretValues;
	/** Keys to drop. */
	remove?: string[];
	/** Move the secret to the private (true) or public (false) namespace. */
	private?: boolean;
};

export type ListFilter = {
	type?: SecretType;
	integration?: string;
	private?: boolean;
	sort?: 'name' | 'updated' | 'used';
};

/** A secret and its values as plain strings, from {@link Vault.getSecret}. */
export type Secret = SecretSummary & {
	values: Readonly<Record<string, string>>;
	/** Keys whose values the caller's team role does not open (absent when every value opened). */
	unavailable?: string[];
	get(key: string): string;
};

export type RevealOptions = LookupOptions & {
	/** What the read is for, as recorded in the audit log. */
	action?: Extract<AuditAction, 'read' | 'inject' | 'export'>;
	/** Runtime use (run, inject, the SDK) may read write-only values; display never may. */
	allowWriteOnly?: boolean;
	/** Keys the caller needs: checked before anything is decrypted, so a typo logs no read. */
	requireKeys?: readonly string[];
};

export type InitVaultOptions = ActorContext & {
	home?: string;
	passphrase: string;
	kdf?: Partial<Omit<KdfParams, 'algorithm'>>;
	derive?: DeriveFunction;
	/** @internal Tests make older-format files with this. */
	schemaVersion?: number;
};

export type OpenLockedOptions = {
	home?: string;
	/** For tests of the migration path. */
	migrations?: readonly Migration[];
	schemaVersion?: number;
};

export type UnlockOptions = ActorContext & {derive?: DeriveFunction};

export function assertPassphraseStrength(passphrase: string): void {
	if ([...passphrase].length < minPassphraseLength) {
		throw new InvalidInputError(`passphrase too short: use at least ${minPassphraseLength} characters`);
	}
}

/** The actor and command end up in the audit log and as `createdBy`, which hush prints. */
export function assertPrintableActor(context: ActorContext): void {
	for (const field of ['actor', 'command'] as const) {
		const text = context[field];
		if (text !== undefined) {
			assertPrintableText(field, text);
		}
	}
}
