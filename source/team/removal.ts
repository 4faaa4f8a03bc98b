import {HushError} from '../errors.js';
import type {Vault} from '../vault/vault.js';
import {type Exposure, exposureOf} from './exposure.js';
import type {Member} from './membership-log.js';
import {asAdmin} from './invites.js';
import {appendAndRekey} from './rekey.js';

/**
 * `hush team remove USER`: the signed removal and a new key generation, in one append; the new
 * keys wrapped to every member who stays; every team record on this device re-sealed under the new
 * generation; and the exposure report (what the removed member could read until it is rotated).
 *
 * How the re-key survives an interruption: rekey.ts. The push is an ordinary sync, so an
 * interrupted one is finished by `hush sync` (team-sync.ts re-seals whatever is still behind).
 */

export type Removal = {
	member: {name: string; role: string; fingerprint: string};
	generation: number;
	wrapped: number;
	/** Members the new keys could not be given to yet: the admin's next `hush sync` retries. */
	notYet: string[];
	resealed: number;
	exposure: Exposure;
};

export async function removeMember(vault: Vault, user: string, confirm: (member: Member, exposure: Exposure) => Promise<boolean>): Promise<Removal> {
	return asAdmin(vault, async (s, {state, entries}) => {
		const member = [...state.members.values()].find(candidate => candidate.name === user);
		if (!member) {
			const removed = [...state.removed.values()].find(candidate => candidate.name === user);
			throw new HushError(removed ? `${user} was already removed from team ${state.teamName} (log entry ${removed.removedAt}): see hush team exposure ${user}` : `${user} is not a member of team ${state.teamName}: see hush team members`);
		}

		if (member.fingerprint === s.me) {
			throw new HushError('an admin does not remove themselves: another admin does it, from their device');
		}

		const at = new Date();
		const exposure = exposureOf(vault, {name: member.name, fingerprint: member.fingerprint, role: member.role, removedAt: at.toISOString()});
		if (!(await confirm(member, exposure))) {
			throw new HushError(`${user} was not removed: nothing was changed`);
		}

		const rekeyed = await appendAndRekey(s, {state, entries}, {type: 'remove', member: new Uint8Array(Buffer.from(member.fingerprint, 'hex'))}, at);
		return {
			member: {name: member.name, role: member.role, fingerprint: member.fingerprint},
			generation: rekeyed.generation,
			wrapped: rekeyed.wrapped,
			notYet: rekeyed.notYet,
			resealed: rekeyed.resealed,
			exposure,
		};
	});
}
