import type {FastifyRequest} from 'fastify';
import {bearerToken} from '../protocol/index.js';
import {type Actor, type VaultRow, findVault, isMember} from './data.js';
import {ApiError} from './errors.js';
import type {RateLimiter} from './rate-limit.js';
import type {Store, Tx} from './store.js';
import {type Permission, type TokenInfo, authenticate} from './tokens.js';

/**
 * Who may do what: the bearer token (401), the per-token rate limit (429), the permission (403),
 * and vault reach (404: a vault a token does not reach is reported as absent).
 */

export type Authorize = (request: FastifyRequest, perm: Permission) => Promise<TokenInfo>;

export function authorizer(store: Store, limiter: RateLimiter): Authorize {
	return async (request, perm) => {
		const presented = bearerToken(request.headers.authorization);
		const token = await authenticate(store, presented);
		if (!token) {
			throw new ApiError(401, 'unauthorized', presented === undefined ? 'this request needs a token (Authorization: Bearer …)' : 'the token is not valid');
		}

		if (!limiter.take(token.id)) {
			throw new ApiError(429, 'rate_limited', 'too many requests for this token: slow down');
		}

		if (!token.perms.includes(perm)) {
			throw new ApiError(403, 'forbidden', `this token lacks the ${perm} permission`);
		}

		return token;
	};
}

export function actor(request: FastifyRequest, token: TokenInfo): Actor {
	return {user: token.user, tokenId: token.id, client: request.ip};
}

export function vaultNotFound(): ApiError {
	return new ApiError(404, 'vault_not_found', 'no such vault for this token');
}

/** Whether a token scoped to one vault may name `vaultId` at all. */
export function assertTokenScope(token: TokenInfo, vaultId: string): void {
	if (token.vaultId !== null && token.vaultId !== vaultId) {
		throw vaultNotFound();
	}
}

/** The vault's row if `token` reaches it, else a 404; `lock` (the store's `forUpdate`) holds the row. */
export async function reachVault(tx: Tx, token: TokenInfo, vaultId: string, lock = ''): Promise<VaultRow> {
	const vault = await findVault(tx, vaultId, lock);
	const member = await isMember(tx, vaultId, token.user);
	if (!vault || !member || (token.vaultId !== null && token.vaultId !== vaultId)) {
		throw vaultNotFound();
	}

	return vault;
}
