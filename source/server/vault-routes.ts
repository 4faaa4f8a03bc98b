import type {FastifyInstance} from 'fastify';
import {type PutHeaderResult, type VaultList, noQuerySchema, putHeaderBodySchema, vaultParamsSchema} from '../protocol/index.js';
import {actor, assertTokenScope, reachVault} from './auth.js';
import type {RouteContext} from './context.js';
import {appendAudit, createVault, findVault, holdUserQuota, replaceHeader, vaultsCreatedBy, vaultsOf} from './data.js';
import {ApiError} from './errors.js';
import {teamAccess, vaultOwner} from './team-members.js';

/**
 * Health, the vaults a token reaches, and each vault's header: stored as the client sent it (the
 * server cannot check a key slot it cannot open) and parsed by the client that clones.
 */
export function vaultRoutes(app: FastifyInstance, {store, limits, authorize}: RouteContext): void {
	app.get('/v1/health', async () => ({ok: true}));

	app.get('/v1/vaults', {schema: {querystring: noQuerySchema}}, async (request): Promise<VaultList> => {
		const token = await authorize(request, 'secrets:read');
		return store.transaction(async tx => {
			const vaults = (await vaultsOf(tx, token.user)).filter(vault => token.vaultId === null || vault.id === token.vaultId);
			await appendAudit(tx, actor(request, token), [{vaultId: null, recordId: null, action: 'list_vaults'}]);
			return {vaults};
		});
	});

	app.put<{Params: {vaultId: string}; Body: {header: Record<string, unknown>}}>(
		'/v1/vaults/:vaultId',
		{bodyLimit: limits.maxHeaderBytes, schema: {params: vaultParamsSchema, querystring: noQuerySchema, body: putHeaderBodySchema}},
		async (request, reply) => {
			const token = await authorize(request, 'secrets:write');
			const {vaultId} = request.params;
			assertTokenScope(token, vaultId);
			const header = JSON.stringify(request.body.header);
			const created = await store.transaction(async tx => {
				if (!(await findVault(tx, vaultId, store.forUpdate))) {
					await holdUserQuota(tx, store.kind, token.user);
					const owned = await vaultsCreatedBy(tx, token.user);
					if (limits.maxVaultsPerUser > 0 && owned >= limits.maxVaultsPerUser) {
						throw new ApiError(403, 'forbidden', `${token.user} has created ${owned} vaults, the most this server allows (an operator can raise hush serve --max-vaults)`);
					}

					if (await createVault(tx, vaultId, header, token.user)) {
						await appendAudit(tx, actor(request, token), [{vaultId, recordId: null, action: 'create_vault'}]);
						return true;
					}
					// Another server sharing the database created it since our look: answer as for any existing vault.
				}

				await reachVault(tx, token, vaultId, store.forUpdate);
				// A team vault's header (its key slots) is its owner's alone: a member replacing it could
				// lock everyone else out of the vault, or point their devices at a key slot of their making.
				if ((await teamAccess(tx, vaultId, token.user)).team && (await vaultOwner(tx, vaultId)) !== token.user) {
					throw new ApiError(403, 'forbidden', 'only the owner of a team vault may replace its header');
				}

				await replaceHeader(tx, vaultId, header);
				await appendAudit(tx, actor(request, token), [{vaultId, recordId: null, action: 'update_header'}]);
				return false;
			});
			const result: PutHeaderResult = {id: vaultId, created};
			return reply.status(created ? 201 : 200).send(result);
		},
	);

	app.get<{Params: {vaultId: string}}>('/v1/vaults/:vaultId', {schema: {params: vaultParamsSchema, querystring: noQuerySchema}}, async request => {
		const token = await authorize(request, 'secrets:read');
		const {vaultId} = request.params;
		return store.transaction(async tx => {
			const vault = await reachVault(tx, token, vaultId);
			// A team vault's header is its owner's passphrase-wrapped root key, which seals the owner's
			// private secrets: another member has no use for it (a new device joins, it does not clone)
			// and must not get something to guess the owner's passphrase against offline.
			if ((await teamAccess(tx, vaultId, token.user)).team && (await vaultOwner(tx, vaultId)) !== token.user) {
				throw new ApiError(403, 'forbidden', 'only the owner of a team vault may read its header: a new device joins the team with an invite');
			}

			await appendAudit(tx, actor(request, token), [{vaultId, recordId: null, action: 'read_header'}]);
			// The header as stored: the client parses it (protocol/header.ts) before using any of it.
			return {id: vaultId, header: JSON.parse(vault.header) as unknown, lastSeq: vault.lastSeq};
		});
	});
}
