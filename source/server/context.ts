import type {Authorize} from './auth.js';
import type {Store} from './store.js';

export type ServerLimits = {
	/** Largest request body in bytes (after gzip decoding). */
	bodyLimit: number;
	/** Most records one push may carry. */
	maxRecordsPerRequest: number;
	/** Requests per minute per token; 0 turns the limit off. */
	rateLimit: number;
	/** Most records one pull returns. */
	pageSize: number;
	/** Largest vault header upload in bytes (a real header is about 1 KiB). */
	maxHeaderBytes: number;
	/** Most vaults one user may create; 0 turns the limit off. */
	maxVaultsPerUser: number;
};

export const defaultServerLimits: ServerLimits = {
	bodyLimit: 8 * 1024 * 1024,
	maxRecordsPerRequest: 1000,
	rateLimit: 6000,
	pageSize: 2000,
	maxHeaderBytes: 16 * 1024,
	maxVaultsPerUser: 100,
};

/** What every route group is given. */
export type RouteContext = {store: Store; limits: ServerLimits; authorize: Authorize};
