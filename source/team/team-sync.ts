import {HushError, TeamKeyMissingError} from '../errors.js';
import type {SyncTeamHooks} from '../sync/engine.js';
import {readRemote} from '../sync/settings.js';
import {isTeamSealed, keySpaceOf, teamKeyGeneration} from '../vault/key-generation.js';
import {currentTeamGeneration} from '../vault/team-keyring.js';
import {readTeamPin} from '../vault/team-store.js';
import type {SyncStore, Vault} from '../vault/vault.js';
import {TeamRefusedError} from './client.js';
import {wipeIdentity} from './identity.js';
import type {Role} from './log-entry.js';
import {openMyKeys} from './my-keys.js';
import {payOwedWraps} from './owed-wraps.js';
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

/**
 * Drops from the keyring every team generation older than the newest that no record, sync base or
 * conflict copy on this device is sealed under any more: old keys are kept only as long as
 * something here needs them. A record a slow teammate still pushes under a dropped generation is
 * set aside (quarantined) until their device re-seals it, which it does once it holds the new keys.
 */
export function pruneGenerations(store: SyncStore): void {
	const keyring = store.teamKeyring();
	if (!keyring || keyring.generations.length < 2) {
		return;
	}

	const newest = currentTeamGeneration(keyring);
	const inUse = store.keyGenerationsInUse();
	const kept = keyring.generations.filter(keys => keys.generation === newest || inUse.has(teamKeyGeneration(keys.generation)));
	if (kept.length < keyring.generations.length) {
		store.setTeamKeyring({teamId: keyring.teamId, generations: kept.map(keys => ({generation: keys.generation, metadataKey: keys.metadataKey.slice(), valuesKey: keys.valuesKey?.slice()}))});
	}
}

const resealedStatus = 'team_resealed_generation';

/**
 * {@link resealIntoTeam} once per generation: afterwards every public write of this device seals
 * under that generation already, so later syncs need not open every record again to find none.
 */
function resealOnce(store: SyncStore, target: number): number {
	if (store.status(resealedStatus) === String(target)) {
		return 0;
	}

	const count = resealIntoTeam(store, target);
	store.setStatus(resealedStatus, String(target));
	return count;
}

/**
 * The changes waiting to be pushed, at every sync: whatever was sealed outside generation `target`
 * since the last full pass (a process that still held an older keyring, a record taken from the
 * server under an older generation) is moved into it before it can leave this device.
 */
function resealPending(store: SyncStore, target: number): number {
	let count = 0;
	for (const {base_rev: _base, ...row} of store.pendingRecords()) {
		const behind = isTeamSealed(row.key_generation) ? row.key_generation < target : !store.openMeta(row).private;
		if (!behind || row.key_generation === target) {
			continue;
		}

		try {
			store.reseal(row, target);
			count++;
		} catch (error) {
			// Sealed under a generation this device no longer holds: it stays held back, never pushed.
			if (!(error instanceof TeamKeyMissingError)) {
				throw error;
			}
		}
	}

	return count;
}

/**
 * Re-seals, unchanged and at their next revision, every public secret not yet under the team's
 * generation `target`: those in this vault's own space and those under an older team generation
 * this device still holds. A record in conflict waits for its resolution. Runs in the caller's
 * write transaction, so it is all or nothing, and a sync interrupted after it simply pushes them
 * next time (an interrupted one re-seals again from where the records are).
 */
export function resealIntoTeam(store: SyncStore, target: number): number {
	if (!store.teamKeyring()?.generations.some(keys => teamKeyGeneration(keys.generation) === target && keys.valuesKey)) {
		throw new HushError(`this device holds no writable key of team generation ${keySpaceOf(target).generation}: nothing was re-sealed`);
	}

	let count = 0;
	for (const row of store.allRecords()) {
		if (row.key_generation === target || store.hasConflict(row.id)) {
			continue;
		}

		if (isTeamSealed(row.key_generation)) {
			if (keySpaceOf(row.key_generation).generation > keySpaceOf(target).generation) {
				continue;
			}

			try {
				store.reseal(row, target);
				count++;
			} catch (error) {
				if (!(error instanceof TeamKeyMissingError)) {
					throw error;
				}
			}

			continue;
		}

		if (!store.openMeta(row).private) {
			store.reseal(row, target);
			count++;
		}
	}

	return count;
}
