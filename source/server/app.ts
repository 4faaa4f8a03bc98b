import Fastify, {type FastifyInstance} from 'fastify';
import {maxPageSize, strictAjvOptions} from '../protocol/index.js';
import {auditRoutes} from './audit-routes.js';
import {authorizer} from './auth.js';
import {installCompression} from './compression.js';
import {type RouteContext, type ServerLimits, defaultServerLimits} from './context.js';
import {installErrorHandling} from './errors.js';
import {RateLimiter} from './rate-limit.js';
import {recordRoutes} from './record-routes.js';
import type {Store} from './store.js';
import {teamAuditRoutes} from './team-audit-routes.js';
import {teamInviteRoutes} from './team-invite-routes.js';
import {teamRoutes} from './team-routes.js';
import {vaultRoutes} from './vault-routes.js';

/**
 * The HTTP JSON API (its contract: source/protocol/). The server stores what clients send — ids,
 * revisions, a deleted flag, a private flag, key generations and ciphertexts — and never anything
 * it could decrypt: no passphrase, no key, no name, no value. Every read and write of a vault
 * appends an audit entry in the same transaction as the change, so a failed audit write fails the
 * request.
 */

export {defaultServerLimits, type ServerLimits};

export type ServerOptions = Partial<ServerLimits> & {
	store: Store;
	/** Serve HTTPS with this certificate and key. */
	https?: {cert: Buffer; key: Buffer};
};

export function buildServer(options: ServerOptions): FastifyInstance {
	const limits: ServerLimits = {
		bodyLimit: options.bodyLimit ?? defaultServerLimits.bodyLimit,
		maxRecordsPerRequest: options.maxRecordsPerRequest ?? defaultServerLimits.maxRecordsPerRequest,
		rateLimit: options.rateLimit ?? defaultServerLimits.rateLimit,
		// A page larger than the protocol allows would be refused by every client.
		pageSize: Math.min(options.pageSize ?? defaultServerLimits.pageSize, maxPageSize),
		maxHeaderBytes: options.maxHeaderBytes ?? defaultServerLimits.maxHeaderBytes,
		maxVaultsPerUser: options.maxVaultsPerUser ?? defaultServerLimits.maxVaultsPerUser,
	};
	const app = Fastify({
		bodyLimit: limits.bodyLimit,
		logger: false,
		return503OnClosing: true,
		forceCloseConnections: 'idle',
		ajv: {customOptions: strictAjvOptions},
		...(options.https ? {https: options.https} : {}),
	}) as unknown as FastifyInstance;
	installErrorHandling(app);
	installCompression(app);

	const context: RouteContext = {store: options.store, limits, authorize: authorizer(options.store, new RateLimiter(limits.rateLimit))};
	vaultRoutes(app, context);
	recordRoutes(app, context);
	auditRoutes(app, context);
	teamRoutes(app, context);
	teamInviteRoutes(app, context);
	teamAuditRoutes(app, context);
	return app;
}
