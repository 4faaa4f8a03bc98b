/**
 * Which key sealed a record, read from its key generation number.
 *
 * A personal record (a private secret, or any secret of a vault in no team) is sealed under a key
 * derived from this vault's root key; its generation is the vault's own, a small number. A team
 * record (a public secret of a team) is sealed under the team's generation keys (team/keys.ts); its
 * generation number is the team generation plus {@link teamGenerationBase}.
 *
 * Why in the number and not a column: the generation travels with every copy of a ciphertext —
 * the record row, the sync base, a conflict copy, the wire, a metadata page entry, and the AAD —
 * so each copy says by itself which key opens it, with no format change and nothing to keep in
 * step. Changing the number to point at the other space changes the AAD too, so it cannot make a
 * record open under the wrong key.
 */

export const teamGenerationBase = 2 ** 30;

/** The wire's bound (protocol/wire.ts maxKeyGeneration) leaves room for 2^30 - 1 team generations. */
export const maxTeamGeneration = 2 ** 30 - 1;

export type KeySpace = {space: 'personal'; generation: number} | {space: 'team'; generation: number};

export function keySpaceOf(keyGeneration: number): KeySpace {
	return keyGeneration >= teamGenerationBase ? {space: 'team', generation: keyGeneration - teamGenerationBase} : {space: 'personal', generation: keyGeneration};
}

export function teamKeyGeneration(generation: number): number {
	if (!Number.isSafeInteger(generation) || generation < 1 || generation > maxTeamGeneration) {
		throw new RangeError(`team key generation ${generation} is out of range`);
	}

	return teamGenerationBase + generation;
}

export const isTeamSealed = (keyGeneration: number) => keyGeneration >= teamGenerationBase;
