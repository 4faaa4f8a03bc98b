import {base64Pattern} from './encoding.js';
import {maxHeaderFields} from './header.js';
import {idPattern, maxBase64Chars, maxKeyGeneration} from './wire.js';

/**
 * The JSON schemas the server validates requests with (Fastify compiles them with Ajv, configured
 * by {@link strictAjvOptions}). They state the same contract as the parsers in wire.ts, from the
 * same constants; a push the schema lets through is one {@link parsePushRecord} accepts. Every
 * object refuses fields it does not name, and every integer has an upper bound the databases can
 * hold: a number JSON allows (1e300, 2^63) is refused here, not stored or turned into a 500. The
 * header is stored for clients to parse: the server only bounds it (see header.ts).
 */

/** Highest revision (and base revision) a record may carry: exact in a JS number and in a BIGINT. */
export const maxRevision = Number.MAX_SAFE_INTEGER;
export {maxKeyGeneration} from './wire.js';
/** Longest text of one field in a stored header (the largest real one, the KDF JSON, is ≤ 1024). */
export const maxHeaderText = 4096;

/**
 * Ajv as the server runs it: no type coercion ("2" is not 2, "" is not 0, [1] is not 1) and no
 * silent removal of unknown fields: a request is taken exactly as sent, or refused.
 */
export const strictAjvOptions = {coerceTypes: false, removeAdditional: false, useDefaults: false, allErrors: false} as const;

const b64 = {type: 'string', pattern: base64Pattern, maxLength: maxBase64Chars} as const;
const sealed = {type: 'object', required: ['nonce', 'ciphertext'], additionalProperties: false, properties: {nonce: b64, ciphertext: b64}} as const;
const id = {type: 'string', pattern: idPattern} as const;
/** A cursor or a count in a query string: plain decimal digits (no sign, exponent, space or hex), at most 15 of them. */
const digits = {type: 'string', pattern: '^(?:0|[1-9][0-9]{0,14})$'} as const;

/** For routes that take no query parameters: any is refused rather than ignored. */
export const noQuerySchema = {type: 'object', additionalProperties: false, properties: {}} as const;

export const vaultParamsSchema = {type: 'object', required: ['vaultId'], additionalProperties: false, properties: {vaultId: id}} as const;

const headerScalar = {anyOf: [{type: 'string', maxLength: maxHeaderText}, {type: 'number'}, {type: 'boolean'}, {type: 'null'}]} as const;

/**
 * The header is opaque to the server, but bounded: at most {@link maxHeaderFields} fields, each a
 * scalar or an object of scalars (the key slot), so its depth and size are known before it is
 * stored or serialised. Its byte size is bounded by the route's body limit.
 */
export const putHeaderBodySchema = {
	type: 'object',
	required: ['header'],
	additionalProperties: false,
	properties: {
		header: {
			type: 'object',
			maxProperties: maxHeaderFields,
			additionalProperties: {anyOf: [headerScalar, {type: 'object', maxProperties: maxHeaderFields, additionalProperties: headerScalar}]},
		},
	},
} as const;

/** `since` and `limit` arrive as digit strings (query strings have no numbers); the route bounds `limit`. */
export const changesQuerySchema = {
	type: 'object',
	additionalProperties: false,
	properties: {since: digits, limit: digits},
} as const;

export const pushRecordSchema = {
	type: 'object',
	required: ['id', 'rev', 'baseRev', 'deleted', 'private', 'keyGeneration', 'meta', 'values'],
	additionalProperties: false,
	properties: {
		id,
		rev: {type: 'integer', minimum: 1, maximum: maxRevision},
		baseRev: {type: 'integer', minimum: 0, maximum: maxRevision},
		deleted: {type: 'boolean'},
		private: {type: 'boolean'},
		keyGeneration: {type: 'integer', minimum: 1, maximum: maxKeyGeneration},
		meta: sealed,
		values: {anyOf: [sealed, {type: 'null'}]},
	},
} as const;

export function pushBodySchema(maxRecords: number) {
	return {
		type: 'object',
		required: ['records'],
		additionalProperties: false,
		properties: {records: {type: 'array', minItems: 1, maxItems: maxRecords, items: pushRecordSchema}},
	} as const;
}

export const auditQuerySchema = {
	type: 'object',
	additionalProperties: false,
	properties: {limit: digits},
} as const;
