import {createHash, randomBytes, timingSafeEqual} from 'node:crypto';
import {formatToken, parseToken, tokenIdLength, tokenSecretBytes} from '../protocol/index.js';
import {grantVault} from './data.js';
import type {Store, Tx} from './store.js';
import {refuseRemovedUser} from './team-members.js';

/**
 * API tokens, in the format protocol/token.ts defines: `hush_<id>_<secret>`. The id is public (it
 * names the token in `token list` and `token revoke`); the 32-byte random secret is shown once and
 * stored only as its SHA-256, which is compared in constant time. A high-entropy secret needs no
 * slow hash.
 */

export const permissions = ['secrets:read', 'secrets:write', 'admin'] as const;
export type Permission = (typeof permissions)[number];

export type TokenInfo = {
	id: string;
	user: string;
	perms: Permission[];
	/** When set, the token reaches this vault only. */
	vaultId: string | null;
	createdAt: string;
	revokedAt: string | null;
};

const userPattern = /^[A-Za-z0-9][A-Za-z0-9._@-]{0,63}$/;

function digest(secret: string): Buffer {
	return createHash('sha256').update(secret, 'utf8').digest();
}

export function parsePermissions(text: string): Permission[] {
	const perms = text.split(',').map(part => part.trim()).filter(Boolean);
	if (perms.length === 0) {
		throw new Error('give at least one permission: secrets:read, secrets:write, admin');
	}

	for (const perm of perms) {
		if (!(permissions as readonly string[]).includes(perm)) {
			throw new Error(`unknown permission ${JSON.stringify(perm)}: use secrets:read, secrets:write, admin`);
		}
	}

	return [...new Set(perms)] as Permission[];
}

export function assertUserName(user: string): void {
	if (!userPattern.test(user)) {
		throw new Error('a user name is 1–64 characters: letters, digits, . _ @ -');
	}
}

export async function createToken(tx: Tx, input: {user: string; perms: Permission[]; vaultId?: string | null}): Promise<{token: string; info: TokenInfo}> {
	assertUserName(input.user);
	if (input.vaultId) {
		// A member the team's log removed gets no way back in through the server (a 403 ApiError).
		await refuseRemovedUser(tx, input.vaultId, input.user);
	}

	const id = randomBytes(tokenIdLength / 2).toString('hex');
	const secret = randomBytes(tokenSecretBytes).toString('base64url');
	const createdAt = new Date().toISOString();
	await tx.run('INSERT INTO tokens (id, user_name, perms, vault_id, secret_hash, created_at) VALUES (?, ?, ?, ?, ?, ?)', [
		id,
		input.user,
		input.perms.join(','),
		input.vaultId ?? null,
		digest(secret).toString('hex'),
		createdAt,
	]);
	if (input.vaultId) {
		await grantVault(tx, input.vaultId, input.user);
	}

	return {token: formatToken({id, secret}), info: {id, user: input.user, perms: input.perms, vaultId: input.vaultId ?? null, createdAt, revokedAt: null}};
}

function toInfo(row: Record<string, unknown>): TokenInfo {
	return {
		id: String(row['id']),
		user: String(row['user_name']),
		perms: String(row['perms']).split(',') as Permission[],
		vaultId: (row['vault_id'] as string | null) ?? null,
		createdAt: String(row['created_at']),
		revokedAt: (row['revoked_at'] as string | null) ?? null,
	};
}

export async function listTokens(tx: Tx): Promise<TokenInfo[]> {
	return (await tx.all('SELECT id, user_name, perms, vault_id, created_at, revoked_at FROM tokens ORDER BY created_at, id')).map(toInfo);
}

export async function revokeToken(tx: Tx, id: string): Promise<boolean> {
	return (await tx.run('UPDATE tokens SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL', [new Date().toISOString(), id])) > 0;
}

const dummyHash = digest('not a token');

/** The token's record if `presented` is a live token, else null. Always hashes and compares once. */
export async function authenticate(store: Store, presented: string | undefined): Promise<TokenInfo | null> {
	const parts = presented === undefined ? null : parseToken(presented);
	const rows = parts ? await store.transaction(tx => tx.all('SELECT * FROM tokens WHERE id = ?', [parts.id])) : [];
	const row = rows[0];
	const stored = row ? Buffer.from(String(row['secret_hash']), 'hex') : dummyHash;
	const given = digest(parts?.secret ?? '');
	const equal = stored.length === given.length && timingSafeEqual(stored, given);
	if (!row || !equal || row['revoked_at']) {
		return null;
	}

	return toInfo(row);
}

export function initialAdmin(store: Store, user: string): Promise<{token: string; info: TokenInfo} | null> {
	return store.transaction(async tx => {
		const admins = await tx.all("SELECT id FROM tokens WHERE perms LIKE '%admin%' AND revoked_at IS NULL");
		if (admins.length > 0) {
			return null;
		}

		return createToken(tx, {user, perms: ['secrets:read', 'secrets:write', 'admin']});
	});
}
