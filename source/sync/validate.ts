import {IntegrityError, InvalidInputError} from '../errors.js';
import {assertPrintableText, assertValidKey, assertValidMetadata, assertValidName, assertValidType, assertValidValue} from '../vault/model.js';
import type {SealedMeta, ValueBuffers} from '../vault/records.js';

/**
 * A pulled record is checked like local input once it has opened: a teammate's modified client
 * seals whatever it likes under the shared key, and authenticating a record proves only who could
 * have written it, not that it is well formed. The checks are the vault's own (vault/model.ts):
 * name, key names, values (size, NUL, Unicode), type, free text (no control characters), dates.
 * Any failure throws, and the record is quarantined rather than applied (see quarantine.ts).
 */

const maxActorLength = 1024;

/** The sealed metadata of a pulled record, checked field by field; `deleted` and `isPrivate` come from the wire. */
export function checkPulledMeta(meta: unknown, expected: {deleted: boolean; isPrivate: boolean}): SealedMeta {
	if (typeof meta !== 'object' || meta === null || Array.isArray(meta)) {
		throw new InvalidInputError('its metadata is not an object');
	}

	const fields = meta as Record<string, unknown>;
	const name = textField(fields, 'name');
	assertValidName(name);
	if (typeof fields['private'] !== 'boolean' || typeof fields['writeOnly'] !== 'boolean') {
		throw new InvalidInputError('its private or write-only flag is not true or false');
	}

	if (fields['private'] !== expected.isPrivate) {
		throw new IntegrityError('its private flag on the server disagrees with its sealed metadata');
	}

	const type = textField(fields, 'type');
	assertValidType(type);
	const expiresAt = fields['expiresAt'];
	if (expiresAt !== null && typeof expiresAt !== 'string') {
		throw new InvalidInputError('its expiry is neither a date nor empty');
	}

	assertValidMetadata({type, description: textField(fields, 'description'), integration: textField(fields, 'integration'), expiresAt});
	for (const field of ['createdAt', 'updatedAt'] as const) {
		assertDate(field, textField(fields, field));
	}

	for (const field of ['createdBy', 'updatedBy'] as const) {
		if (field === 'createdBy' || fields[field] !== undefined) {
			const actor = textField(fields, field);
			assertPrintableText(field, actor);
			if (actor.length > maxActorLength) {
				throw new InvalidInputError(`${field} is too long: at most ${maxActorLength} characters`);
			}
		}
	}

	if (fields['createdByAgent'] !== undefined && fields['createdByAgent'] !== true) {
		throw new InvalidInputError('its agent mark is neither true nor absent');
	}

	if (fields['deletedAt'] !== undefined) {
		assertDate('deletedAt', textField(fields, 'deletedAt'));
	}

	if (fields['deletedAt'] !== undefined !== expected.deleted) {
		throw new IntegrityError('its deleted flag on the server disagrees with its sealed metadata');
	}

	const keys = fields['keys'];
	if (!Array.isArray(keys) || keys.some(key => typeof key !== 'string') || new Set(keys).size !== keys.length) {
		throw new InvalidInputError('its key list is not a list of distinct names');
	}

	for (const key of keys as string[]) {
		assertValidKey(key);
	}

	if (!expected.deleted && keys.length === 0) {
		throw new InvalidInputError('it is a live secret without keys');
	}

	return meta as SealedMeta;
}

const utf8 = new TextDecoder('utf-8', {fatal: true});

/** The opened values of a live pulled record: exactly the keys its metadata lists, each a valid value. */
export function checkPulledValues(meta: SealedMeta, values: ValueBuffers): void {
	if (values.size !== meta.keys.length || meta.keys.some(key => !values.has(key))) {
		throw new IntegrityError('its values hold other keys than its metadata lists');
	}

	for (const [key, buffer] of values) {
		let value: string;
		try {
			value = utf8.decode(buffer);
		} catch {
			throw new InvalidInputError(`value for ${key} is not valid UTF-8 text`);
		}

		assertValidValue(key, value);
	}
}

function textField(fields: Record<string, unknown>, field: string): string {
	const value = fields[field];
	if (typeof value !== 'string') {
		throw new InvalidInputError(`its ${field} is not text`);
	}

	return value;
}

function assertDate(field: string, value: string): void {
	assertPrintableText(field, value);
	if (value.length > 64 || Number.isNaN(Date.parse(value))) {
		throw new InvalidInputError(`its ${field} is not a date`);
	}
}
