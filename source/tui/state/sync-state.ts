import type {SecretSummary} from '../../vault/model.js';
import type {SyncReport} from '../sync-service.js';
import type {Message} from './browser.js';

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

/** The spinner shown while a sync runs (plain characters: fine without colour). */
export const spinnerFrames = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'] as const;

/**
 * What the status bar says after a sync: the counts, and the conflicts left in the vault (read
 * after the sync, so conflicts from earlier syncs count too). Short enough for 80 columns.
 */
export function syncReportMessage(report: SyncReport, states: SyncStates): Message {
	const parts = [`pulled ${report.pulled}`, `pushed ${report.pushed}`];
	if (report.merged > 0) {
		parts.push(`merged ${report.merged}`);
	}

	// Private to another user on the server: not pushed (hush sync names them).
	if (report.refused.length > 0) {
		parts.push(`refused ${report.refused.length}`);
	}

	// Records from the server set aside unapplied (hush sync names them and says why).
	const quarantined = report.quarantined?.length ?? 0;
	if (quarantined > 0) {
		parts.push(`quarantined ${quarantined}`);
	}

	const conflicts = states === null ? 0 : [...states.values()].filter(value => value === 'conflict').length;
	const text = conflicts > 0 ? `${parts.join(', ')}; ${conflicts} conflict${conflicts === 1 ? '' : 's'} (x to resolve)` : `synced: ${parts.join(', ')}`;
	return {text, tone: conflicts > 0 || report.refused.length > 0 || quarantined > 0 ? 'error' : 'info'};
}

/** A failed sync in one line, without the "unexpected error" prefix: the status bar is narrow. */
export function syncFailedMessage(error: unknown): Message {
	const text = error instanceof Error ? error.message : String(error);
	return {text: `sync failed: ${text.split('\n')[0]}`, tone: 'error'};
}
