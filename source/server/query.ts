import {ApiError} from './errors.js';

/**
 * A number from a query string, which the schema has already held to plain decimal digits (at most
 * 15, so exact): `fallback` when absent, a 400 when outside `min`–`max`.
 */
export function queryNumber(value: string | undefined, name: string, fallback: number, min: number, max: number): number {
	if (value === undefined) {
		return fallback;
	}

	const number = Number(value);
	if (!Number.isSafeInteger(number) || number < min || number > max) {
		throw new ApiError(400, 'invalid_request', `invalid request: ${name} must be an integer from ${min} to ${max}`);
	}

	return number;
}
