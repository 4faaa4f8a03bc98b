import type {SyncState} from '../vault/sync-store.js';
import type {Vault} from '../vault/vault.js';

/**
 * Per-record sync state for display (the TUI's sync-state column, `hush status`); see
 * {@link Vault.syncStates}. Local bookkeeping only: no network, no decryption.
 */
export type {SyncState};

export function syncStates(vault: Vault): Map<string, SyncState> {
	return vault.syncStates();
}
