import type {FastifyInstance} from 'fastify';
import {auditQuerySchema} from '../protocol/index.js';
import {actor} from './auth.js';
import type {RouteContext} from './context.js';
import {appendAudit, readAudit, type ServerAuditEntry} from './data.js';
import {queryNumber} from './query.js';

/** The server's audit log, newest first, for admin tokens. Reading it is audited too. */
export function auditRoutes(app: FastifyInstance, {store, authorize}: RouteContext): void {
	app.get<{Querystring: {limit?: string}}>('/v1/audit', {schema: {querystring: auditQuerySchema}}, async (request): Promise<{entries: ServerAuditEntry[]}> => {
		const limit = queryNumber(request.query.limit, 'limit', 100, 1, 10_000);
		const token = await authorize(request, 'admin');
		return store.transaction(async tx => {
			const entries = await readAudit(tx, limit);
			await appendAudit(tx, actor(request, token), [{vaultId: null, recordId: null, action: 'read_audit'}]);
			return {entries};
		});
	});
}
