import type {Vault} from '../vault/vault.js';

/**
 * Per-record sync state for display (the TUI's sync-state column, `hush status`). Reads only
 * local bookkeeping: no network, no decryption.
 *
 *   synced   — the record's revision is the one last agreed with the server
 *   pending  — changed here (or never synced): the next `hush sync` pushes it
 *   conflict — both sides changed it differently (or its name clashes with another secret):
 *              `hush conflicts` and `hush resolve` settle it
 */
export type SyncState = 'synced' | 'pending' | 'conflict';

export function syncStates(vault: Vault): Map<string, SyncState> {
	const access = vault.syncAccess();
	return access.read(() => {
		const rows = access.db
			.prepare(
				`SELECT r.id, r.revision, r.name_mac IS NULL AND r.values_ciphertext IS NOT NULL AS clash, s.base_rev,
				 EXISTS (SELECT 1 FROM sync_conflicts c WHERE c.record_id = r.id) AS conflict
				 FROM records r LEFT JOIN sync_records s ON s.record_id = r.id`,
			)
			.all() as Array<{id: string; revision: number; clash: number; base_rev: number | null; conflict: number}>;
		const states = new Map<string, SyncState>();
		for (const row of rows) {
			states.set(row.id, row.conflict || row.clash ? 'conflict' : row.base_rev === row.revision ? 'synced' : 'pending');
		}

		return states;
	});
}

export function syncStateOf(vault: Vault, recordId: string): SyncState | undefined {
	return syncStates(vault).get(recordId);
}
