import {randomUUID} from 'node:crypto';
import {closeSync, fsyncSync, linkSync, openSync, rmSync} from 'node:fs';
import {dirname, join} from 'node:path';
import type {DatabaseSync} from 'node:sqlite';
import {HushError, VaultExistsError} from '../errors.js';
import {ensurePrivateDirectory} from '../home.js';
import {type KeyslotRow, writeKeyslot} from './keyslots.js';
import {resolveHome, vaultPath} from './paths.js';
import {type OpenStorageOptions, createStorage, openStorage, readHeader} from './storage.js';

/** The vault file as a whole: making a new one safely, and opening an existing one. */

export type NewVaultHeader = {vaultId: string; createdAt: string; keyGeneration: number};

/**
 * A new vault file built beside its final name (`.vault-<uuid>.db`), holding its header and
 * passphrase key slot. {@link StagedVaultFile.commit} hard-links it into place: the link fails if
 * a vault appeared meanwhile, and a crash never leaves a half-made vault under the real name.
 * Always {@link StagedVaultFile.discard} it afterwards (the staging name goes; a committed vault stays).
 */
export class StagedVaultFile {
	readonly #staging: string;

	private constructor(
		readonly path: string,
		staging: string,
	) {
		this.#staging = staging;
	}

	/** Creates the staged file under `home` (made private if new) for the vault `header` names. */
	static create(home: string, header: NewVaultHeader, keyslot: KeyslotRow, schemaVersion?: number): StagedVaultFile {
		ensurePrivateDirectory(home);
		const path = vaultPath(home);
		const staged = new StagedVaultFile(path, join(dirname(path), `.vault-${randomUUID()}.db`));
		try {
			const db = createStorage(
				staged.#staging,
				{vault_id: header.vaultId, created_at: header.createdAt, key_generation: String(header.keyGeneration)},
				db => {
					writeKeyslot(db, keyslot);
				},
				schemaVersion,
			);
			db.close();
		} catch (error) {
			staged.discard();
			throw error;
		}

		return staged;
	}

	/** Flushes the staged file and links it under the vault's name; `existsHint` extends the error when one is there. */
	commit(existsHint = ''): void {
		fsyncFile(this.#staging);
		try {
			linkSync(this.#staging, this.path);
		} catch (error) {
			if ((error as NodeJS.ErrnoException).code === 'EEXIST') {
				throw new VaultExistsError(`a vault already exists at ${this.path}${existsHint}`);
			}

			throw error;
		}
	}

	/** Removes the staging name (and any SQLite side files). */
	discard(): void {
		removeDatabaseFiles(this.#staging);
	}
}

/** Removes a database file and its SQLite side files (`-wal`, `-shm`), if there. */
export function removeDatabaseFiles(path: string): void {
	for (const suffix of ['', '-wal', '-shm']) {
		rmSync(path + suffix, {force: true});
	}
}

export type OpenedVaultFile = {path: string; id: string; db: DatabaseSync};

/** Opens (and migrates) the vault file under `home` or HUSH_HOME, and reads which vault it is. */
export function openVaultFile(options: {home?: string} & OpenStorageOptions): OpenedVaultFile {
	const path = vaultPath(resolveHome(options.home));
	const db = openStorage(path, {migrations: options.migrations, currentVersion: options.currentVersion});
	const id = readHeader(db).get('vault_id');
	if (!id) {
		db.close();
		throw new HushError(`the vault at ${path} has no id: it is damaged`);
	}

	return {path, id, db};
}

function fsyncFile(path: string): void {
	const fd = openSync(path, 'r');
	try {
		fsyncSync(fd);
	} finally {
		closeSync(fd);
	}
}
