import {HushError} from '../errors.js';
import {teamKeyGeneration} from '../vault/key-generation.js';
import {readTeamPin, writeTeamPin} from '../vault/team-store.js';
import {type GenerationKeys, generationCommitment, newGenerationKeys, wipeGenerationKeys, wrapFor} from './keys.js';
import type {LogAction} from './log-entry.js';
import {appendEntry} from './log-writer.js';
import type {TeamState} from './membership-log.js';
import {keepKeys} from './my-keys.js';
import {oweWraps, payOwedWraps} from './owed-wraps.js';
import {type Session, advancePin, b64} from './service.js';
import {resealIntoTeam} from './reseal.js';

/**
 * A membership change that takes keys away (a removal, a demotion to `list`) and a new key
 * generation, appended together, then the new keys wrapped to everyone the log now holds and every
 * team record on this device re-sealed under them.
 *
 * The order is what makes it resumable. This admin's own wrap of the new keys is kept in the pin
 * before the append, so keys the log commits to are never lost to a crash; a wrap for a generation
 * the log does not have is never opened (keys.ts checks the commitment), so a refused append leaves
 * nothing that matters. The wraps owed to the others are noted first and crossed off as the server
 * takes them (owed-wraps.ts). The re-seal is one local transaction; the push is an ordinary sync.
 */

export type Rekeyed = {state: TeamState; generation: number; wrapped: number; notYet: string[]; resealed: number};

export async function appendAndRekey(s: Session, team: {state: TeamState; entries: Uint8Array[]}, action: Exclude<LogAction, {type: 'create' | 'generation'}>, at = new Date()): Promise<Rekeyed> {
	const {state, entries} = team;
	const generation = (state.generations.at(-1)?.generation ?? 0) + 1;
	const keys = newGenerationKeys(state.teamId, generation);
	try {
		const change = appendEntry(state, s.identity, action, at);
		const rekey = appendEntry(change.state, s.identity, {type: 'generation', generation, commitment: generationCommitment(keys)}, at);
		keepOwnWrap(s, rekey.state, keys);
		oweWraps(s, generation, [...rekey.state.members.keys()]);
		const answer = await s.client.append(state.head, [change.entry.bytes, rekey.entry.bytes]);
		if (answer.status !== 'appended') {
			throw new HushError('the membership log moved on meanwhile (another admin changed it): nothing was changed; run the command again');
		}

		const after = rekey.state;
		advancePin(s.store, after, [...entries, change.entry.bytes, rekey.entry.bytes], s.me);
		keepKeys(s, after.teamId, {generation, metadataKey: keys.metadataKey, valuesKey: keys.valuesKey});
		const {paid, missing} = await payOwedWraps(s, after);
		const resealed = s.store.write(() => resealIntoTeam(s.store, teamKeyGeneration(generation)));
		const notYet = missing.map(fingerprint => after.members.get(fingerprint)?.name ?? fingerprint.slice(0, 16));
		return {state: after, generation, wrapped: paid, notYet, resealed};
	} finally {
		wipeGenerationKeys(keys);
	}
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
