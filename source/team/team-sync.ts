import {HushError} from '../errors.js';
import type {SyncTeamHooks} from '../sync/engine.js';
import {readRemote} from '../sync/settings.js';
import {isTeamSealed, keySpaceOf, teamKeyGeneration} from '../vault/key-generation.js';
import {readTeamPin} from '../vault/team-store.js';
import type {Vault} from '../vault/vault.js';
import {TeamRefusedError} from './client.js';
import {wipeIdentity} from './identity.js';
import type {Role} from './log-entry.js';
import {openMyKeys} from './my-keys.js';
import {payOwedWraps} from './owed-wraps.js';
import {pruneGenerations, resealOnce, resealPending} from './reseal.js';
import {advancePin, session, verifiedTeam} from './service.js';

/**
 * What `hush sync` does first in a vault that is in a team: replay the membership log from the
 * pinned founder to at least the pinned head, refuse to go on for a member the log has removed,
 * and bring this member's keys of the current generation into the vault's keyring. The sync then
 * talks to the team's vault on the server, moves public secrets into the team's current generation
 * before it pushes (a founder's secrets from before the team; a new member's from before their
 * approval; every team secret after a re-key), and holds back what cannot be moved yet.
 */

export type TeamSync = SyncTeamHooks & {role: Role; generation: number | undefined; teamName: string};

export async function teamSyncHooks(vault: Vault): Promise<TeamSync | undefined> {
	const store = vault.syncStore();
	const pin = store.read(() => readTeamPin(store));
	if (!pin || pin.pending) {
		return undefined;
	}

	const s = await session(vault);
	try {
		const {state, entries} = await verifiedTeam(s).catch((error: unknown) => {
			if (error instanceof TeamRefusedError && error.status === 401) {
				// A removed member's tokens are revoked with the removal: the log they cannot read says so.
				throw new HushError(`the server no longer accepts this device's token for team ${pin.teamName} (401): you may have been removed from the team, and this device no longer syncs with it; what it holds stays readable here`);
			}

			throw error;
		});
		advancePin(s.store, state, entries, s.me);
		const me = state.members.get(s.me);
		if (!me) {
			const removed = state.removed.get(s.me);
			throw new HushError(
				removed
					? `you were removed from team ${state.teamName} (membership log entry ${removed.removedAt}): this device no longer syncs with it; what it holds stays readable here`
					: `you are not a member of team ${state.teamName} yet: an admin approves you with hush team approve`,
			);
		}

		const keys = await openMyKeys(s, state);
		if (me.role === 'admin') {
			// Finishes what an interrupted hush team remove still owes the members who stay.
			await payOwedWraps(s, state);
		}

		const generation = keys?.status === 'open' ? keys.generation : undefined;
		const remote = store.read(() => readRemote(store, vault.id))!;
		const writes = me.role === 'admin' || me.role === 'write';
		const logGeneration = state.generations.at(-1)?.generation ?? 0;
		return {
			role: me.role,
			generation,
			teamName: state.teamName,
			remoteVaultId: remote.vaultId,
			uploadsHeader: remote.vaultId === vault.id,
			beforePush: () => (generation !== undefined && writes ? resealOnce(store, teamKeyGeneration(generation)) + resealPending(store, teamKeyGeneration(generation)) : 0),
			// Nothing public leaves sealed outside the log's newest generation: not in this vault's own
			// space, and not under an older generation (which a removed member may hold).
			holdsBack: (row, isPrivate) => !isPrivate && (!isTeamSealed(row.key_generation) || keySpaceOf(row.key_generation).generation < logGeneration),
			afterSync: () => pruneGenerations(store),
		};
	} finally {
		wipeIdentity(s.identity);
	}
}
