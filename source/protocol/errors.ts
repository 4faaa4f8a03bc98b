import {clean, object} from './fields.js';

/**
 * Every error the server answers is `{"error": {"code": …, "message": …}}` with one of these codes;
 * the message is one line written for a person. A client prints neither without cleaning it:
 * {@link parseErrorBody} keeps a known-shaped, printable code and a short printable message.
 */

export const errorCodes = [
	'bad_request',
	'invalid_request',
	'body_too_large',
	'unsupported_encoding',
	'unauthorized',
	'forbidden',
	'rate_limited',
	'not_found',
	'vault_not_found',
	'internal',
] as const;

export type ErrorCode = (typeof errorCodes)[number];

export type ErrorBody = {error: {code: ErrorCode; message: string}};

export function errorBody(code: ErrorCode, message: string): ErrorBody {
	return {error: {code, message}};
}

const codeShape = /^[a-z][a-z0-9_]{0,39}$/;

/**
 * The code and message of a server's error answer, made safe to print; null when the body is not
 * an error body. An unknown but well-formed code is kept (a newer server may add codes).
 */
export function parseErrorBody(value: unknown): {code: string | null; message: string | null} | null {
	let error: Record<string, unknown>;
	try {
		error = object(object(value, 'body')['error'], 'error');
	} catch {
		return null;
	}

	const code = typeof error['code'] === 'string' && codeShape.test(error['code']) ? error['code'] : null;
	const message = typeof error['message'] === 'string' ? clean(error['message']).trim() || null : null;
	return {code, message};
}
