import {readTeamPin, writeTeamPin} from '../vault/team-store.js';
import {unwrap, wipeGenerationKeys} from './keys.js';
import type {TeamState} from './membership-log.js';
import type {Session} from './service.js';

/**
 * This member's keys of the team's current generation: the wrap kept in the pin, else the one an
 * admin published on the server, opened against the verified log (for this identity, its role
 * there, the generation's commitment) before it is kept. The keys themselves are wiped here: this
 * reports what the member can open; sealing records under them is the team-space slice's.
 */

export type MyKeys = {generation: number; status: 'open'; values: boolean} | {generation: number; status: 'waiting'};

export async function openMyKeys(s: Session, state: TeamState): Promise<MyKeys | undefined> {
	const current = state.generations.at(-1);
	if (!current || !state.members.has(s.me)) {
		return undefined;
	}

	const {generation} = current;
	const pinned = s.store.read(() => readTeamPin(s.store))?.wraps.find(wrap => wrap.generation === generation);
	let bytes: Uint8Array | undefined = pinned ? new Uint8Array(Buffer.from(pinned.wrap, 'base64')) : undefined;
	let opened = bytes ? tryUnwrap(bytes, s, state) : undefined;
	if (!opened) {
		bytes = await s.client.wrap(s.me, generation);
		if (!bytes) {
			return {generation, status: 'waiting'};
		}

		// A wrap from the server that does not open, or does not match the commitment, throws here.
		opened = unwrap(bytes, s.identity, state);
		const kept = Buffer.from(bytes).toString('base64');
		s.store.write(() => {
			const pin = readTeamPin(s.store);
			if (pin) {
				writeTeamPin(s.store, {...pin, wraps: [...pin.wraps.filter(wrap => wrap.generation !== generation), {generation, wrap: kept}]});
			}
		});
	}

	const values = opened.valuesKey !== undefined;
	wipeGenerationKeys(opened);
	return {generation, status: 'open', values};
}

/** A kept wrap that no longer opens (the role changed since) is fetched again rather than trusted. */
function tryUnwrap(bytes: Uint8Array, s: Session, state: TeamState) {
	try {
		return unwrap(bytes, s.identity, state);
	} catch {
		return undefined;
	}
}
