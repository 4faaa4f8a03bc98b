import {HushError} from '../errors.js';
import {teamKeyGeneration} from '../vault/key-generation.js';
import {readTeamPin, writeTeamPin} from '../vault/team-store.js';
import type {Vault} from '../vault/vault.js';
import {type Exposure, exposureOf} from './exposure.js';
import {type GenerationKeys, generationCommitment, newGenerationKeys, wipeGenerationKeys, wrapFor} from './keys.js';
import type {Member, TeamState} from './membership-log.js';
import {asAdmin} from './invites.js';
import {appendEntry} from './log-writer.js';
import {keepKeys} from './my-keys.js';
import {oweWraps, payOwedWraps} from './owed-wraps.js';
import {type Session, advancePin, b64} from './service.js';
import {resealIntoTeam} from './team-sync.js';

/**
 * `hush team remove USER`: the signed removal and a new key generation, in one append; the new
 * keys wrapped to every member who stays; every team record on this device re-sealed under the new
 * generation; and the exposure report (what the removed member could read until it is rotated).
 *
 * The order is what makes it resumable. This admin's own wrap of the new keys is kept in the pin
 * before the append, so keys the log commits to are never lost to a crash; a wrap for a generation
 * the log does not have is never opened (keys.ts checks the commitment), so a refused append leaves
 * nothing that matters. The re-seal is one local transaction; the push is an ordinary sync, so an
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

		const generation = (state.generations.at(-1)?.generation ?? 0) + 1;
		const keys = newGenerationKeys(state.teamId, generation);
		try {
			const removal = appendEntry(state, s.identity, {type: 'remove', member: new Uint8Array(Buffer.from(member.fingerprint, 'hex'))}, at);
			const rekey = appendEntry(removal.state, s.identity, {type: 'generation', generation, commitment: generationCommitment(keys)}, at);
			keepOwnWrap(s, rekey.state, keys);
			oweWraps(s, generation, [...rekey.state.members.keys()]);
			const answer = await s.client.append(state.head, [removal.entry.bytes, rekey.entry.bytes]);
			if (answer.status !== 'appended') {
				throw new HushError(`the membership log moved on meanwhile (another admin changed it): ${user} was not removed; run hush team remove again`);
			}

			const after = rekey.state;
			advancePin(s.store, after, [...entries, removal.entry.bytes, rekey.entry.bytes], s.me);
			keepKeys(s, after.teamId, {generation, metadataKey: keys.metadataKey, valuesKey: keys.valuesKey});
			const {paid, missing} = await payOwedWraps(s, after);
			const resealed = s.store.write(() => resealIntoTeam(s.store, teamKeyGeneration(generation)));
			const notYet = missing.map(fingerprint => after.members.get(fingerprint)?.name ?? fingerprint.slice(0, 16));
			return {member: {name: member.name, role: member.role, fingerprint: member.fingerprint}, generation, wrapped: paid, notYet, resealed, exposure};
		} finally {
			wipeGenerationKeys(keys);
		}
	});
}

/** This admin's own wrap of the new generation, in the pin, before the log is asked to commit to it. */
function keepOwnWrap(s: Session, state: TeamState, keys: GenerationKeys): void {
	const wrap = b64(wrapFor(state, keys, s.me));
	s.store.write(() => {
		const pin = readTeamPin(s.store);
		if (pin) {
			writeTeamPin(s.store, {...pin, wraps: [...pin.wraps.filter(candidate => candidate.generation !== keys.generation), {generation: keys.generation, wrap}]});
		}
	});
}
