import type {SecretSummary} from '../../vault/model.js';

/** Per-secret sync state as Vault.syncStates() gives it; null when the vault has no remote. */
export type SyncStates = ReadonlyMap<string, 'synced' | 'pending' | 'conflict'> | null;

/**
 * What the list's sync column shows for a secret: "local" when the vault has no remote (nothing
 * to be in sync with), else synced / pending / conflict from the vault's own bookkeeping. A
 * secret the map does not know yet (written since it was read) counts as pending.
 */
export function syncStateOf(secret: SecretSummary, states: SyncStates): string {
	if (states === null) {
		return 'local';
	}

	return states.get(secret.id) ?? 'pending';
}

/** The widest value {@link syncStateOf} returns, for the column layout. */
export const syncColumnWidth = 8;
