import {HushError} from '../errors.js';
import type {Vault} from '../vault/vault.js';
import {wipeIdentity} from './identity.js';
import {parseEntry} from './log-entry.js';
import {session, verifiedTeam} from './service.js';

/**
 * What a removed member could read and may have copied: every public secret that existed when they
 * were removed and whose values have not changed since (a secret's `updatedAt` is its rotation
 * clock), with its keys; for a `list` member, names and keys only. Re-keying protects what is
 * written after the removal; this report is what is left to rotate. A secret drops off the report
 * once any of its values changes (per secret, not per key: rotate every key a secret holds).
 */

export type ExposedSecret = {id: string; name: string; keys: string[]; updatedAt: string};

export type Exposure = {
	member: {name: string; role: string; fingerprint: string};
	removedAt: string;
	/** False for a `list` member: they held names and keys, never values. */
	values: boolean;
	secrets: ExposedSecret[];
};

export function exposureOf(vault: Vault, removed: {name: string; role: string; fingerprint: string; removedAt: string}): Exposure {
	const cutoff = Date.parse(removed.removedAt);
	const secrets = vault
		.listSecrets({private: false, sort: 'name'})
		.filter(secret => Date.parse(secret.createdAt) <= cutoff && Date.parse(secret.updatedAt) <= cutoff)
		.map(secret => ({id: secret.id, name: secret.name, keys: secret.keys, updatedAt: secret.updatedAt}));
	return {member: {name: removed.name, role: removed.role, fingerprint: removed.fingerprint}, removedAt: removed.removedAt, values: removed.role !== 'list', secrets};
}

/** `hush team exposure [USER]`: the report for every member the verified log has removed (or for USER). */
export async function teamExposure(vault: Vault, user?: string): Promise<Exposure[]> {
	const s = await session(vault);
	try {
		const {state, entries} = await verifiedTeam(s);
		const removed = [...state.removed.entries()].filter(([, member]) => user === undefined || member.name === user);
		if (user !== undefined && removed.length === 0) {
			throw new HushError(`nobody named ${user} was removed from team ${state.teamName}: see hush team members`);
		}

		return removed.map(([fingerprint, member]) => exposureOf(vault, {name: member.name, role: member.role, fingerprint, removedAt: parseEntry(entries[member.removedAt]!).at}));
	} finally {
		wipeIdentity(s.identity);
	}
}
