import {readTeamPin, writeTeamPin} from '../vault/team-store.js';
import type {TeamGenerationKeys, TeamKeyring} from '../vault/team-keyring.js';
import {KeyWrapError} from './errors.js';
import {type UnwrappedKeys, unwrap, wipeGenerationKeys} from './keys.js';
import type {TeamState} from './membership-log.js';
import type {Session} from './service.js';

/**
 * This member's keys of the team's current generation: the ones already in the vault's team
 * keyring, else the wrap kept in the pin, else the one an admin published on the server — a wrap is
 * opened against the verified log (for this identity, its role there, the generation's commitment)
 * before its keys are kept in the keyring (vault/team-keyring.ts), where team records open with them.
 */

export type MyKeys = {generation: number; status: 'open'; values: boolean} | {generation: number; status: 'waiting'};

export async function openMyKeys(s: Session, state: TeamState): Promise<MyKeys | undefined> {
	const current = state.generations.at(-1);
	const me = state.members.get(s.me);
	if (!current || !me) {
		return undefined;
	}

	const {generation} = current;
	const wantsValues = me.role !== 'list';
	const held = s.store.read(() => s.store.teamKeyring())?.generations.find(keys => keys.generation === generation);
	if (held && (held.valuesKey !== undefined) === wantsValues) {
		return {generation, status: 'open', values: wantsValues};
	}

	const pinned = s.store.read(() => readTeamPin(s.store))?.wraps.find(wrap => wrap.generation === generation);
	let bytes: Uint8Array | undefined = pinned ? new Uint8Array(Buffer.from(pinned.wrap, 'base64')) : undefined;
	let opened = bytes ? tryUnwrap(bytes, s, state, generation) : undefined;
	if (!opened) {
		bytes = await s.client.wrap(s.me, generation);
		if (!bytes) {
			return {generation, status: 'waiting'};
		}

		// A wrap from the server that does not open, or does not match the commitment, throws here.
		opened = unwrap(bytes, s.identity, state);
		if (opened.generation !== generation) {
			wipeGenerationKeys(opened);
			// An older generation's wrap served as the current one would keep this member sealing under keys a removed member holds.
			throw new KeyWrapError(`the server sent a key wrap for generation ${opened.generation} as generation ${generation}: refused`);
		}

		const kept = Buffer.from(bytes).toString('base64');
		s.store.write(() => {
			const pin = readTeamPin(s.store);
			if (pin) {
				writeTeamPin(s.store, {...pin, wraps: [...pin.wraps.filter(wrap => wrap.generation !== generation), {generation, wrap: kept}]});
			}
		});
	}

	try {
		keepKeys(s, state.teamId, opened);
	} finally {
		wipeGenerationKeys(opened);
	}

	return {generation, status: 'open', values: opened.valuesKey !== undefined};
}

/** Adds (or replaces, after a role change) one generation's keys in the vault's keyring. */
export function keepKeys(s: Pick<Session, 'store'>, teamId: string, opened: UnwrappedKeys): void {
	s.store.write(() => {
		const keyring = s.store.teamKeyring();
		const copy: TeamGenerationKeys = {generation: opened.generation, metadataKey: opened.metadataKey.slice(), valuesKey: opened.valuesKey?.slice()};
		const others = (keyring?.teamId === teamId ? keyring.generations : []).filter(keys => keys.generation !== opened.generation).map(keys => ({...keys, metadataKey: keys.metadataKey.slice(), valuesKey: keys.valuesKey?.slice()}));
		const next: TeamKeyring = {teamId, generations: [...others, copy]};
		s.store.setTeamKeyring(next);
	});
}

/** A kept wrap that no longer opens (the role changed since), or is of another generation, is fetched again rather than trusted. */
function tryUnwrap(bytes: Uint8Array, s: Session, state: TeamState, generation: number) {
	try {
		const opened = unwrap(bytes, s.identity, state);
		if (opened.generation === generation) {
			return opened;
		}

		wipeGenerationKeys(opened);
		return undefined;
	} catch {
		return undefined;
	}
}
