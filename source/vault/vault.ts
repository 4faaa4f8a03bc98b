import {hkdfSync, randomBytes, randomUUID} from 'node:crypto';
import {closeSync, linkSync, openSync, fsyncSync, rmSync} from 'node:fs';
import {userInfo} from 'node:os';
import {dirname, join} from 'node:path';
import type {DatabaseSync} from 'node:sqlite';
import {type AuditAction, type AuditEntry, type AuditVerification, appendAudit, lastUseByRecord, lastUseOfRecord, readAudit, verifyAudit} from './audit.js';
import {
	HushError,
	IntegrityError,
	InvalidInputError,
	KeyNotFoundError,
	SecretExistsError,
	SecretNotFoundError,
	VaultExistsError,
	VaultLockedError,
	WriteOnlyError,
} from '../errors.js';
import {type DeriveFunction, type KdfParams, assertKdfParamsAllowed, defaultKdfParams, deriveArgon2id} from './kdf.js';
import {type VaultKeys, deriveVaultKeys} from './keys.js';
import {
	SessionError,
	deleteExpiredSessions,
	deviceKind,
	deviceSlot,
	encodeSessionToken,
	nextSessionSlot,
	parseSessionToken,
	passphraseSlot,
	readKeyslot,
	sessionKind,
	slotSecretLength,
	unwrapWithPassphrase,
	unwrapWithSecret,
	wrapWithPassphrase,
	wrapWithRandomSecret,
	writeKeyslot,
} from './keyslots.js';
import {
	type SecretMetadataInput,
	type SecretSummary,
	type SecretType,
	type SecretValues,
	assertValidMetadata,
	assertValidName,
	assertValidValues,
} from './model.js';
import {type RecordRow, RecordCodec, type SealedMeta, type ValueBuffers, liveRecords} from './records.js';
import {RevealedSecret} from './secret.js';
import {ensurePrivateDirectory} from '../home.js';
import {resolveHome, vaultPath} from './paths.js';
import {type Migration, asStorageError, createStorage, inTransaction, openStorage, readHeader} from './storage.js';

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

export type CreateSecretOptions = SecretMetadataInput & {private?: boolean};

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

/** @internal See {@link Vault.syncAccess}. */
export type SyncAccess = {
	db: DatabaseSync;
	codec: RecordCodec;
	nameMac(isPrivate: boolean, name: string): Uint8Array;
	/** HKDF-SHA256 from the root key, salt = vault id, info = `hush/v1/${label}`. */
	deriveKey(label: string): Uint8Array;
	write<T>(work: () => T): T;
	read<T>(work: () => T): T;
	audit(action: AuditAction, recordId: string | null): void;
	keyGeneration(): number;
};

function defaultActor(): string {
	try {
		return userInfo().username;
	} catch {
		return process.env['USER'] ?? 'unknown';
	}
}

export function assertPassphraseStrength(passphrase: string): void {
	if ([...passphrase].length < minPassphraseLength) {
		throw new InvalidInputError(`passphrase too short: use at least ${minPassphraseLength} characters`);
	}
}

/**
 * A vault file opened but not unlocked: enough to know it exists and which vault it is, and to
 * remove unlock slots, without touching any key.
 */
export class LockedVault {
	private constructor(
		readonly path: string,
		readonly id: string,
		private readonly db: DatabaseSync,
	) {}

	static open(options: OpenLockedOptions = {}): LockedVault {
		const path = vaultPath(resolveHome(options.home));
		const db = openStorage(path, {migrations: options.migrations, currentVersion: options.schemaVersion});
		const vaultId = readHeader(db).get('vault_id');
		if (!vaultId) {
			db.close();
			throw new HushError(`the vault at ${path} has no id: it is damaged`);
		}

		return new LockedVault(path, vaultId, db);
	}

	async unlockWithPassphrase(passphrase: string, options: UnlockOptions = {}): Promise<Vault> {
		const rootKey = await unwrapWithPassphrase(this.id, readKeyslot(this.db, passphraseSlot), passphrase, options.derive ?? deriveArgon2id);
		return this.unlockWithRootKey(rootKey, options);
	}

	/** Whether the file has that key slot (e.g. {@link deviceSlot}: a remembered device). */
	hasKeyslot(slot: number): boolean {
		return readKeyslot(this.db, slot) !== undefined;
	}

	/** Unlocks with the device key kept in the OS keychain (key slot 2). */
	unlockWithDeviceKey(deviceKey: Uint8Array, context: ActorContext = {}): Vault {
		const row = readKeyslot(this.db, deviceSlot);
		if (row?.kind !== deviceKind) {
			throw new VaultLockedError('this vault has no remembered device: run hush unlock --remember');
		}

		try {
			return this.unlockWithRootKey(unwrapWithSecret(this.id, row, deviceKey), context);
		} catch (error) {
			if (error instanceof IntegrityError) {
				throw new IntegrityError('the device key in the OS keychain does not open this vault (or its key slot was altered): run hush unlock --remember again');
			}

			throw error;
		}
	}

	/**
	 * Unlocks with a session token from `hush unlock`. The token names its slot and carries the
	 * secret that unwraps it; the slot's expiry is authenticated (it is in the slot's AAD), so it is
	 * checked only after the slot has opened.
	 */
	unlockWithSession(token: string, context: ActorContext & {now?: Date} = {}): Vault {
		const parsed = parseSessionToken(token);
		if (!parsed) {
			throw new SessionError('HUSH_SESSION is not a hush session token: run hush unlock for a new one, or unset HUSH_SESSION');
		}

		const row = readKeyslot(this.db, parsed.slot);
		if (row?.kind !== sessionKind) {
			parsed.secret.fill(0);
			throw new SessionError('HUSH_SESSION has ended (hush lock) or belongs to another vault: run hush unlock again, or unset HUSH_SESSION');
		}

		let rootKey: Uint8Array;
		try {
			rootKey = unwrapWithSecret(this.id, row, parsed.secret);
		} catch (error) {
			throw error instanceof IntegrityError ? new SessionError('HUSH_SESSION does not open this vault (a wrong token, or the session was altered): run hush unlock again, or unset HUSH_SESSION') : error;
		} finally {
			parsed.secret.fill(0);
		}

		const now = context.now ?? new Date();
		if (row.expires_at === null || !(Date.parse(row.expires_at) > now.getTime())) {
			rootKey.fill(0);
			throw new SessionError(`HUSH_SESSION expired at ${row.expires_at ?? 'an unknown time'}: run hush unlock again, or unset HUSH_SESSION`);
		}

		return this.unlockWithRootKey(rootKey, context);
	}

	/** @internal For unlock paths that have already unwrapped the root key (init, other key slots). */
	unlockWithRootKey(rootKey: Uint8Array, context: ActorContext = {}): Vault {
		return new Vault(this.path, this.id, this.db, rootKey, context);
	}

	/** Drops every unlock slot but the passphrase: after this, only the passphrase opens the vault. */
	removeConvenienceKeyslots(): number {
		return Number(this.db.prepare('DELETE FROM keyslots WHERE slot != ?').run(passphraseSlot).changes);
	}

	close(): void {
		this.db.close();
	}
}

/**
 * The unlocked vault: the one domain API the CLI, the TUI and the SDK all use. Every mutation is one
 * write transaction that re-reads what it changes, so parallel processes never lose an update.
 * Listing decrypts metadata only; values are decrypted on explicit reads.
 */
export class Vault {
	readonly #db: DatabaseSync;
	readonly #rootKey: Uint8Array;
	readonly #keys: VaultKeys;
	readonly #codec: RecordCodec;
	readonly #actor: string;
	readonly #command: string;
	#closed = false;

	/** @internal Use {@link Vault.init}, {@link openVault} or {@link LockedVault}. */
	constructor(
		readonly path: string,
		readonly id: string,
		db: DatabaseSync,
		rootKey: Uint8Array,
		context: ActorContext,
	) {
		this.#db = db;
		this.#rootKey = rootKey;
		this.#keys = deriveVaultKeys(rootKey, id);
		this.#codec = new RecordCodec(id, this.#keys);
		this.#actor = context.actor ?? defaultActor();
		this.#command = context.command ?? 'sdk';
	}

	/** Creates a new vault under `home` and returns it unlocked. */
	static async init(options: InitVaultOptions): Promise<Vault> {
		assertPassphraseStrength(options.passphrase);
		const params: KdfParams = {...defaultKdfParams, ...options.kdf, algorithm: 'argon2id'};
		assertKdfParamsAllowed(params);
		const home = resolveHome(options.home);
		ensurePrivateDirectory(home);
		const path = vaultPath(home);
		const vaultId = randomUUID();
		const rootKey = new Uint8Array(randomBytes(32));
		const slot = await wrapWithPassphrase(vaultId, rootKey, options.passphrase, params, options.derive ?? deriveArgon2id);

		// Build the file beside its final name, then link it into place: link fails if a vault
		// appeared meanwhile, and a crash never leaves a half-made vault under the real name.
		const staging = join(dirname(path), `.vault-${randomUUID()}.db`);
		try {
			const db = createStorage(staging, {vault_id: vaultId, created_at: new Date().toISOString(), key_generation: '1'}, db => {
				writeKeyslot(db, slot);
			}, options.schemaVersion);
			db.close();
			fsyncFile(staging);
			try {
				linkSync(staging, path);
			} catch (error) {
				if ((error as NodeJS.ErrnoException).code === 'EEXIST') {
					throw new VaultExistsError(`a vault already exists at ${path}`);
				}

				throw error;
			}
		} finally {
			for (const suffix of ['', '-wal', '-shm']) {
				rmSync(staging + suffix, {force: true});
			}
		}

		return LockedVault.open({home, schemaVersion: options.schemaVersion}).unlockWithRootKey(rootKey, options);
	}

	// ---- reading ------------------------------------------------------------------------------

	listSecrets(filter: ListFilter = {}): SecretSummary[] {
		return this.#guard(() => {
			const rows = this.#db
				.prepare(`SELECT id, revision, key_generation, meta_nonce, meta_ciphertext FROM records WHERE ${liveRecords}`)
				.all() as RecordRow[];
			const lastUse = lastUseByRecord(this.#db);
			const summaries: SecretSummary[] = [];
			for (const row of rows) {
				const summary = toSummary(row.id, this.#codec.openLiveMeta(row), lastUse.get(row.id) ?? null);
				if (
					(filter.type === undefined || summary.type === filter.type) &&
					(filter.integration === undefined || summary.integration === filter.integration) &&
					(filter.private === undefined || summary.private === filter.private)
				) {
					summaries.push(summary);
				}
			}

			return summaries.sort(comparators[filter.sort ?? 'name']);
		});
	}

	/** Metadata and key names of one secret; no values are decrypted. */
	describeSecret(reference: string, options: LookupOptions = {}): SecretSummary {
		return this.#guard(() => {
			const {row, meta} = this.#resolve(reference, options);
			return toSummary(row.id, meta, lastUseOfRecord(this.#db, row.id));
		});
	}

	/**
	 * Decrypts a secret's values, records the read in the audit log and returns them as strings.
	 * Write-only secrets are readable here, because the SDK is runtime use; display paths pass
	 * `allowWriteOnly: false`.
	 */
	getSecret(reference: string, options: RevealOptions = {}): Secret {
		const revealed = this.revealSecret(reference, options);
		try {
			const values = Object.freeze(revealed.values);
			return {
				...revealed.summary,
				values,
				get(key: string) {
					const value = values[key];
					if (value === undefined) {
						throw new KeyNotFoundError(`secret ${revealed.name} has no key ${key} (keys: ${Object.keys(values).join(', ')})`);
					}

					return value;
				},
			};
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
		return this.#write(() => {
			const {row, meta} = this.#resolve(reference, options);
			if (meta.writeOnly && options.allowWriteOnly === false) {
				throw new WriteOnlyError(`secret ${meta.name} is write-only: its values can be used by 'hush run' and 'hush inject' but never shown`);
			}

			const missing = options.requireKeys?.find(key => !meta.keys.includes(key));
			if (missing !== undefined) {
				throw new KeyNotFoundError(`secret ${meta.name} has no key ${missing} (keys: ${meta.keys.join(', ')})`);
			}

			const values = this.#codec.openValues(row);
			const at = this.#now();
			this.#audit(options.action ?? 'read', row.id, at);
			return new RevealedSecret(toSummary(row.id, meta, at), values);
		});
	}

	// ---- writing ------------------------------------------------------------------------------

	createSecret(name: string, values: SecretValues, options: CreateSecretOptions = {}): SecretSummary {
		return this.createSecrets([{name, values, options}])[0]!;
	}

	/** Creates many secrets in one transaction: all are stored, or none (e.g. one name is taken). */
	createSecrets(entries: ReadonlyArray<{name: string; values: SecretValues; options?: CreateSecretOptions}>): SecretSummary[] {
		for (const {name, values, options = {}} of entries) {
			assertValidName(name);
			assertValidValues(values);
			assertValidMetadata(options);
			if (Object.keys(values).length === 0) {
				throw new InvalidInputError(`secret ${name} needs at least one value`);
			}
		}

		return this.#write(() => entries.map(({name, values, options = {}}) => this.#insert(name, values, options)));
	}

	/**
	 * Upsert: if `name` resolves (private first, or in the namespace `options.private` picks),
	 * update the given keys and metadata and leave its visibility alone; otherwise create it.
	 */
	setSecret(name: string, values: SecretValues, options: CreateSecretOptions = {}): {secret: SecretSummary; created: boolean} {
		assertValidName(name);
		assertValidValues(values);
		assertValidMetadata(options);
		return this.#write(() => {
			const found = this.#find(name, options);
			if (found) {
				const {private: _visibility, ...metadata} = options;
				return {secret: this.#applyChanges(found.row, found.meta, {...metadata, values}), created: false};
			}

			if (Object.keys(values).length === 0) {
				throw new InvalidInputError(`secret ${name} does not exist yet and needs at least one value`);
			}

			return {secret: this.#insert(name, values, options), created: true};
		});
	}

	updateSecret(reference: string, changes: SecretChanges, options: LookupOptions = {}): SecretSummary {
		assertValidValues(changes.values ?? {});
		assertValidMetadata(changes);
		return this.#write(() => {
			const {row, meta} = this.#resolve(reference, options);
			return this.#applyChanges(row, meta, changes);
		});
	}

	renameSecret(reference: string, newName: string, options: LookupOptions = {}): SecretSummary {
		assertValidName(newName);
		return this.#write(() => {
			const {row, meta} = this.#resolve(reference, options);
			if (meta.name === newName) {
				throw new InvalidInputError(`secret ${meta.name} already has that name`);
			}

			const nameMac = this.#keys.nameMac(meta.private, newName);
			this.#assertNameFree(nameMac, newName, meta.private, row.id);
			const values = this.#codec.openValues(row);
			try {
				const renamed: SealedMeta = {...meta, name: newName};
				this.#codec.write(this.#db, {id: row.id, nameMac, revision: row.revision + 1, keyGeneration: this.#keyGeneration(), meta: renamed, values});
				this.#audit('rename', row.id);
				return toSummary(row.id, renamed, lastUseOfRecord(this.#db, row.id));
			} finally {
				wipeAll(values);
			}
		});
	}

	/** Deletes a secret. Its row stays as a tombstone (no values, no name MAC) for sync. */
	deleteSecret(reference: string, options: LookupOptions = {}): SecretSummary {
		return this.#write(() => {
			const {row, meta} = this.#resolve(reference, options);
			const summary = toSummary(row.id, meta, lastUseOfRecord(this.#db, row.id));
			const tombstone: SealedMeta = {...meta, deletedAt: this.#now()};
			this.#codec.write(this.#db, {id: row.id, nameMac: null, revision: row.revision + 1, keyGeneration: this.#keyGeneration(), meta: tombstone, values: null});
			this.#audit('delete', row.id);
			return summary;
		});
	}

	/** Rewraps the root key under a new passphrase (key slot 1 only; other slots stay valid). */
	async changePassphrase(newPassphrase: string, options: {kdf?: Partial<Omit<KdfParams, 'algorithm'>>; derive?: DeriveFunction} = {}): Promise<void> {
		assertPassphraseStrength(newPassphrase);
		const params: KdfParams = {...defaultKdfParams, ...options.kdf, algorithm: 'argon2id'};
		const slot = await wrapWithPassphrase(this.id, this.#rootKey, newPassphrase, params, options.derive ?? deriveArgon2id);
		this.#write(() => {
			writeKeyslot(this.#db, slot);
			this.#audit('passwd', null);
		});
	}

	/**
	 * Key slot 2: `deviceKey` (256 random bits, kept by the caller in the OS keychain) wraps the root
	 * key, replacing any earlier device slot. The passphrase slot is untouched.
	 */
	rememberDevice(deviceKey: Uint8Array): void {
		if (deviceKey.length !== slotSecretLength) {
			throw new InvalidInputError(`a device key must be ${slotSecretLength} bytes`);
		}

		const slot = wrapWithRandomSecret(this.id, this.#rootKey, deviceSlot, deviceKind, deviceKey, null);
		this.#write(() => {
			writeKeyslot(this.#db, slot);
			this.#audit('remember', null);
		});
	}

	/**
	 * A new session key slot that opens the vault until `expiresAt`, and the token that opens it.
	 * Only the wrapped root key and the (authenticated) expiry are stored; the token is returned
	 * once and never written anywhere. Expired sessions are removed on the way.
	 */
	createSession(options: {expiresAt: Date; now?: Date}): {token: string; expiresAt: string; slot: number} {
		const now = options.now ?? new Date();
		if (!(options.expiresAt.getTime() > now.getTime())) {
			throw new InvalidInputError('a session must end in the future');
		}

		const secret = new Uint8Array(randomBytes(slotSecretLength));
		try {
			const expiresAt = options.expiresAt.toISOString();
			return this.#write(() => {
				deleteExpiredSessions(this.#db, now);
				const slot = nextSessionSlot(this.#db);
				writeKeyslot(this.#db, wrapWithRandomSecret(this.id, this.#rootKey, slot, sessionKind, secret, expiresAt));
				this.#audit('session', null);
				return {token: encodeSessionToken(slot, secret), expiresAt, slot};
			});
		} finally {
			secret.fill(0);
		}
	}

	// ---- audit --------------------------------------------------------------------------------

	auditLog(filter: {reference?: string; since?: string} = {}): AuditEntry[] {
		return this.#guard(() => {
			const recordId = filter.reference === undefined ? undefined : this.#resolveIncludingDeleted(filter.reference);
			return readAudit(this.#db, {recordId, since: filter.since});
		});
	}

	verifyAuditLog(): AuditVerification {
		return this.#guard(() => verifyAudit(this.#db, this.#keys.auditKey));
	}

	/** Wipes every key held in memory and closes the file. */
	close(): void {
		if (this.#closed) {
			return;
		}

		this.#closed = true;
		this.#keys.wipe();
		this.#rootKey.fill(0);
		this.#db.close();
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
	syncStates(): Map<string, 'synced' | 'pending' | 'conflict'> {
		return this.#guard(() => {
			const rows = this.#db
				.prepare(
					`SELECT r.id, r.revision, (r.name_mac IS NULL AND r.values_ciphertext IS NOT NULL) AS clash, s.base_rev,
					 EXISTS (SELECT 1 FROM sync_conflicts c WHERE c.record_id = r.id) AS conflict
					 FROM records r LEFT JOIN sync_records s ON s.record_id = r.id`,
				)
				.all() as Array<{id: string; revision: number; clash: number; base_rev: number | null; conflict: number}>;
			return new Map(rows.map(row => [row.id, row.conflict || row.clash ? 'conflict' : row.base_rev === row.revision ? 'synced' : 'pending'] as const));
		});
	}

	/**
	 * @internal The sync engine's handle (source/sync): the database, the record codec, name MACs,
	 * a key derived for sync settings, and the vault's write transaction and audit. Sync writes
	 * rows itself because it must keep a remote ciphertext exactly as sealed (at its revision).
	 */
	syncAccess(): SyncAccess {
		if (this.#closed) {
			throw new VaultLockedError('the vault has been closed');
		}

		return {
			db: this.#db,
			codec: this.#codec,
			nameMac: (isPrivate, name) => this.#keys.nameMac(isPrivate, name),
			deriveKey: label => new Uint8Array(hkdfSync('sha256', this.#rootKey, Buffer.from(this.id, 'utf8'), Buffer.from(`hush/v1/${label}`, 'utf8'), 32)),
			write: work => this.#write(work),
			read: work => this.#guard(work),
			audit: (action, recordId) => this.#audit(action, recordId),
			keyGeneration: () => this.#keyGeneration(),
		};
	}

	// ---- internals ----------------------------------------------------------------------------

	#insert(name: string, values: SecretValues, options: CreateSecretOptions): SecretSummary {
		const isPrivate = options.private ?? false;
		const nameMac = this.#keys.nameMac(isPrivate, name);
		this.#assertNameFree(nameMac, name, isPrivate, null);
		const now = this.#now();
		const meta: SealedMeta = {
			name,
			private: isPrivate,
			type: options.type ?? 'generic',
			description: options.description ?? '',
			integration: options.integration ?? '',
			writeOnly: options.writeOnly ?? false,
			keys: Object.keys(values),
			createdAt: now,
			createdBy: this.#actor,
			updatedAt: now,
			expiresAt: options.expiresAt ?? null,
		};
		const id = randomUUID();
		const buffers = toBuffers(values);
		try {
			this.#codec.write(this.#db, {id, nameMac, revision: 1, keyGeneration: this.#keyGeneration(), meta, values: buffers});
		} finally {
			wipeAll(buffers);
		}

		this.#audit('create', id, now);
		return toSummary(id, meta, null);
	}

	#applyChanges(row: RecordRow, meta: SealedMeta, changes: SecretChanges): SecretSummary {
		const given = changes.values ?? {};
		const remove = changes.remove ?? [];
		for (const key of remove) {
			if (key in given) {
				throw new InvalidInputError(`key ${key} is both set and removed`);
			}

			if (!meta.keys.includes(key)) {
				throw new KeyNotFoundError(`secret ${meta.name} has no key ${key} to remove (keys: ${meta.keys.join(', ')})`);
			}
		}

		if (meta.writeOnly && changes.writeOnly === false) {
			throw new InvalidInputError(`secret ${meta.name} is write-only, and that cannot be undone: create a new secret instead`);
		}

		const metadataChanged = (['type', 'description', 'integration', 'writeOnly', 'expiresAt'] as const).some(
			field => changes[field] !== undefined && changes[field] !== meta[field],
		);
		const visibilityChanged = changes.private !== undefined && changes.private !== meta.private;
		if (Object.keys(given).length === 0 && remove.length === 0 && !metadataChanged && !visibilityChanged) {
			throw new InvalidInputError(`nothing to change in secret ${meta.name}: give values, --remove, or metadata flags`);
		}

		const values = this.#codec.openValues(row);
		try {
			let valuesChanged = remove.length > 0;
			for (const key of remove) {
				values.get(key)?.fill(0);
				values.delete(key);
			}

			for (const [key, value] of Object.entries(given)) {
				const next = Buffer.from(value, 'utf8');
				const previous = values.get(key);
				if (previous?.equals(next)) {
					next.fill(0);
					continue;
				}

				previous?.fill(0);
				values.set(key, next);
				valuesChanged = true;
			}

			if (values.size === 0) {
				throw new InvalidInputError(`removing every key would leave secret ${meta.name} empty: delete it instead`);
			}

			const isPrivate = changes.private ?? meta.private;
			const nameMac = this.#keys.nameMac(isPrivate, meta.name);
			if (visibilityChanged) {
				this.#assertNameFree(nameMac, meta.name, isPrivate, row.id);
			}

			const updated: SealedMeta = {
				...meta,
				private: isPrivate,
				type: changes.type ?? meta.type,
				description: changes.description ?? meta.description,
				integration: changes.integration ?? meta.integration,
				writeOnly: changes.writeOnly ?? meta.writeOnly,
				expiresAt: changes.expiresAt === undefined ? meta.expiresAt : changes.expiresAt,
				keys: [...values.keys()],
				updatedAt: valuesChanged ? this.#now() : meta.updatedAt,
			};
			this.#codec.write(this.#db, {id: row.id, nameMac, revision: row.revision + 1, keyGeneration: this.#keyGeneration(), meta: updated, values});
			this.#audit('update', row.id);
			return toSummary(row.id, updated, lastUseOfRecord(this.#db, row.id));
		} finally {
			wipeAll(values);
		}
	}

	#find(reference: string, options: LookupOptions): {row: RecordRow; meta: SealedMeta} | undefined {
		const namespaces = options.private === undefined ? [true, false] : [options.private];
		for (const isPrivate of namespaces) {
			const row = this.#db.prepare(`SELECT * FROM records WHERE name_mac = ? AND ${liveRecords}`).get(this.#keys.nameMac(isPrivate, reference)) as RecordRow | undefined;
			if (row) {
				const meta = this.#codec.openLiveMeta(row);
				// The MAC column is an index, not proof: the sealed name and visibility must agree.
				if (meta.name !== reference || meta.private !== isPrivate) {
					throw new IntegrityError(`secret ${row.id} is filed under another name: the vault file was altered`);
				}

				return {row, meta};
			}
		}

		const byId = this.#db.prepare(`SELECT * FROM records WHERE id = ? AND ${liveRecords}`).get(reference) as RecordRow | undefined;
		if (byId) {
			const meta = this.#codec.openLiveMeta(byId);
			if (options.private === undefined || meta.private === options.private) {
				return {row: byId, meta};
			}
		}

		return undefined;
	}

	#resolve(reference: string, options: LookupOptions): {row: RecordRow; meta: SealedMeta} {
		const found = this.#find(reference, options);
		if (!found) {
			const where = options.private === undefined ? '' : options.private ? ' among private secrets' : ' among public secrets';
			throw new SecretNotFoundError(`no secret named ${JSON.stringify(reference)}${where}: see 'hush list'`);
		}

		return found;
	}

	#resolveIncludingDeleted(reference: string): string {
		const found = this.#find(reference, {});
		if (found) {
			return found.row.id;
		}

		const row = this.#db.prepare('SELECT id FROM records WHERE id = ?').get(reference) as {id: string} | undefined;
		if (!row) {
			throw new SecretNotFoundError(`no secret named ${JSON.stringify(reference)}: see 'hush list'`);
		}

		return row.id;
	}

	#assertNameFree(nameMac: Uint8Array, name: string, isPrivate: boolean, exceptId: string | null): void {
		const clash = this.#db.prepare('SELECT id FROM records WHERE name_mac = ?').get(nameMac) as {id: string} | undefined;
		if (clash && clash.id !== exceptId) {
			throw new SecretExistsError(`a ${isPrivate ? 'private' : 'public'} secret named ${name} already exists`);
		}
	}

	/** The generation new ciphertexts are sealed under; read inside the write's transaction. */
	#keyGeneration(): number {
		const row = this.#db.prepare("SELECT value FROM header WHERE key = 'key_generation'").get() as {value: string} | undefined;
		return Number(row?.value ?? '1');
	}

	#audit(action: AuditAction, recordId: string | null, at = this.#now()): void {
		appendAudit(this.#db, this.#keys.auditKey, {at, actor: this.#actor, action, recordId, command: this.#command});
	}

	#now(): string {
		return new Date().toISOString();
	}

	#write<T>(work: () => T): T {
		return this.#guard(() => inTransaction(this.#db, work));
	}

	#guard<T>(work: () => T): T {
		if (this.#closed) {
			throw new VaultLockedError('the vault has been closed');
		}

		try {
			return work();
		} catch (error) {
			throw error instanceof HushError ? error : asStorageError(error, this.path);
		}
	}
}

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

const comparators: Record<NonNullable<ListFilter['sort']>, (a: SecretSummary, b: SecretSummary) => number> = {
	name: (a, b) => compareText(a.name, b.name) || Number(b.private) - Number(a.private),
	updated: (a, b) => compareText(b.updatedAt, a.updatedAt) || compareText(a.name, b.name),
	used: (a, b) => compareText(b.lastUsedAt ?? '', a.lastUsedAt ?? '') || compareText(a.name, b.name),
};

function compareText(a: string, b: string): number {
	return a < b ? -1 : a > b ? 1 : 0;
}

function toSummary(id: string, meta: SealedMeta, lastUsedAt: string | null): SecretSummary {
	return {
		id,
		name: meta.name,
		private: meta.private,
		type: meta.type,
		description: meta.description,
		integration: meta.integration,
		writeOnly: meta.writeOnly,
		keys: [...meta.keys],
		createdAt: meta.createdAt,
		createdBy: meta.createdBy,
		updatedAt: meta.updatedAt,
		lastUsedAt,
		expiresAt: meta.expiresAt,
	};
}

function toBuffers(values: SecretValues): ValueBuffers {
	return new Map(Object.entries(values).map(([key, value]) => [key, Buffer.from(value, 'utf8')]));
}

function wipeAll(values: ValueBuffers): void {
	for (const value of values.values()) {
		value.fill(0);
	}
}

function fsyncFile(path: string): void {
	const fd = openSync(path, 'r');
	try {
		fsyncSync(fd);
	} finally {
		closeSync(fd);
	}
}
