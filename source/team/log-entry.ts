import {createHash} from 'node:crypto';
import {encodeFields} from '../vault/encoding.js';
import {FieldError, FieldReader} from './fields.js';
import {type Identity, kemPublicKeyLength, sign, signingKeyLength} from './identity.js';

/**
 * One entry of a team's membership log, and its canonical encoding.
 *
 *   body   = fields('hush-team-log', 1, team id, seq, previous entry's hash, time, signer's
 *            fingerprint, type, ...the type's fields)
 *   entry  = fields(body, Ed25519 signature over body)
 *   hash   = SHA-256('hush/v1/team-log-entry\0' ‖ entry)
 *
 * Length-prefixed binary rather than JSON: there is nothing to canonicalise (no key order, no
 * number or escape forms), and {@link parseEntry} reads it back strictly, so an entry has exactly
 * one encoding and one hash. Entries come from the server: every field is bounded and checked.
 */

export const roles = ['admin', 'write', 'read', 'list'] as const;
export type Role = (typeof roles)[number];

export const entryTypes = ['create', 'add', 'role', 'remove', 'generation'] as const;

/** A member as the log names them: the fingerprint is always recomputed from the keys. */
export type MemberKeys = {name: string; signingKey: Uint8Array; kemKey: Uint8Array};

export type LogAction =
	| {type: 'create'; teamName: string; founder: MemberKeys}
	| {type: 'add'; member: MemberKeys; role: Role}
	| {type: 'role'; member: Uint8Array; role: Role}
	| {type: 'remove'; member: Uint8Array}
	| {type: 'generation'; generation: number; commitment: Uint8Array};

export type LogEntry = {
	teamId: string;
	seq: number;
	previous: Uint8Array;
	at: string;
	signer: Uint8Array;
	action: LogAction;
	body: Uint8Array;
	signature: Uint8Array;
	/** The whole entry as sent and hashed. */
	bytes: Uint8Array;
	hash: Uint8Array;
};

/** Entries are a few kilobytes at most (an X-Wing public key is 1,216 bytes). */
export const maxEntryBytes = 4096;
export const maxSeq = 1_000_000;
export const hashLength = 32;
const signatureLength = 64;
const tag = 'hush-team-log';
const version = '1';

export const teamIdPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
export const teamNamePattern = /^[A-Za-z0-9][A-Za-z0-9 ._-]{0,63}$/;
const userNamePattern = /^[A-Za-z0-9][A-Za-z0-9._@-]{0,63}$/;
const timePattern = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

export type EntryDraft = {teamId: string; seq: number; previous: Uint8Array; at: string; action: LogAction};

/** Encodes and signs an entry with `signer`'s identity (whose fingerprint is `signerFingerprint`). */
export function signEntry(draft: EntryDraft, signer: Identity, signerFingerprint: Uint8Array): LogEntry {
	const body = encodeBody(draft, signerFingerprint);
	const signature = sign(signer, body);
	return parseEntry(encodeFields([body, signature]));
}

function encodeBody(draft: EntryDraft, signer: Uint8Array): Uint8Array {
	return encodeFields([tag, version, draft.teamId, draft.seq, draft.previous, draft.at, signer, draft.action.type, ...actionFields(draft.action)]);
}

function actionFields(action: LogAction): Array<string | number | Uint8Array> {
	switch (action.type) {
		case 'create': {
			return [action.teamName, action.founder.name, action.founder.signingKey, action.founder.kemKey];
		}

		case 'add': {
			return [action.member.name, action.role, action.member.signingKey, action.member.kemKey];
		}

		case 'role': {
			return [action.member, action.role];
		}

		case 'remove': {
			return [action.member];
		}

		case 'generation': {
			return [action.generation, action.commitment];
		}
	}
}

export function entryHash(bytes: Uint8Array): Uint8Array {
	const digest = createHash('sha256').update('hush/v1/team-log-entry\0').update(bytes).digest();
	return new Uint8Array(digest.buffer, digest.byteOffset, digest.length);
}

/**
 * Reads one entry as it came from the wire. Throws {@link FieldError} naming the bad field; the
 * signature and the chain are checked by the log (membership-log.ts), not here.
 */
export function parseEntry(bytes: Uint8Array): LogEntry {
	if (bytes.length > maxEntryBytes) {
		throw new FieldError(`the entry is ${bytes.length} bytes, over the ${maxEntryBytes}-byte limit`);
	}

	const outer = new FieldReader(bytes, 'the entry');
	const body = outer.bytes('the entry body');
	const signature = outer.bytes('the signature', signatureLength);
	outer.end('the entry');

	const fields = new FieldReader(body, 'the entry body');
	fields.text('the format tag', /^hush-team-log$/);
	fields.text('the format version', /^1$/);
	const teamId = fields.text('the team id', teamIdPattern);
	const seq = fields.integer('the sequence number', maxSeq);
	const previous = fields.bytes('the previous hash', hashLength);
	const at = fields.text('the time', timePattern);
	const signer = fields.bytes('the signer fingerprint', hashLength);
	const action = readAction(fields);
	fields.end('the entry body');
	return {teamId, seq, previous, at, signer, action, body, signature, bytes: new Uint8Array(bytes), hash: entryHash(bytes)};
}

function readAction(fields: FieldReader): LogAction {
	const type = fields.oneOf('the entry type', entryTypes);
	switch (type) {
		case 'create': {
			const teamName = fields.text('the team name', teamNamePattern);
			return {type, teamName, founder: readMember(fields)};
		}

		case 'add': {
			const name = fields.text('the member name', userNamePattern);
			const role = fields.oneOf('the role', roles);
			return {type, role, member: {name, signingKey: fields.bytes('the signing key', signingKeyLength), kemKey: fields.bytes('the KEM key', kemPublicKeyLength)}};
		}

		case 'role': {
			return {type, member: fields.bytes('the member fingerprint', hashLength), role: fields.oneOf('the role', roles)};
		}

		case 'remove': {
			return {type, member: fields.bytes('the member fingerprint', hashLength)};
		}

		case 'generation': {
			const generation = fields.integer('the generation', maxSeq);
			return {type, generation, commitment: fields.bytes('the commitment', hashLength)};
		}
	}
}

function readMember(fields: FieldReader): MemberKeys {
	const name = fields.text('the founder name', userNamePattern);
	return {name, signingKey: fields.bytes('the signing key', signingKeyLength), kemKey: fields.bytes('the KEM key', kemPublicKeyLength)};
}
