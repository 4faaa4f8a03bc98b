import {base64Pattern} from './encoding.js';
import {maxHeaderFields} from './header.js';
import {idPattern, maxBase64Chars} from './wire.js';

/**
 * The JSON schemas the server validates requests with (Fastify compiles them with Ajv). They state
 * the same contract as the parsers in wire.ts, from the same constants; a push the schema lets
 * through is one {@link parsePushRecord} accepts. The header is stored for clients to parse: the
 * server only bounds it (see header.ts).
 */

const b64 = {type: 'string', pattern: base64Pattern, maxLength: maxBase64Chars} as const;
const sealed = {type: 'object', required: ['nonce', 'ciphertext'], additionalProperties: false, properties: {nonce: b64, ciphertext: b64}} as const;
const id = {type: 'string', pattern: idPattern} as const;

export const vaultParamsSchema = {type: 'object', required: ['vaultId'], properties: {vaultId: id}} as const;

export const putHeaderBodySchema = {
	type: 'object',
	required: ['header'],
	additionalProperties: false,
	properties: {header: {type: 'object', maxProperties: maxHeaderFields}},
} as const;

export function changesQuerySchema(pageSize: number) {
	return {
		type: 'object',
		additionalProperties: false,
		properties: {since: {type: 'integer', minimum: 0}, limit: {type: 'integer', minimum: 1, maximum: pageSize}},
	} as const;
}

export const pushRecordSchema = {
	type: 'object',
	required: ['id', 'rev', 'baseRev', 'deleted', 'private', 'keyGeneration', 'meta', 'values'],
	additionalProperties: false,
	properties: {
		id,
		rev: {type: 'integer', minimum: 1},
		baseRev: {type: 'integer', minimum: 0},
		deleted: {type: 'boolean'},
		private: {type: 'boolean'},
		keyGeneration: {type: 'integer', minimum: 1},
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
	properties: {limit: {type: 'integer', minimum: 1, maximum: 10_000}},
} as const;
