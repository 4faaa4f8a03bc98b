import type {SecretSummary} from '../../vault/model.js';

/**
 * What the list's sync column shows for a secret. There is no sync yet, so every secret is
 * "local"; the sync work replaces this one function (synced, dirty, conflict…) and the column,
 * its width and its tests follow.
 */
export function syncStateOf(_secret: SecretSummary): string {
	return 'local';
}

/** The widest value {@link syncStateOf} returns, for the column layout. */
export const syncColumnWidth = 8;
