import {HushError, TeamKeyMissingError} from '../errors.js';
import {isTeamSealed, keySpaceOf, teamKeyGeneration} from '../vault/key-generation.js';
import type {RecordRow} from '../vault/records.js';
import {currentTeamGeneration} from '../vault/team-keyring.js';
import type {SyncStore} from '../vault/vault.js';

/**
 * Moving public records into the team's newest key generation, and forgetting generations nothing
 * here needs any more: what a team sync does before it pushes and after it is done (team-sync.ts),
 * and what a re-key does to every team record at once (rekey.ts).
 */

/**
 * One record into generation `target`, at its next revision: 1, or 0 when it is sealed under a
 * generation this device no longer holds (it then stays held back, never pushed).
 */
function tryReseal(store: SyncStore, row: RecordRow, target: number): number {
	try {
		store.reseal(row, target);
		return 1;
	} catch (error) {
		if (error instanceof TeamKeyMissingError) {
			return 0;
		}

		throw error;
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
export function resealOnce(store: SyncStore, target: number): number {
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
export function resealPending(store: SyncStore, target: number): number {
	let count = 0;
	for (const {base_rev: _base, ...row} of store.pendingRecords()) {
		const behind = isTeamSealed(row.key_generation) ? row.key_generation < target : !store.openMeta(row).private;
		if (!behind || row.key_generation === target) {
			continue;
		}

		count += tryReseal(store, row, target);
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

			count += tryReseal(store, row, target);

			continue;
		}

		if (!store.openMeta(row).private) {
			store.reseal(row, target);
			count++;
		}
	}

	return count;
}
