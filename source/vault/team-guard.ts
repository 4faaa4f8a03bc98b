import {HushError} from '../errors.js';
import type {VaultCore} from './core.js';
import {VaultSyncStore} from './sync-store.js';
import {readTeamPin} from './team-store.js';

/**
 * A shared secret moves into someone's private space only by its creator or an admin: anyone else
 * would take it away from the team. The server refuses such a push too; this says so before
 * anything is written. The role is this device's pinned one, as of its last verified log.
 */
export function assertMayTakePrivate(core: VaultCore, meta: {name: string; createdBy: string}): void {
	const role = readTeamPin(new VaultSyncStore(core))?.role;
	if (role !== 'admin' && meta.createdBy !== core.actor) {
		throw new HushError(`secret ${meta.name} is shared with the team and was created by ${meta.createdBy}: only they or an admin can make it private (you are ${role ? `a ${role} member` : 'not a member'})`);
	}
}
