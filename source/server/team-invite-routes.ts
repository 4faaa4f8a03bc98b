import type {FastifyInstance} from 'fastify';
import {ProtocolError, noQuerySchema, vaultParamsSchema} from '../protocol/index.js';
import {
	type TeamJoinAnswer,
	inviteMessage,
	parseTeamInviteRequest,
	parseTeamJoinRequest,
	parseTeamWrapPut,
	teamInviteBodySchema,
	teamJoinBodySchema,
	teamWrapBodySchema,
	teamWrapParamsSchema,
	wrapPutMessage,
} from '../protocol/team-invite.js';
import {actor, reachVault} from './auth.js';
import type {RouteContext} from './context.js';
import {appendAudit, findVault} from './data.js';
import {ApiError} from './errors.js';
import {assertAdminSigned, claimInvite, createInvite, getWrap, listJoins, putWrap} from './team-invite-store.js';
import {TeamLogRefused} from './team-log-store.js';
import {refuseRemovedUser} from './team-members.js';
import {type Permission, createToken} from './tokens.js';

/**
 * Invites, joins and key wraps (contract: protocol/team-invite.ts). Registering an invite and
 * publishing a wrap need the vault's write permission and an admin's signature checked against the
 * stored log; a join needs no token, only the claim of an unused, unexpired invite, and is answered
 * with a token scoped to the vault whose permissions follow the invite's role.
 */

const rolePerms: Record<string, Permission[]> = {admin: ['secrets:read', 'secrets:write'], write: ['secrets:read', 'secrets:write'], read: ['secrets:read'], list: ['secrets:read']};

function parsed<T>(parse: (value: unknown) => T, value: unknown): T {
	try {
		return parse(value);
	} catch (error) {
		throw error instanceof ProtocolError ? new ApiError(400, 'invalid_request', `invalid request: ${error.message}`) : error;
	}
}

async function logRefusal<T>(work: Promise<T>): Promise<T> {
	return work.catch((error: unknown) => {
		throw error instanceof TeamLogRefused ? new ApiError(409, 'invalid_request', error.message) : error;
	});
}

export function teamInviteRoutes(app: FastifyInstance, {store, authorize}: RouteContext): void {
	app.post<{Params: {vaultId: string}; Body: unknown}>(
		'/v1/vaults/:vaultId/team/invites',
		{schema: {params: vaultParamsSchema, querystring: noQuerySchema, body: teamInviteBodySchema}},
		async request => {
			const token = await authorize(request, 'secrets:write');
			const {vaultId} = request.params;
			const body = parsed(parseTeamInviteRequest, request.body);
			if (Date.parse(body.expiresAt) <= Date.now()) {
				throw new ApiError(400, 'invalid_request', 'this invite has already expired');
			}

			return store.transaction(async tx => {
				await reachVault(tx, token, vaultId);
				await assertAdminSigned(tx, vaultId, body.signer, body.signature, inviteMessage(vaultId, body));
				await refuseRemovedUser(tx, vaultId, body.user);
				await createInvite(tx, {teamId: vaultId, claimHash: body.claimHash, user: body.user, role: body.role, expiresAt: body.expiresAt, createdBy: token.user});
				await appendAudit(tx, actor(request, token), [{vaultId, recordId: null, action: 'team_invite', records: 1}]);
				return {status: 'created'};
			});
		},
	);

	app.post<{Params: {vaultId: string}; Body: unknown}>(
		'/v1/vaults/:vaultId/team/join',
		{schema: {params: vaultParamsSchema, querystring: noQuerySchema, body: teamJoinBodySchema}},
		async (request): Promise<TeamJoinAnswer> => {
			const {vaultId} = request.params;
			const body = parsed(parseTeamJoinRequest, request.body);
			return store.transaction(async tx => {
				if (!(await findVault(tx, vaultId, store.forUpdate))) {
					throw new ApiError(403, 'forbidden', 'this invite is not one this server holds for this team');
				}

				const {user, role} = await claimInvite(tx, vaultId, body);
				const {token, info} = await createToken(tx, {user, perms: rolePerms[role] ?? ['secrets:read'], vaultId});
				await appendAudit(tx, {user, tokenId: info.id, client: request.ip}, [{vaultId, recordId: null, action: 'team_join', records: 1}]);
				return {token, user, role};
			});
		},
	);

	app.get<{Params: {vaultId: string}}>('/v1/vaults/:vaultId/team/joins', {schema: {params: vaultParamsSchema, querystring: noQuerySchema}}, async request => {
		const token = await authorize(request, 'secrets:read');
		const {vaultId} = request.params;
		return store.transaction(async tx => {
			await reachVault(tx, token, vaultId);
			return {joins: await listJoins(tx, vaultId)};
		});
	});

	type WrapParams = {vaultId: string; member: string; generation: string};
	app.put<{Params: WrapParams; Body: unknown}>(
		'/v1/vaults/:vaultId/team/wraps/:member/:generation',
		{schema: {params: teamWrapParamsSchema, querystring: noQuerySchema, body: teamWrapBodySchema}},
		async request => {
			const token = await authorize(request, 'secrets:write');
			const {vaultId, member} = request.params;
			const generation = Number(request.params.generation);
			const body = parsed(parseTeamWrapPut, request.body);
			return store.transaction(async tx => {
				await reachVault(tx, token, vaultId);
				await assertAdminSigned(tx, vaultId, body.signer, body.signature, wrapPutMessage(vaultId, member, generation, body.wrap));
				await putWrap(tx, {teamId: vaultId, member, generation, wrap: body.wrap, storedBy: token.user});
				await appendAudit(tx, actor(request, token), [{vaultId, recordId: null, action: 'team_wrap', records: 1}]);
				return {status: 'stored'};
			});
		},
	);

	app.get<{Params: WrapParams}>('/v1/vaults/:vaultId/team/wraps/:member/:generation', {schema: {params: teamWrapParamsSchema, querystring: noQuerySchema}}, async request => {
		const token = await authorize(request, 'secrets:read');
		const {vaultId, member} = request.params;
		return store.transaction(async tx => {
			await reachVault(tx, token, vaultId);
			const wrap = await logRefusal(getWrap(tx, vaultId, token.user, member, Number(request.params.generation)));
			if (wrap === undefined) {
				throw new ApiError(404, 'not_found', 'no key wrap for this member and generation yet: an admin publishes it with hush team approve');
			}

			return {wrap};
		});
	});
}
