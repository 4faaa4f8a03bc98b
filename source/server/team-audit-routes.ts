import type {FastifyInstance} from 'fastify';
import {vaultParamsSchema} from '../protocol/index.js';
import {type TeamAuditEntry, type TeamAuditPage, defaultTeamAuditLimit, maxAuditSeq, maxTeamAuditPage, teamAuditQuerySchema} from '../protocol/team-audit.js';
import {actor, reachVault} from './auth.js';
import type {RouteContext} from './context.js';
import {appendAudit} from './data.js';
import {ApiError} from './errors.js';
import {queryNumber} from './query.js';
import type {Row, Tx} from './store.js';
import {teamAccess} from './team-members.js';

/**
 * A team vault's audit for its admins (contract: protocol/team-audit.ts): who pulled, pushed,
 * invited, joined or changed the log, from the server's own audit rows. The admin is the log's
 * (as the server verified it), not the token's: a write token of a non-admin is refused.
 */
export function teamAuditRoutes(app: FastifyInstance, {store, authorize}: RouteContext): void {
	app.get<{Params: {vaultId: string}; Querystring: {since?: string; limit?: string}}>(
		'/v1/vaults/:vaultId/team/audit',
		{schema: {params: vaultParamsSchema, querystring: teamAuditQuerySchema}},
		async (request): Promise<TeamAuditPage> => {
			const since = request.query.since === undefined ? undefined : queryNumber(request.query.since, 'since', 0, 0, maxAuditSeq);
			const limit = queryNumber(request.query.limit, 'limit', defaultTeamAuditLimit, 1, maxTeamAuditPage);
			const token = await authorize(request, 'secrets:read');
			const {vaultId} = request.params;
			return store.transaction(async tx => {
				await reachVault(tx, token, vaultId);
				const access = await teamAccess(tx, vaultId, token.user);
				if (!access.team) {
					throw new ApiError(404, 'not_found', 'this vault is not a team: its owner makes it one with hush team init');
				}

				if (access.role !== 'admin') {
					throw new ApiError(403, 'forbidden', `only an admin of the team may read its audit (${token.user} is ${access.role ? `a ${access.role} member` : 'not a current member'})`);
				}

				const entries = await vaultAudit(tx, vaultId, since, limit);
				await appendAudit(tx, actor(request, token), [{vaultId, recordId: null, action: 'read_team_audit', records: entries.length}]);
				return {entries};
			});
		},
	);
}

async function vaultAudit(tx: Tx, vaultId: string, since: number | undefined, limit: number): Promise<TeamAuditEntry[]> {
	const columns = 'SELECT seq, at, user_name, action, record_id, records FROM audit WHERE vault_id = ?';
	const rows =
		since === undefined
			? (await tx.all(`${columns} ORDER BY seq DESC LIMIT ?`, [vaultId, limit])).reverse()
			: await tx.all(`${columns} AND seq > ? ORDER BY seq LIMIT ?`, [vaultId, since, limit]);
	return rows.map(toEntry);
}

function toEntry(row: Row): TeamAuditEntry {
	const optional = (value: unknown) => (value === null || value === undefined ? null : value);
	const records = optional(row['records']);
	const recordId = optional(row['record_id']);
	return {
		seq: Number(row['seq']),
		at: String(row['at']),
		user: String(row['user_name']),
		action: String(row['action']),
		recordId: recordId === null ? null : String(recordId),
		records: records === null ? null : Number(records),
	};
}
