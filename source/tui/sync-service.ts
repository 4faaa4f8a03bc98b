import {type ConflictDetail, type SyncReport as FullReport, describeConflict, resolveConflict, showRemote, sync} from '../sync/index.js';
import type {Vault} from '../vault/vault.js';

export type {ConflictDetail};

/** What the status bar reads of a sync: the counts, the refused secrets and the records set aside. */
export type SyncReport = Pick<FullReport, 'pulled' | 'pushed' | 'merged' | 'conflicts' | 'refused'> & Partial<Pick<FullReport, 'quarantined'>>;

export type Side = 'local' | 'remote';

/**
 * What the TUI asks of sync, behind one seam so component tests can hold a sync in flight. The
 * real one is the sync module itself: the same calls `hush sync`, `hush conflicts` and
 * `hush resolve` make.
 */
export type TuiSync = {
	/** The remote's URL, or null when this vault has none (the column then says local). */
	remote(vault: Vault): string | null;
	run(vault: Vault): Promise<SyncReport>;
	/** Both versions of one conflicted secret, masked (lengths and keyed fingerprints). */
	describe(vault: Vault, recordId: string): ConflictDetail | null;
	resolve(vault: Vault, recordId: string, choice: {take?: Side; keys?: ReadonlyMap<string, Side>}): {id: string; name: string};
};

export const moduleSync: TuiSync = {
	remote: vault => showRemote(vault)?.url ?? null,
	run: async vault => sync(vault),
	describe: (vault, recordId) => describeConflict(vault, recordId),
	resolve: (vault, recordId, choice) => resolveConflict(vault, recordId, choice),
};
