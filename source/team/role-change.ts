import {HushError} from '../errors.js';
import {asAdmin, publishWrap} from './invites.js';
import type {Role} from './log-entry.js';
import {appendEntry} from './log-writer.js';
import {type Rekeyed, appendAndRekey} from './rekey.js';
import {advancePin} from './service.js';

/**
 * `hush team role USER ROLE`: the signed role entry, then the member's wrap of the current
 * generation made again for the new role (a wrap is bound to the role it was made for, so the old
 * one stops opening for them), and the server narrows or widens their join token to match.
 * A member moved down to `list` held the values key: that change comes with a new key generation
 * (rekey.ts), wrapped to everyone, the demoted member getting only its metadata key, and every team
 * record re-sealed under it, so what is written from then on is out of their reach.
 */
export async function changeRole(vault: Parameters<typeof asAdmin>[0], user: string, role: Role): Promise<{name: string; from: Role; to: Role; generation: number; rekeyed?: Rekeyed}> {
	return asAdmin(vault, async (s, {state, entries}) => {
		const member = [...state.members.values()].find(candidate => candidate.name === user);
		if (!member) {
			throw new HushError(`${user} is not a member of team ${state.teamName}: see hush team members`);
		}

		if (member.fingerprint === s.me) {
			throw new HushError('an admin does not change their own role: another admin does it, from their device');
		}

		if (member.role === role) {
			throw new HushError(`${user} already has the role ${role}: nothing was changed`);
		}

		const action = {type: 'role' as const, member: new Uint8Array(Buffer.from(member.fingerprint, 'hex')), role};
		if (role === 'list') {
			// The values key they hold must stop opening anything written from now on: a new generation.
			const rekeyed = await appendAndRekey(s, {state, entries}, action);
			return {name: user, from: member.role, to: role, generation: rekeyed.generation, rekeyed};
		}

		const next = appendEntry(state, s.identity, action);
		const answer = await s.client.append(state.head, [next.entry.bytes]);
		if (answer.status !== 'appended') {
			throw new HushError('the membership log moved on meanwhile (another admin changed it): nothing was changed; run hush team role again');
		}

		advancePin(s.store, next.state, [...entries, next.entry.bytes], s.me);
		const generation = await publishWrap(s, next.state, member.fingerprint);
		return {name: user, from: member.role, to: role, generation};
	});
}
