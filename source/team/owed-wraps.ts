import {wrapPutMessage} from '../protocol/team-invite.js';
import {readTeamPin, writeTeamPin} from '../vault/team-store.js';
import {sign} from './identity.js';
import {wrapFor} from './keys.js';
import type {TeamState} from './membership-log.js';
import {type Session, b64} from './service.js';

/**
 * The wraps of a new key generation an admin owes the members who stay (`hush team remove`). They
 * are noted in the pin before the log is asked to commit to the generation and crossed off one by
 * one as the server takes each, so a network failure half-way, or an answer lost after the append,
 * leaves a list that the admin's next `hush sync` finishes — never members waiting for keys that
 * nobody will send them.
 */

export function oweWraps(s: Pick<Session, 'store'>, generation: number, members: readonly string[]): void {
	s.store.write(() => {
		const pin = readTeamPin(s.store);
		if (pin) {
			writeTeamPin(s.store, {...pin, owedWraps: {generation, members: [...members]}});
		}
	});
}

/**
 * Publishes what is owed, if the verified log has that generation as its newest and this device
 * holds its keys; a list for a generation the log never took is dropped. Returns who is still owed.
 */
export async function payOwedWraps(s: Session, state: TeamState): Promise<{paid: number; missing: string[]}> {
	const owed = s.store.read(() => readTeamPin(s.store))?.owedWraps;
	if (!owed) {
		return {paid: 0, missing: []};
	}

	const keys = s.store.read(() => s.store.teamKeyring())?.generations.find(candidate => candidate.generation === owed.generation);
	const current = state.generations.at(-1)?.generation;
	let missing: string[] = [];
	let paid = 0;
	if (current === owed.generation && keys?.valuesKey) {
		const generationKeys = {teamId: state.teamId, generation: owed.generation, metadataKey: keys.metadataKey, valuesKey: keys.valuesKey};
		for (const member of owed.members.filter(fingerprint => state.members.has(fingerprint))) {
			try {
				const wrap = b64(wrapFor(state, generationKeys, member));
				const signature = b64(sign(s.identity, wrapPutMessage(state.teamId, member, owed.generation, wrap)));
				await s.client.putWrap(member, owed.generation, {wrap, signer: s.me, signature});
				paid++;
			} catch {
				missing.push(member);
			}
		}
	} else if (current !== undefined && current < owed.generation) {
		// The log has not (yet) taken this generation: keep the list for a later sync.
		missing = [...owed.members];
	}

	s.store.write(() => {
		const pin = readTeamPin(s.store);
		if (pin) {
			writeTeamPin(s.store, {...pin, owedWraps: missing.length > 0 ? {generation: owed.generation, members: missing} : undefined});
		}
	});
	return {paid, missing};
}
