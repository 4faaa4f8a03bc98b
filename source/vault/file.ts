import {randomUUID} from 'node:crypto';
import {closeSync, existsSync, fsyncSync, linkSync, mkdirSync, openSync, readdirSync, rmSync, statSync} from 'node:fs';
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
	readonly #folder: string | undefined;

	private constructor(
		readonly path: string,
		staging: string,
		folder?: string,
	) {
		this.#staging = staging;
		this.#folder = folder;
	}

	/** Creates the staged file under `home` (made private if new) for the vault `header` names. */
	static create(home: string, header: NewVaultHeader, keyslot: KeyslotRow, schemaVersion?: number): StagedVaultFile {
		ensurePrivateDirectory(home);
		const path = vaultPath(home);
		return StagedVaultFile.#build(new StagedVaultFile(path, join(dirname(path), `.vault-${randomUUID()}.db`)), header, keyslot, schemaVersion);
	}

	/**
	 * Like {@link create}, but in a private folder of its own (`.clone-<pid>-<uuid>/vault.db`, see
	 * {@link stagingHome}), so the staged vault can be unlocked and filled like any vault before it
	 * is committed: `hush clone` pulls everything into it, and only a complete vault gets the real
	 * name. A clone killed mid-way leaves only that folder, which the next clone sweeps away
	 * ({@link sweepAbandonedStaging}).
	 */
	static createInFolder(home: string, header: NewVaultHeader, keyslot: KeyslotRow): StagedVaultFile {
		ensurePrivateDirectory(home);
		// The pid in the name (made in one step) tells a sweep whether its clone is still alive.
		const folder = join(home, `${cloneStagingPrefix}${process.pid}-${randomUUID()}`);
		mkdirSync(folder, {mode: 0o700});
		return StagedVaultFile.#build(new StagedVaultFile(vaultPath(home), vaultPath(folder), folder), header, keyslot);
	}

	static #build(staged: StagedVaultFile, header: NewVaultHeader, keyslot: KeyslotRow, schemaVersion?: number): StagedVaultFile {
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

	/** The folder to open the staged vault from as a home (only for {@link createInFolder}). */
	get stagingHome(): string {
		if (this.#folder === undefined) {
			throw new Error('this staged vault has no folder of its own');
		}

		return this.#folder;
	}

	/** Flushes the staged file and links it under the vault's name; `existsHint` extends the error when one is there. */
	commit(existsHint = ''): void {
		if (existsSync(`${this.#staging}-wal`) && statSync(`${this.#staging}-wal`).size > 0) {
			// Linking the main file alone would leave committed transactions behind in the log.
			throw new HushError(`the staged vault ${this.#staging} is still open (its write-ahead log is not empty): close it before committing`);
		}

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

	/** Removes the staging name (and any SQLite side files, or the whole staging folder). */
	discard(): void {
		if (this.#folder === undefined) {
			removeDatabaseFiles(this.#staging);
		} else {
			rmSync(this.#folder, {recursive: true, force: true});
		}
	}
}

const cloneStagingPrefix = '.clone-';

/**
 * Removes staging folders under `home` left by a clone that was killed: those whose name holds the
 * pid of a process that is gone (a folder still being filled by a live clone stays). Returns how many.
 */
export function sweepAbandonedStaging(home: string): number {
	let swept = 0;
	const names = existsSync(home) ? readdirSync(home) : [];
	for (const name of names.filter(entry => entry.startsWith(cloneStagingPrefix))) {
		const folder = join(home, name);
		const pid = Number(/^\.clone-(\d+)-/.exec(name)?.[1]);
		if (!Number.isInteger(pid) || pid <= 0 || !processAlive(pid)) {
			rmSync(folder, {recursive: true, force: true});
			swept++;
		}
	}

	return swept;
}

function processAlive(pid: number): boolean {
	try {
		process.kill(pid, 0);
		return true;
	} catch (error) {
		// EPERM: alive, but another user's.
		return (error as NodeJS.ErrnoException).code === 'EPERM';
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
