import {createHash} from 'node:crypto';
import {encodeFields} from '../vault/encoding.js';
import {array, base64, object, type Path, text, timestamp} from './fields.js';

/**
 * Invites, joins and key wraps on the wire (beside the log routes of protocol/team.ts):
 *
 *   POST /v1/vaults/:vaultId/team/invites   TeamInviteRequest (signed by an admin) → {status: 'created'}
 *   POST /v1/vaults/:vaultId/team/join      TeamJoinRequest, no token → TeamJoinAnswer (the token, once)
 *   GET  /v1/vaults/:vaultId/team/joins     → {joins: TeamJoin[]} (public keys and MACs only)
 *   PUT  /v1/vaults/:vaultId/team/wraps/:member/:generation   TeamWrapPut (signed by an admin)
 *   GET  /v1/vaults/:vaultId/team/wraps/:member/:generation   → {wrap} (only for that member's user)
 *
 * The invite secret never reaches the server: the joiner proves the invite with a claim derived
 * from it (the server keeps only the claim's SHA-256), and binds their keys with a MAC under
 * another key derived from it, which only the inviting admin's client can check.
 */

export type TeamInviteRequest = {claimHash: string; user: string; role: string; expiresAt: string; signer: string; signature: string};
export type TeamJoinRequest = {claim: string; name: string; signingKey: string; kemKey: string; mac: string};
export type TeamJoinAnswer = {token: string; user: string; role: string};
export type TeamJoin = {name: string; signingKey: string; kemKey: string; mac: string; joinedAt: string};
export type TeamWrapPut = {wrap: string; signer: string; signature: string};

const hex64 = /^[0-9a-f]{64}$/;
const userPattern = /^[A-Za-z0-9][A-Za-z0-9._@-]{0,63}$/;
const rolePattern = /^(?:admin|write|read|list)$/;
/** X-Wing public keys are 1,216 bytes; wraps at most 2,048 (team/wrap-encoding.ts). */
const kemKeyBytes = 1216;
const maxWrapBytes = 2048;
const b64Chars = (bytes: number) => Math.ceil(bytes / 3) * 4;

export const claimHash = (claim: Uint8Array) => createHash('sha256').update(claim).digest('hex');

/** What an admin signs to register an invite. */
export function inviteMessage(teamId: string, request: Pick<TeamInviteRequest, 'claimHash' | 'user' | 'role' | 'expiresAt'>): Uint8Array {
	return encodeFields(['hush/v1/team-invite', teamId, request.claimHash, request.user, request.role, request.expiresAt]);
}

/** What an admin signs to publish a member's wrap. */
export function wrapPutMessage(teamId: string, member: string, generation: number, wrap: string): Uint8Array {
	return encodeFields(['hush/v1/team-wrap-put', teamId, member, generation, createHash('sha256').update(wrap, 'utf8').digest('hex')]);
}

function shaped<T>(path: Path, value: unknown, keys: readonly string[], read: (body: Record<string, unknown>) => T): T {
	return read(object(value, path, keys));
}

export function parseTeamInviteRequest(value: unknown, path: Path = 'body'): TeamInviteRequest {
	return shaped(path, value, ['claimHash', 'user', 'role', 'expiresAt', 'signer', 'signature'], body => ({
		claimHash: text(body['claimHash'], `${path}.claimHash`, 64, hex64, '64 lower-case hex digits'),
		user: text(body['user'], `${path}.user`, 64, userPattern, 'a user name'),
		role: text(body['role'], `${path}.role`, 5, rolePattern, 'admin, write, read or list'),
		expiresAt: timestamp(body['expiresAt'], `${path}.expiresAt`),
		signer: text(body['signer'], `${path}.signer`, 64, hex64, '64 lower-case hex digits'),
		signature: base64(body['signature'], `${path}.signature`, 88, 64, 64),
	}));
}

function joinKeys(body: Record<string, unknown>, path: Path): Omit<TeamJoinRequest, 'claim'> {
	return {
		name: text(body['name'], `${path}.name`, 64, userPattern, 'a user name'),
		signingKey: base64(body['signingKey'], `${path}.signingKey`, 44, 32, 32),
		kemKey: base64(body['kemKey'], `${path}.kemKey`, b64Chars(kemKeyBytes), kemKeyBytes, kemKeyBytes),
		mac: base64(body['mac'], `${path}.mac`, 44, 32, 32),
	};
}

export function parseTeamJoinRequest(value: unknown, path: Path = 'body'): TeamJoinRequest {
	return shaped(path, value, ['claim', 'name', 'signingKey', 'kemKey', 'mac'], body => ({claim: base64(body['claim'], `${path}.claim`, 44, 32, 32), ...joinKeys(body, path)}));
}

export function parseTeamJoinAnswer(value: unknown, path: Path = 'answer'): TeamJoinAnswer {
	return shaped(path, value, ['token', 'user', 'role'], body => ({
		token: text(body['token'], `${path}.token`, 200, /^hush_[A-Za-z0-9_-]+$/, 'a hush token'),
		user: text(body['user'], `${path}.user`, 64, userPattern, 'a user name'),
		role: text(body['role'], `${path}.role`, 5, rolePattern, 'admin, write, read or list'),
	}));
}

/** At most this many pending joins in one answer. */
export const maxJoins = 1000;

export function parseTeamJoins(value: unknown, path: Path = 'answer'): TeamJoin[] {
	const body = object(value, path, ['joins']);
	return array(body['joins'], `${path}.joins`, maxJoins).map((item, index) =>
		shaped(`${path}.joins[${index}]`, item, ['name', 'signingKey', 'kemKey', 'mac', 'joinedAt'], join => ({
			...joinKeys(join, `${path}.joins[${index}]`),
			joinedAt: timestamp(join['joinedAt'], `${path}.joins[${index}].joinedAt`),
		})),
	);
}

export function parseTeamWrapPut(value: unknown, path: Path = 'body'): TeamWrapPut {
	return shaped(path, value, ['wrap', 'signer', 'signature'], body => ({
		wrap: base64(body['wrap'], `${path}.wrap`, b64Chars(maxWrapBytes), 1, maxWrapBytes),
		signer: text(body['signer'], `${path}.signer`, 64, hex64, '64 lower-case hex digits'),
		signature: base64(body['signature'], `${path}.signature`, 88, 64, 64),
	}));
}

export function parseTeamWrap(value: unknown, path: Path = 'answer'): string {
	const body = object(value, path, ['wrap']);
	return base64(body['wrap'], `${path}.wrap`, b64Chars(maxWrapBytes), 1, maxWrapBytes);
}

/** Fastify schemas: bounds before parsing; the routes still parse with the functions above. */
const string = (maxLength: number) => ({type: 'string', maxLength}) as const;
export const teamInviteBodySchema = {
	type: 'object',
	required: ['claimHash', 'user', 'role', 'expiresAt', 'signer', 'signature'],
	additionalProperties: false,
	properties: {claimHash: string(64), user: string(64), role: string(5), expiresAt: string(40), signer: string(64), signature: string(88)},
} as const;
export const teamJoinBodySchema = {
	type: 'object',
	required: ['claim', 'name', 'signingKey', 'kemKey', 'mac'],
	additionalProperties: false,
	properties: {claim: string(44), name: string(64), signingKey: string(44), kemKey: string(b64Chars(kemKeyBytes)), mac: string(44)},
} as const;
export const teamWrapBodySchema = {
	type: 'object',
	required: ['wrap', 'signer', 'signature'],
	additionalProperties: false,
	properties: {wrap: string(b64Chars(maxWrapBytes)), signer: string(64), signature: string(88)},
} as const;
export const teamWrapParamsSchema = {
	type: 'object',
	required: ['vaultId', 'member', 'generation'],
	additionalProperties: false,
	properties: {vaultId: {type: 'string', maxLength: 64}, member: {type: 'string', pattern: '^[0-9a-f]{64}$'}, generation: {type: 'string', pattern: '^[1-9][0-9]{0,6}$'}},
} as const;
