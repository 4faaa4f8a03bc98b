import type {PulledChange} from './pull-report.js';

/** What one `hush sync` did: counts, what the server refused, what was set aside, what the pull changed. */
export type SyncReport = {
	pulled: number;
	pushed: number;
	merged: number;
	conflicts: number;
	/** Ids of secrets the server refused (private to another user there); not pushed. */
	refused: string[];
	/** The same, with the local name of each (null when there is none to tell) and why: another user's private record, or beyond this member's role. */
	refusedSecrets: Array<{id: string; name: string | null; reason: 'not_found' | 'forbidden' | 'too_large'}>;
	/** Records set aside by this sync (quarantine.ts): not applied. */
	newlyQuarantined: number;
	/** Every record still set aside, this sync's included: id, revision and why. */
	quarantined: Array<{id: string; rev: number | null; reason: string}>;
	/** What the pull changed, secret by secret (pull-report.ts). */
	changes: PulledChange[];
	/** Public secrets not pushed because this member holds no team key yet. */
	waitingForTeamKeys: number;
	/** Public secrets this sync re-sealed into the team's current key generation. */
	resealed: number;
};
