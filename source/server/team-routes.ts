import type {FastifyInstance} from 'fastify';
import {ProtocolError, noQuerySchema, vaultParamsSchema} from '../protocol/index.js';
import {
	type TeamAppendAnswer,
	type TeamLogPage,
	maxTeamLogPage,
	maxTeamSeq,
	parseTeamAppendRequest,
	teamAppendBodySchema,
	teamLogQuerySchema,
} from '../protocol/team.js';
import {actor, reachVault} from './auth.js';
import type {RouteContext} from './context.js';
import {appendAudit} from './data.js';
import {ApiError} from './errors.js';
import {queryNumber} from './query.js';
import {TeamLogConflict, TeamLogRefused, appendTeamLog, readTeamLog} from './team-log-store.js';

/**
 * A vault's team: its membership log (contract: protocol/team.ts). One team per vault, whose id
 * is the vault's id, reached with the vault's tokens: whoever may read the vault reads the log
 * (every member's client verifies it), whoever may write it may append, and the store refuses
 * anything not signed by a current admin. Only the vault's owner (the user who first uploaded it)
 * may make it a team. Reads and appends are audited in their transaction.
 */
export function teamRoutes(app: FastifyInstance, {store, authorize}: RouteContext): void {
	app.get<{Params: {vaultId: string}; Querystring: {since?: string; limit?: string}}>(
		'/v1/vaults/:vaultId/team/log',
		{schema: {params: vaultParamsSchema, querystring: teamLogQuerySchema}},
		async (request): Promise<TeamLogPage> => {
			const since = queryNumber(request.query.since, 'since', 0, 0, maxTeamSeq + 1);
			const limit = queryNumber(request.query.limit, 'limit', maxTeamLogPage, 1, maxTeamLogPage);
			const token = await authorize(request, 'secrets:read');
			const {vaultId} = request.params;
			return store.transaction(async tx => {
				await reachVault(tx, token, vaultId);
				const {entries, head} = await readTeamLog(tx, vaultId, since - 1, limit);
				if (head === null) {
					throw new ApiError(404, 'not_found', 'this vault is not a team: its owner makes it one with hush team init');
				}

				await appendAudit(tx, actor(request, token), [{vaultId, recordId: null, action: 'read_team_log', records: entries.length}]);
				return {entries, head, more: entries.length === limit && since + entries.length <= head.seq};
			});
		},
	);

	app.post<{Params: {vaultId: string}; Body: unknown}>(
		'/v1/vaults/:vaultId/team/log',
		{schema: {params: vaultParamsSchema, querystring: noQuerySchema, body: teamAppendBodySchema}},
		async (request, reply) => {
			const token = await authorize(request, 'secrets:write');
			const {vaultId} = request.params;
			let body;
			try {
				body = parseTeamAppendRequest(request.body);
			} catch (error) {
				throw error instanceof ProtocolError ? new ApiError(400, 'invalid_request', `invalid request: ${error.message}`) : error;
			}

			const answer = await store.transaction(async (tx): Promise<TeamAppendAnswer> => {
				// Locking the vault's row serialises appends to its log across `hush serve` processes.
				await reachVault(tx, token, vaultId, store.forUpdate);
				if (body.expected === null) {
					const owner = (await tx.all('SELECT created_by FROM vaults WHERE id = ?', [vaultId]))[0]?.['created_by'];
					if (owner !== token.user) {
						throw new ApiError(403, 'forbidden', 'only the vault\'s owner (the user who first synced it) can make it a team');
					}
				}

				try {
					const head = await appendTeamLog(tx, {teamId: vaultId, expected: body.expected, entries: body.entries, actor: token.user});
					await appendAudit(tx, actor(request, token), [{vaultId, recordId: null, action: 'append_team_log', records: body.entries.length}]);
					return {status: 'appended', head};
				} catch (error) {
					if (error instanceof TeamLogConflict) {
						return {status: 'conflict', head: error.head};
					}

					if (error instanceof TeamLogRefused) {
						throw new ApiError(error.forbidden ? 403 : 400, error.forbidden ? 'forbidden' : 'invalid_request', `membership change refused: ${error.message}`);
					}

					throw error;
				}
			});
			return reply.status(answer.status === 'appended' ? 200 : 409).send(answer);
		},
	);
}
