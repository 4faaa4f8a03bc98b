import type {DatabaseSync} from 'node:sqlite';
import {type AuditEntry, type AuditVerification, lastUseByRecord, lastUseOfRecord, readAudit} from './audit.js';
import {KeyNotFoundError} from '../errors.js';
import {VaultCore} from './core.js';
import {resolveIncludingDeleted, resolveSecret} from './lookup.js';
import {type SecretSummary, type SecretValues, assertValidMetadata, assertValidName, assertValidValues} from './model.js';
import {
	type ActorContext,
	type CreateSecretOptions,
	type InitVaultOptions,
	type ListFilter,
	type LookupOptions,
	type RevealOptions,
	type Secret,
	type SecretChanges,
	assertPrintableActor,
} from './options.js';
import {type RevealedSecret, plainSecret, unavailableSecret} from './secret.js';
import {revealRecord, revealRecords, summaryIfValuesUnavailable} from './reveal.js';
import {createVaultFile} from './create-vault.js';
import {type LoadedIdentity, teamIdentity} from './identity-store.js';
import {type NewSecret, applyChanges, assertNewSecrets, deleteRecord, insertSecrets, renameRecord, upsertSecret} from './secret-writes.js';
import {valueLengths} from './value-lengths.js';
import {comparators, listedMetas, matchesFilter, toSummary} from './summary.js';
import {SummaryPages} from './summary-pages.js';
import {type SyncState, type SyncStore, VaultSyncStore} from './sync-store.js';
import {type ChangePassphraseOptions, type PassphraseChange, type SessionGrant, changePassphrase, createSession, rememberDevice} from './unlock-slots.js';

/**
 * The unlocked vault: the one domain API the CLI, the TUI and the SDK all use. Every mutation is one
 * write transaction that re-reads what it changes, so parallel processes never lose an update.
 * Listing decrypts metadata only; values are decrypted on explicit reads.
 */
export class Vault {
	readonly #core: VaultCore;

	/** @internal Use {@link Vault.init}, source/unlock's openVault or {@link LockedVault}. */
	constructor(
		readonly path: string,
		readonly id: string,
		db: DatabaseSync,
		rootKey: Uint8Array,
		context: ActorContext,
	) {
		const core = new VaultCore(path, id, db, rootKey, context);
		try {
			assertPrintableActor(context);
			core.checkRollback();
		} catch (error) {
			// The file stays with whoever opened it (a LockedVault, Vault.init); the keys go now.
			core.wipeKeys();
			throw error;
		}

		this.#core = core;
	}

	/** Creates a new vault under `home` and returns it unlocked. */
	static async init(options: InitVaultOptions): Promise<Vault> {
		assertPrintableActor(options);
		const file = await createVaultFile(options);
		try {
			return new Vault(file.path, file.id, file.db, file.rootKey, options);
		} catch (error) {
			file.db.close();
			throw error;
		}
	}

	// ---- reading ------------------------------------------------------------------------------

	listSecrets(filter: ListFilter = {}): SecretSummary[] {
		const core = this.#core;
		return core.guard(() => {
			const lastUse = lastUseByRecord(core.db);
			const summaries = listedMetas(core, (id, meta) => toSummary(id, meta, lastUse.get(id) ?? null));
			return summaries.filter(summary => matchesFilter(summary, filter)).sort(comparators[filter.sort ?? 'name']);
		});
	}

	/** The summaries of {@link listSecrets}, a metadata page at a time and unsorted, for a reader that shows the first before the rest are open (summary-pages.ts). */
	readSecretsByPage(): SummaryPages {
		return this.#core.guard(() => new SummaryPages(this.#core));
	}

	/** Metadata and key names of one secret; no values are decrypted. */
	describeSecret(reference: string, options: LookupOptions = {}): SecretSummary {
		return this.#core.guard(() => {
			const {row, meta} = resolveSecret(this.#core, reference, options);
			return toSummary(row.id, meta, lastUseOfRecord(this.#core.db, row.id));
		});
	}

	/**
	 * Decrypts a secret's values, records the read in the audit log and returns them as strings.
	 * Write-only secrets are readable here, because the SDK is runtime use; display paths pass
	 * `allowWriteOnly: false`. A team secret whose values the caller's role does not open (a `list`
	 * member) comes back with its metadata, no values, and its keys listed as `unavailable`.
	 */
	getSecret(reference: string, options: RevealOptions = {}): Secret {
		const metadataOnly = this.#core.guard(() => summaryIfValuesUnavailable(this.#core, reference, options));
		if (metadataOnly) {
			return unavailableSecret(metadataOnly);
		}

		const revealed = this.revealSecret(reference, options);
		try {
			return plainSecret(revealed);
		} finally {
			revealed.wipe();
		}
	}

	/** Hands a secret's values to `use`, then zeroes the decrypted buffers, whatever `use` does. */
	async withSecret<T>(reference: string, use: (secret: RevealedSecret) => Promise<T> | T, options: RevealOptions = {}): Promise<T> {
		const revealed = this.revealSecret(reference, options);
		try {
			return await use(revealed);
		} finally {
			revealed.wipe();
		}
	}

	/** The primitive under every read of values. The caller must {@link RevealedSecret.wipe} it. */
	revealSecret(reference: string, options: RevealOptions = {}): RevealedSecret {
		return this.#core.write(() => revealRecord(this.#core, reference, options));
	}

	/** Many secrets in one transaction, one audit entry each (export --all). The caller wipes each. */
	revealSecrets(references: readonly string[], options: RevealOptions = {}): RevealedSecret[] {
		return this.#core.write(() => revealRecords(this.#core, references, options));
	}

	// ---- writing ------------------------------------------------------------------------------

	createSecret(name: string, values: SecretValues, options: CreateSecretOptions = {}): SecretSummary {
		return this.createSecrets([{name, values, options}])[0]!;
	}

	/** Creates many secrets in one transaction: all are stored, or none (e.g. one name is taken). */
	createSecrets(entries: readonly NewSecret[], onProgress?: (done: number) => void): SecretSummary[] {
		assertNewSecrets(entries);
		return this.#core.write(() => insertSecrets(this.#core, entries, onProgress));
	}

	/**
	 * show: each value's length in characters. Values are opened only to count them: no read is
	 * logged. `lengths` is undefined when the caller's team role does not open the values.
	 */
	measureSecret(reference: string, options: LookupOptions = {}): {summary: SecretSummary; lengths: Record<string, number> | undefined} {
		const core = this.#core;
		return core.guard(() => {
			const {row, meta} = resolveSecret(core, reference, options);
			const lengths = core.codec.canOpenValues(row) ? valueLengths(core.codec.openValues(row)) : undefined;
			return {summary: toSummary(row.id, meta, lastUseOfRecord(core.db, row.id)), lengths};
		});
	}

	/**
	 * Upsert: if `name` resolves — in the namespace `options.private` picks when a secret is there
	 * (two twins), else private first, then public — update the given keys and metadata and leave
	 * its visibility alone; otherwise create it with `options.private`. A private twin of a public
	 * name is made only by {@link createSecret}, and a secret changes space only through
	 * {@link updateSecret}: an upsert never moves it.
	 */
	setSecret(name: string, values: SecretValues, options: CreateSecretOptions = {}): {secret: SecretSummary; created: boolean} {
		assertValidName(name);
		assertValidValues(values);
		assertValidMetadata(options);
		return this.#core.write(() => upsertSecret(this.#core, name, values, options));
	}

	updateSecret(reference: string, changes: SecretChanges, options: LookupOptions = {}): SecretSummary {
		assertValidValues(changes.values ?? {});
		assertValidMetadata(changes);
		return this.#core.write(() => {
			const {row, meta} = resolveSecret(this.#core, reference, options);
			return applyChanges(this.#core, row, meta, changes);
		});
	}

	/**
	 * Replaces the value of `key`, which must exist, and resets the rotation clock (`updatedAt`).
	 * A value equal to the old one is refused before anything is written: no new revision, no
	 * audit entry. Lookup, check and write are one transaction.
	 */
	rotateValue(reference: string, key: string, value: string, options: LookupOptions = {}): SecretSummary {
		assertValidValues({[key]: value});
		const core = this.#core;
		return core.write(() => {
			const {row, meta} = resolveSecret(core, reference, options);
			if (!meta.keys.includes(key)) {
				throw new KeyNotFoundError(`secret ${meta.name} has no key ${key} to rotate (keys: ${meta.keys.join(', ')}); add it with hush update`);
			}

			return applyChanges(core, row, meta, {values: {[key]: value}}, `the new value of ${key} is the same as the old one: nothing rotated`);
		});
	}

	renameSecret(reference: string, newName: string, options: LookupOptions = {}): SecretSummary {
		assertValidName(newName);
		return this.#core.write(() => {
			const {row, meta} = resolveSecret(this.#core, reference, options);
			return renameRecord(this.#core, row, meta, newName);
		});
	}

	/** Deletes a secret. Its row stays as a tombstone (no values, no name MAC) for sync. */
	deleteSecret(reference: string, options: LookupOptions = {}): SecretSummary {
		return this.#core.write(() => {
			const {row, meta} = resolveSecret(this.#core, reference, options);
			return deleteRecord(this.#core, row, meta);
		});
	}

	// ---- unlock slots -------------------------------------------------------------------------

	/**
	 * Rewraps the root key under a new passphrase (key slot 1) and ends every session and the
	 * remembered device (their slots go; the caller removes the device key from the keychain).
	 */
	async changePassphrase(newPassphrase: string, options: ChangePassphraseOptions = {}): Promise<PassphraseChange> {
		return changePassphrase(this.#core, newPassphrase, options);
	}

	/**
	 * Key slot 2: `deviceKey` (256 random bits, kept by the caller in the OS keychain) wraps the root
	 * key, replacing any earlier device slot. The passphrase slot is untouched.
	 */
	rememberDevice(deviceKey: Uint8Array): void {
		rememberDevice(this.#core, deviceKey);
	}

	/**
	 * A new session key slot that opens the vault until `expiresAt`, and the token that opens it.
	 * Only the wrapped root key and the (authenticated) expiry are stored; the token is returned
	 * once and never written anywhere. Expired sessions are removed on the way.
	 */
	createSession(options: {expiresAt: Date; now?: Date}): SessionGrant {
		return createSession(this.#core, options);
	}

	/** @internal The owner's team identity (identity-store.ts), made when first asked for; holds private keys. */
	async teamIdentity(options: {rename?: string} = {}): Promise<LoadedIdentity> {
		return teamIdentity(this.#core, options);
	}

	// ---- audit --------------------------------------------------------------------------------

	auditLog(filter: {reference?: string; since?: string} = {}): AuditEntry[] {
		return this.#core.guard(() => {
			const recordId = filter.reference === undefined ? undefined : resolveIncludingDeleted(this.#core, filter.reference);
			return readAudit(this.#core.db, {recordId, since: filter.since});
		});
	}

	verifyAuditLog(): AuditVerification {
		return this.#core.verifyAudit();
	}

	/**
	 * Checks every record against the sealed rollback digest (unlock checks only the seal; a read
	 * checks the bucket it reads), for `hush audit --verify` and sync. Throws an IntegrityError on a
	 * mismatch; returns how many rows it covers.
	 */
	verifyRollbackDigest(): {records: number} {
		return this.#core.verifyRollback();
	}

	/** Wipes every key held in memory and closes the file. */
	close(): void {
		this.#core.close();
	}

	// ---- sync ---------------------------------------------------------------------------------

	/**
	 * Each record's sync state by id (tombstones included), for the TUI's sync-state column and
	 * `hush status`. Local bookkeeping only: no network, no decryption.
	 *   synced   — the revision last agreed with the server
	 *   pending  — changed here, or never synced: the next `hush sync` pushes it
	 *   conflict — changed differently on both sides, or its name clashes with another secret
	 *              (`hush conflicts`, `hush resolve`)
	 */
	syncStates(): Map<string, SyncState> {
		const store = this.syncStore();
		return store.read(() => store.syncStates());
	}

	/**
	 * @internal The sync engine's view of the vault (source/sync): named operations on the sync
	 * bookkeeping and the record writes sync needs, inside the vault's transactions and audit.
	 */
	syncStore(): SyncStore {
		return new VaultSyncStore(this.#core);
	}
}
