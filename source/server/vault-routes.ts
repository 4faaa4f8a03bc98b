import type {FastifyInstance} from 'fastify';
import {type PutHeaderResult, type VaultList, putHeaderBodySchema, vaultParamsSchema} from '../protocol/index.js';
import {actor, assertTokenScope, reachVault} from './auth.js';
import type {RouteContext} from './context.js';
import {appendAudit, createVault, findVault, replaceHeader, vaultsOf} from './data.js';

/**
 * Health, the vaults a token reaches, and each vault's header: stored as the client sent it (the
 * server cannot check a key slot it cannot open) and parsed by the client that clones.
 */
export function vaultRoutes(app: FastifyInstance, {store, authorize}: RouteContext): void {
	app.get('/v1/health', async () => ({ok: true}));

	app.get('/v1/vaults', async (request): Promise<VaultList> => {
		const token = await authorize(request, 'secrets:read');
		return store.transaction(async tx => {
			const vaults = (await vaultsOf(tx, token.user)).filter(vault => token.vaultId === null || vault.id === token.vaultId);
			await appendAudit(tx, actor(request, token), [{vaultId: null, recordId: null, action: 'list_vaults'}]);
			return {vaults};
		});
	});

	app.put<{Params: {vaultId: string}; Body: {header: Record<string, unknown>}}>(
		'/v1/vaults/:vaultId',
		{schema: {params: vaultParamsSchema, body: putHeaderBodySchema}},
		async (request, reply) => {
			const token = await authorize(request, 'secrets:write');
			const {vaultId} = request.params;
			assertTokenScope(token, vaultId);
			const header = JSON.stringify(request.body.header);
			const created = await store.transaction(async tx => {
				if (await findVault(tx, vaultId, store.forUpdate)) {
					await reachVault(tx, token, vaultId);
					await replaceHeader(tx, vaultId, header);
					await appendAudit(tx, actor(request, token), [{vaultId, recordId: null, action: 'update_header'}]);
					return false;
				}

				await createVault(tx, vaultId, header, token.user);
				await appendAudit(tx, actor(request, token), [{vaultId, recordId: null, action: 'create_vault'}]);
				return true;
			});
			const result: PutHeaderResult = {id: vaultId, created};
			return reply.status(created ? 201 : 200).send(result);
		},
	);

	app.get<{Params: {vaultId: string}}>('/v1/vaults/:vaultId', {schema: {params: vaultParamsSchema}}, async request => {
		const token = await authorize(request, 'secrets:read');
		const {vaultId} = request.params;
		return store.transaction(async tx => {
			const vault = await reachVault(tx, token, vaultId);
			await appendAudit(tx, actor(request, token), [{vaultId, recordId: null, action: 'read_header'}]);
			// The header as stored: the client parses it (protocol/header.ts) before using any of it.
			return {id: vaultId, header: JSON.parse(vault.header) as unknown, lastSeq: vault.lastSeq};
		});
	});
}
