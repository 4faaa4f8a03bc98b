import type {FastifyInstance} from 'fastify';
import {type AuditEntry, auditQuerySchema} from '../protocol/index.js';
import {actor} from './auth.js';
import type {RouteContext} from './context.js';
import {appendAudit, readAudit} from './data.js';

/** The server's audit log, newest first, for admin tokens. Reading it is audited too. */
export function auditRoutes(app: FastifyInstance, {store, authorize}: RouteContext): void {
	app.get<{Querystring: {limit?: number}}>('/v1/audit', {schema: {querystring: auditQuerySchema}}, async (request): Promise<{entries: AuditEntry[]}> => {
		const token = await authorize(request, 'admin');
		return store.transaction(async tx => {
			const entries = await readAudit(tx, request.query.limit ?? 100);
			await appendAudit(tx, actor(request, token), [{vaultId: null, recordId: null, action: 'read_audit'}]);
			return {entries};
		});
	});
}
