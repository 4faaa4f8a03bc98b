import {hkdfSync} from 'node:crypto';
import {userInfo} from 'node:os';
import type {DatabaseSync} from 'node:sqlite';
import {type AuditAction, type AuditVerification, appendAudit, verifyAudit} from './audit.js';
import {HushError, IntegrityError, VaultLockedError} from '../errors.js';
import {type VaultKeys, deriveVaultKeys} from './keys.js';
import type {ActorContext} from './options.js';
import {PageCatalog} from './pages.js';
import type {StalePage} from './pages-pending.js';
import {type RecordRow, RecordCodec} from './records.js';
import {currentKeyGeneration} from './record-store.js';
import {identityName} from './identity-store.js';
import {teamKeyGeneration} from './key-generation.js';
import {type TeamKeyring, TeamKeyringCache, currentTeamGeneration} from './team-keyring.js';
import {type BucketMacs, carriesBuckets, carriesDigest, sealFromSum, sealPending} from './rollback.js';
import {makeBuckets} from './rollback-migration.js';
import {verifyEveryBucket} from './rollback-full.js';
import {prepared} from './statements.js';
import {addCommitHook, asStorageError, inTransaction} from './storage.js';

/**
 * @internal What every part of an unlocked vault shares: the open file, the root key and the keys
 * derived from it, the record codec, who is acting, and the guarded read and write transactions.
 * It never leaves source/vault: {@link Vault} is the public face, {@link VaultSyncStore} sync's.
 */
export class VaultCore {
	readonly keys: VaultKeys;
	readonly codec: RecordCodec;
	/** The sealed metadata pages, re-sealed at the end of every write transaction (pages.ts). */
	readonly pages: PageCatalog;
	readonly command: string;
	readonly #context: ActorContext;
	#actor: string | undefined;
	readonly #rootKey: Uint8Array;
	readonly #pageKeys = new Map<number, Uint8Array>();
	readonly #removeCommitHook: () => void;
	readonly #teamKeys = new TeamKeyringCache(this);
	#closed = false;
	/** The file's state (another connection's commits, this one's changes) when every bucket last checked out. */
	#verifiedState: {state: string; records: number} | undefined;

	constructor(
		readonly path: string,
		readonly id: string,
		readonly db: DatabaseSync,
		rootKey: Uint8Array,
		context: ActorContext,
	) {
		this.#rootKey = rootKey;
		this.keys = deriveVaultKeys(rootKey, id);
		this.codec = new RecordCodec(id, this.keys, () => this.teamKeyring());
		this.pages = new PageCatalog({
			db,
			vaultId: id,
			pageKey: generation => this.#pageKey(generation),
			openLiveMeta: row => this.codec.openLiveMeta(row as RecordRow),
			warn: message => process.stderr.write(`hush: warning: ${message}\n`),
			digest: this.codec.digest,
		});
		this.#removeCommitHook = addCommitHook(db, {
			beforeCommit: () => {
				this.codec.digest.flush();
				this.pages.flush();
			},
			afterEnd: () => {
				this.codec.digest.discard();
				this.pages.discard();
			},
			// The digest rebuilds each bucket it touched from the rows as they are (rollback.ts) and
			// forgets what rolled-back writes expected the rows to hold; a page entry is re-sealed from
			// a write's metadata only while that write's row is still what it wrote (pages.ts).
			snapshot: () => this.codec.digest.snapshot(),
		});
		this.#context = context;
		this.command = context.command ?? 'sdk';
	}

	/**
	 * Who is acting, for the audit log and `createdBy`/`updatedBy`: the caller's own word (an MCP
	 * agent, a remote identity), else in a team this vault's identity (the name the membership log
	 * gives it, not the OS user), else the OS user. Read on first use: a `get` never opens the identity.
	 */
	get actor(): string {
		this.#actor ??= this.#context.actor ?? (this.teamKeyring() ? identityName(this) : undefined) ?? defaultActor();
		return this.#actor;
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

	#pageKey(generation: number): Uint8Array {
		let key = this.#pageKeys.get(generation);
		if (!key) {
			key = this.deriveKey(`metadata-page/${generation}`);
			this.#pageKeys.set(generation, key);
		}

		return key;
	}

	/** The generation new personal ciphertexts are sealed under; read inside the write's transaction. */
	keyGeneration(): number {
		return currentKeyGeneration(this.db);
	}

	/**
	 * Where a write seals: a private secret always in this vault's own space; a public one under the
	 * team's newest generation this device holds, or in its own space while it holds none (no team,
	 * or a new member not yet approved: sync moves it into the team once the keys arrive).
	 */
	sealingGeneration(isPrivate: boolean): number {
		const team = isPrivate ? 0 : currentTeamGeneration(this.#teamKeys.fresh());
		return team > 0 ? teamKeyGeneration(team) : this.keyGeneration();
	}

	teamKeyring(): TeamKeyring | undefined {
		return this.#teamKeys.get();
	}

	/** Stores the team keys this device holds (team/my-keys.ts). Run inside a write transaction. */
	setTeamKeyring(keyring: TeamKeyring): void {
		this.#teamKeys.set(keyring);
	}

	audit(action: AuditAction, recordId: string | null, at = this.now()): void {
		appendAudit(this.db, this.keys.auditKey, {at, actor: this.actor, action, recordId, command: this.command}, carriesDigest(this.db) ? 'current' : 'legacy');
	}

	now(): string {
		return new Date().toISOString();
	}

	/**
	 * The rollback check run at every unlock, before anything is read: the bucket MACs against
	 * their seal (rollback.ts), no record read. Each record's bucket is checked where it is used
	 * ({@link verifyRecordBucket}). A file new, or migrated from format 2 or 4, gets its buckets
	 * here, logged in the audit log, and from then on the seal must be there.
	 */
	checkRollback(): void {
		this.guard(() => {
			if (!carriesBuckets(this.db)) {
				return;
			}

			// One read transaction: the seal and the MACs from one committed state, whoever writes meanwhile.
			const seal = this.codec.digest.readSeal(this.db);
			if (seal !== sealPending && seal !== sealFromSum) {
				this.inReadTransaction(() => this.codec.digest.verifiedMacs(this.db));
				return;
			}

			this.write(() => {
				makeBuckets(this.db, this.id, this.keys, this.codec.digest);
			});
		});
	}

	/**
	 * Every bucket against its MAC, for `hush audit --verify`, sync and a lookup that found nothing;
	 * returns how many rows it covered. Outside a transaction, a check is not repeated while the file
	 * is as it was at the last one (no commit by any connection since), so a long-running process
	 * (the TUI, an MCP agent asking for names that do not exist) pays O(n) once per change, not per miss.
	 */
	verifyRollback(): {records: number} {
		return this.guard(() => {
			if (!carriesBuckets(this.db)) {
				return {records: 0};
			}

			if (this.db.isTransaction) {
				return verifyEveryBucket(this.codec.digest, this.db);
			}

			// Read before the check: a commit landing during it moves the state, so the next call checks again.
			const state = this.#fileState();
			if (this.#verifiedState?.state === state) {
				return {records: this.#verifiedState.records};
			}

			const verified = this.inReadTransaction(() => verifyEveryBucket(this.codec.digest, this.db));
			this.#verifiedState = {state, records: verified.records};
			return verified;
		});
	}

	/** Changes when any connection commits: SQLite's data_version for the others, total_changes for this one. */
	#fileState(): string {
		const {changes, version} = prepared(this.db, 'SELECT total_changes() AS changes, (SELECT data_version FROM pragma_data_version) AS version').get() as {changes: number; version: number};
		return `${version}:${changes}`;
	}

	/** The bucket MACs, checked against their seal: what a page of the current state is sealed with. */
	verifiedBucketMacs(): BucketMacs | undefined {
		return carriesBuckets(this.db) ? this.inReadTransaction(() => this.codec.digest.verifiedMacs(this.db)) : undefined;
	}


	/** Runs `work` in one read transaction (the rows, the MACs and the seal from one committed state), or in the one open. */
	inReadTransaction<T>(work: () => T): T {
		if (this.db.isTransaction) {
			return work();
		}

		this.db.exec('BEGIN');
		try {
			return work();
		} finally {
			this.db.exec('COMMIT');
		}
	}

	/** Checks the audit log's chain and head (a 'current' head once the vault has its digest). */
	verifyAudit(): AuditVerification {
		return this.guard(() => verifyAudit(this.db, this.keys.auditKey, carriesDigest(this.db) ? 'current' : 'legacy'));
	}

	/**
	 * Runs `work` as one write transaction (see {@link inTransaction}); the rollback digest and the
	 * metadata pages its record writes moved are sealed last, once each, in the same transaction.
	 */
	write<T>(work: () => T): T {
		return this.guard(() => inTransaction(this.db, work));
	}

	/** Re-seals pages a reader found out of date, from what it read of them. Best effort: a listing never fails for want of it. */
	repairPages(pages: readonly StalePage[]): void {
		if (pages.length === 0) {
			return;
		}

		try {
			this.write(() => {
				this.pages.noteStale(pages);
			});
		} catch {
			// Read-only file, or another writer holding the lock past the timeout: rebuilt next time.
		}
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

		this.wipeKeys();
		this.db.close();
	}

	/** Wipes every key held in memory and refuses further use, leaving the file to its owner. */
	wipeKeys(): void {
		this.#closed = true;
		this.#removeCommitHook();
		this.keys.wipe();
		for (const key of this.#pageKeys.values()) {
			key.fill(0);
		}

		this.#pageKeys.clear();
		this.#teamKeys.wipe();
		this.#rootKey.fill(0);
	}
}

function defaultActor(): string {
	try {
		return userInfo().username;
	} catch {
		return process.env['USER'] ?? 'unknown';
	}
}
