/**
 * API tokens: `hush_<id>_<secret>`. The id (16 hex digits) is public: it names the token in
 * `hush server token list|revoke`. The secret (32 random bytes, base64url, 43 characters) is shown
 * once; the server keeps only its hash (see server/tokens.ts). A token travels as
 * `Authorization: Bearer <token>`.
 */

export const tokenPrefix = 'hush_';
export const tokenIdLength = 16;
export const tokenSecretBytes = 32;

export const tokenPattern = /^hush_([0-9a-f]{16})_([A-Za-z0-9_-]{43})$/;

export type TokenParts = {id: string; secret: string};

export function formatToken(parts: TokenParts): string {
	const token = `${tokenPrefix}${parts.id}_${parts.secret}`;
	if (!tokenPattern.test(token)) {
		throw new RangeError('a token id is 16 hex digits and its secret 43 base64url characters');
	}

	return token;
}

/** The id and secret of a token-shaped string, else null. */
export function parseToken(text: string): TokenParts | null {
	const match = tokenPattern.exec(text);
	return match ? {id: match[1]!, secret: match[2]!} : null;
}

/** The token presented in an Authorization header value, or undefined when none is. */
export function bearerToken(header: string | undefined): string | undefined {
	return header?.startsWith('Bearer ') ? header.slice(7) : undefined;
}

export function bearerHeader(token: string): string {
	return `Bearer ${token}`;
}
