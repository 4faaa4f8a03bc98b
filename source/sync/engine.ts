import type {RecordRow} from '../vault/records.js';
import type {SyncStore} from '../vault/sync-store.js';
import type {Vault} from '../vault/vault.js';
import type {PushRecord, PushResult, WireRecord} from '../protocol/index.js';
import {type RemoteClient, ServerRollbackError, SyncError} from './client.js';
import {pulledChange} from './pull-report.js';
import {PageFeed, pulledChunks} from './pulled-pages.js';
import {minimumAheadPage} from './open-ahead.js';
import type {SyncReport} from './sync-report.js';
import {isRecordFault, quarantine, quarantined, release} from './quarantine.js';
import {sendInBatches} from './push-batches.js';
import {type Outcome, Reconciler} from './reconcile.js';
import {advanceCursor, pendingToPush} from './pending.js';
import {retriableTeamRecords} from './retry-quarantined.js';
import {headerForRemote} from './wire.js';

/**
 * The sync engine: pull changes since the cursor and merge them, then push pending records with
 * compare-and-swap, merging and retrying (bounded) on 409. How a record from the server is taken,
 * merged or kept as a conflict, and why revisions work as they do: reconcile.ts.
 */

export type {SyncReport} from './sync-report.js';

/** How a sync differs for a vault in a team (team/team-sync.ts); absent for a vault in no team. */
export type SyncTeamHooks = {
	/** The server's vault id: the team's, which is not this vault's own for a member who joined. */
	remoteVaultId: string;
	/** Only the vault's owner uploads its header: a member's would replace the team's on the server. */
	uploadsHeader: boolean;
	/** Runs after the pull, before the push, in a write transaction: re-seals public records into the team's generation; how many. */
	beforePush(): number;
	/** A public record still sealed in this vault's own space is held back until the team keys arrive. */
	holdsBack(row: RecordRow, isPrivate: boolean): boolean;
	/** Runs at the end of a sync that completed, in a write transaction (dropping key generations nothing needs). */
	afterSync(): void;
};

const maxPushRounds = 5;
export class SyncEngine {
	readonly store: SyncStore;
	readonly report: SyncReport = {pulled: 0, pushed: 0, merged: 0, conflicts: 0, refused: [], refusedSecrets: [], newlyQuarantined: 0, quarantined: [], changes: [], waitingForTeamKeys: 0, resealed: 0};
	/** Records whose server copy is quarantined: not pushed again in this sync (it would only meet that copy). */
	readonly #heldBack = new Set<string>();
	readonly #reconciler: Reconciler;
	/** Public records held back for want of a team key (SyncTeamHooks.holdsBack). */
	readonly #waiting = new Set<string>();

	constructor(
		readonly vault: Vault,
		readonly client: RemoteClient,
		readonly team?: SyncTeamHooks,
	) {
		this.store = vault.syncStore();
		this.#reconciler = new Reconciler(this.store);
	}

	get #remoteId(): string {
		return this.team?.remoteVaultId ?? this.vault.id;
	}

	/** One full sync (`feed`: the pull's pages, already being fetched). Throws on a network, permission or rollback failure; local work stays intact. */
	async run(feed?: PageFeed): Promise<SyncReport> {
		if (this.team?.uploadsHeader !== false) {
			await this.uploadHeader();
		}

		await this.pull(feed);
		if (this.team) {
			this.store.write(() => {
				for (const record of retriableTeamRecords(this.store)) {
					this.#apply(record);
				}
			});

			this.report.resealed += this.store.write(() => this.team!.beforePush());
		}

		await this.push();
		this.report.waitingForTeamKeys = this.#waiting.size;
		if (this.team) {
			this.store.write(() => this.team!.afterSync());
		}

		this.store.write(() => this.store.setStatus('last_sync', new Date().toISOString()));
		this.report.conflicts = this.store.read(() => this.store.conflictCount());
		this.report.quarantined = this.store.read(() => quarantined(this.store)).map(({id, rev, reason}) => ({id, rev, reason}));
		return this.report;
	}

	/** Sends the vault header (key slot 1) unless the server already has this very one. */
	async uploadHeader(): Promise<void> {
		const {store} = this;
		const header = store.read(() => headerForRemote(store));
		const fingerprint = JSON.stringify(header);
		if (store.read(() => store.status('header_sent')) === fingerprint) {
			return;
		}

		await this.client.putHeader(this.#remoteId, header);
		store.write(() => store.setStatus('header_sent', fingerprint));
	}

	/**
	 * Every page since the cursor (`feed`: a clone's, already fetching), each asked for and opened
	 * while the one before it is applied (pulled-pages.ts). A clone writes a large page in chunks,
	 * one transaction each, the cursor with the last; between them the event loop takes in the pages
	 * on the wire. Applied again after an interruption, a chunk already written is unchanged (its
	 * revision is the base), so the smaller step changes nothing but the pace.
	 */
	async pull(feed?: PageFeed): Promise<void> {
		const {store} = this;
		let since = Number(store.read(() => store.status('cursor')) ?? '0');
		feed ??= new PageFeed(async from => this.client.pulledPage(this.#remoteId, from), since);
		for await (const {records, page, last} of pulledChunks(store, feed)) {
			if (page.cursor < since) {
				throw new ServerRollbackError(
					`the sync server has gone back in time (its change log ends at ${page.cursor}, but this device has seen up to ${since}): refusing to sync; was it restored from an old backup?`,
				);
			}

			if (page.records.length >= minimumAheadPage) {
				store.widenCache();
			}

			if (!last) {
				store.write(() => this.#applyPage(records));
				await new Promise(resolve => setImmediate(resolve));
				continue;
			}

			store.write(() => {
				this.#applyPage(records);

				for (const {raw, error} of page.malformed) {
					quarantine(store, {raw, rev: null, error});
					this.report.newlyQuarantined++;
				}

				store.setStatus('cursor', String(page.cursor));
				store.healNameClashes();
			});
			this.report.pulled += page.records.length + page.malformed.length;
			since = page.cursor;
		}
	}

	async push(): Promise<void> {
		const {store} = this;
		for (let round = 1; ; round++) {
			const pending = store.read(() => this.pendingRows());
			if (pending.length === 0) {
				return;
			}

			if (round > maxPushRounds) {
				throw new SyncError(`the server kept changing under this sync (${pending.length} secret(s) still pending after ${maxPushRounds} attempts): run hush sync again`);
			}

			let retry = false;
			// A record alone over the server's --max-body is named and left unpushed, like a refused one.
			await sendInBatches(pending, async batch => this.client.push(this.#remoteId, batch.map(({wire}) => wire)), (batch, results) => {
				retry = this.#settlePush(batch, results) || retry;
			}, ({row}) => this.#refuse(row, 'too_large'));

			if (!retry) {
				return;
			}
		}
	}

	/** Applies a push batch's answers (bases, conflicts merged, refusals named); true when a merged conflict must be pushed again. */
	#settlePush(batch: ReadonlyArray<{row: RecordRow; wire: PushRecord}>, results: readonly PushResult[]): boolean {
		const {store} = this;
		let retry = false;
		const byId = new Map(batch.map(entry => [entry.wire.id, entry]));
		store.write(() => {
			advanceCursor(store, results);
			for (const result of results) {
				const sent = byId.get(result.id);
				if (!sent) {
					continue;
				}

				if (result.status === 'ok') {
					store.setBase(sent.row, sent.row.revision);
					this.report.pushed++;
				} else if (result.status === 'conflict') {
					if (result.current === null) {
						throw new ServerRollbackError(`the sync server no longer has secret ${result.id}, which it had at revision ${sent.wire.baseRev}: refusing to sync; was it restored from an old backup?`);
					}

					if (this.#apply(result.current)) {
						retry = true;
					} else {
						this.#heldBack.add(result.id);
					}
				} else {
					this.#refuse(sent.row, result.status);
				}
			}
		});
		return retry;
	}

	#refuse(row: RecordRow, reason: SyncReport['refusedSecrets'][number]['reason']): void {
		this.report.refused.push(row.id);
		this.report.refusedSecrets.push({id: row.id, name: this.#localName(row), reason});
	}

	/** Records changed here since they were last agreed with the server, minus those in conflict or refused. */
	pendingRows(): Array<{row: RecordRow; wire: PushRecord}> {
		const refused = new Set(this.report.refused);
		return pendingToPush(this.store, {
			skip: id => refused.has(id) || this.#heldBack.has(id),
			holdsBack: (row, isPrivate) => {
				if (!this.team?.holdsBack(row, isPrivate)) {
					return false;
				}

				this.#waiting.add(row.id);
				return true;
			},
		});
	}

	/**
	 * Applies a pulled page inside the caller's transaction. Optimistically all in one savepoint: a
	 * clean page (the usual case) pays for one savepoint, not one per record. When a record fails,
	 * that savepoint is rolled back whole and the page is applied again record by record, each in
	 * its own savepoint, so the bad ones are quarantined and the rest still apply. Applying in one
	 * savepoint or in many gives the same rows when none fails: same records, same order.
	 */
	#applyPage(records: readonly WireRecord[]): void {
		let outcomes: Outcome[] | undefined;
		try {
			outcomes = this.store.savepoint(() => this.#reconciler.inOneAuditStep(() => records.map(record => this.#reconciler.applyRemote(record))));
		} catch (error) {
			if (!isRecordFault(error)) {
				throw error;
			}
		}

		if (!outcomes) {
			for (const record of records) {
				this.#apply(record);
			}

			return;
		}

		for (const [index, outcome] of outcomes.entries()) {
			this.#applied(records[index]!, outcome);
		}
	}

	/**
	 * Applies one pulled record inside the caller's transaction, or quarantines it (one bad record
	 * never stops the rest). True when it applied.
	 */
	#apply(record: WireRecord): boolean {
		const {store} = this;
		let outcome;
		try {
			outcome = store.savepoint(() => this.#reconciler.applyRemote(record));
		} catch (error) {
			if (!isRecordFault(error)) {
				throw error;
			}

			quarantine(store, {raw: record, rev: record.rev, error});
			this.report.newlyQuarantined++;
			return false;
		}

		this.#applied(record, outcome);
		return true;
	}

	/** What follows an applied record: its quarantine entry (if any) goes, and the report counts it. */
	#applied(record: WireRecord, outcome: Outcome): void {
		release(this.store, record.id);
		if (outcome.applied === 'merged') {
			this.report.merged++;
		}

		const change = pulledChange(record.id, outcome);
		if (change) {
			this.report.changes.push(change);
		}
	}

	#localName(row: RecordRow): string | null {
		try {
			return this.store.openMeta(row).name;
		} catch {
			return null;
		}
	}
}
