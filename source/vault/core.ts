import {hkdfSync} from 'node:crypto';
import {userInfo} from 'node:os';
import type {DatabaseSync} from 'node:sqlite';
import {type AuditAction, appendAudit} from './audit.js';
import {HushError, VaultLockedError} from '../errors.js';
import {type VaultKeys, deriveVaultKeys} from './keys.js';
import type {ActorContext} from './options.js';
import {RecordCodec} from './records.js';
import {currentKeyGeneration} from './record-store.js';
import {asStorageError, inTransaction} from './storage.js';

/**
 * @internal What every part of an unlocked vault shares: the open file, the root key and the keys
 * derived from it, the record codec, who is acting, and the guarded read and write transactions.
 * It never leaves source/vault: {@link Vault} is the public face, {@link VaultSyncStore} sync's.
 */
export class VaultCore {
	readonly keys: VaultKeys;
	readonly codec: RecordCodec;
	readonly actor: string;
	readonly command: string;
	readonly #rootKey: Uint8Array;
	#closed = false;

	constructor(
		readonly path: string,
		readonly id: string,
		readonly db: DatabaseSync,
		rootKey: Uint8Array,
		context: ActorContext,
	) {
		this.#rootKey = rootKey;
		this.keys = deriveVaultKeys(rootKey, id);
		this.codec = new RecordCodec(id, this.keys);
		this.actor = context.actor ?? defaultActor();
		this.command = context.command ?? 'sdk';
	}

	/** The root key itself, for re-wrapping it into a key slot. */
	get rootKey(): Uint8Array {
		this.assertOpen();
		return this.#rootKey;
	}

	/** HKDF-SHA256 from the root key, salt = vault id, info = `hush/v1/${label}`. */
	deriveKey(label: string): Uint8Array {
		this.assertOpen();
		return new Uint8Array(hkdfSync('sha256', this.#rootKey, Buffer.from(this.id, 'utf8'), Buffer.from(`hush/v1/${label}`, 'utf8'), 32));
	}

	/** The generation new ciphertexts are sealed under; read inside the write's transaction. */
	keyGeneration(): number {
		return currentKeyGeneration(this.db);
	}

	audit(action: AuditAction, recordId: string | null, at = this.now()): void {
		appendAudit(this.db, this.keys.auditKey, {at, actor: this.actor, action, recordId, command: this.command});
	}

	now(): string {
		return new Date().toISOString();
	}

	/** Runs `work` as one write transaction (see {@link inTransaction}). */
	write<T>(work: () => T): T {
		return this.guard(() => inTransaction(this.db, work));
	}

	/** Runs `work` on the open vault; storage errors become one clear line. */
	guard<T>(work: () => T): T {
		this.assertOpen();
		try {
			return work();
		} catch (error) {
			throw error instanceof HushError ? error : asStorageError(error, this.path);
		}
	}

	assertOpen(): void {
		if (this.#closed) {
			throw new VaultLockedError('the vault has been closed');
		}
	}

	/** Wipes every key held in memory and closes the file. */
	close(): void {
		if (this.#closed) {
			return;
		}

		this.#closed = true;
		this.keys.wipe();
		this.#rootKey.fill(0);
		this.db.close();
	}
}

function defaultActor(): string {
	try {
		return userInfo().username;
	} catch {
		return process.env['USER'] ?? 'unknown';
	}
}
