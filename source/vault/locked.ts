import type {DatabaseSync} from 'node:sqlite';
import {IntegrityError, VaultLockedError} from '../errors.js';
import {openVaultFile} from './file.js';
import {deriveArgon2id} from './kdf.js';
import {
	SessionError,
	deleteKeyslotsExcept,
	deviceKind,
	deviceSlot,
	parseSessionToken,
	passphraseSlot,
	readKeyslot,
	sessionKind,
	unwrapWithPassphrase,
	unwrapWithSecret,
} from './keyslots.js';
import type {ActorContext, OpenLockedOptions, UnlockOptions} from './options.js';
import {Vault} from './unlocked.js';

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
		const {path, id, db} = openVaultFile({home: options.home, migrations: options.migrations, currentVersion: options.schemaVersion});
		return new LockedVault(path, id, db);
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
		return deleteKeyslotsExcept(this.db, passphraseSlot);
	}

	close(): void {
		this.db.close();
	}
}
