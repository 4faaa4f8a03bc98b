import {createHmac, hkdfSync, randomBytes, timingSafeEqual} from 'node:crypto';
import {InvalidInputError} from '../errors.js';
import {encodeFields} from '../vault/encoding.js';
import {FieldError, FieldReader} from './fields.js';
import {type Role, roles, teamIdPattern} from './log-entry.js';

/**
 * The invite code an admin hands to a new member: `hush1-` and base64url of
 *   fields('hush-invite', server URL, team id, founder fingerprint, invite secret, user, role)
 * The secret (32 random bytes) never reaches the server. From it come, by HKDF-SHA256 with the
 * team id bound in:
 *   the claim      which the joiner shows the server (the server keeps only its SHA-256), and
 *   the MAC key    HMAC-SHA256 over the joiner's name, role and public keys, which only the
 *                  inviting admin's client (which kept the secret in its team pin) can check.
 * A code is typed or pasted by a person, so it is hostile input: parsed strictly, every field bounded.
 */

export type InviteCode = {url: string; teamId: string; founder: string; secret: Uint8Array; user: string; role: Role};

const prefix = 'hush1-';
const maxCodeLength = 800;
const urlPattern = /^https?:\/\/[\u0021-\u007e]{1,300}$/;
const userPattern = /^[A-Za-z0-9][A-Za-z0-9._@-]{0,63}$/;

export function newInviteSecret(): Uint8Array {
	return new Uint8Array(randomBytes(32));
}

export function formatInviteCode(code: InviteCode): string {
	const fields = encodeFields(['hush-invite', code.url, code.teamId, Buffer.from(code.founder, 'hex'), code.secret, code.user, code.role]);
	return prefix + Buffer.from(fields).toString('base64url');
}

/** The code's fields, or one {@link InvalidInputError} (exit 2) saying it is not a whole hush invite code. */
export function parseInviteCode(text: string): InviteCode {
	const code = text.trim();
	const bad = (why: string) => new InvalidInputError(`that is not a hush invite code (${why}): copy the whole code starting with ${prefix}`);
	if (code.length > maxCodeLength) {
		throw bad(`${code.length} characters, more than ${maxCodeLength}`);
	}

	if (!code.startsWith(prefix)) {
		throw bad(`it does not start with ${prefix}`);
	}

	const body = code.slice(prefix.length);
	if (!/^[A-Za-z0-9_-]+$/.test(body) || Buffer.from(body, 'base64url').toString('base64url') !== body) {
		throw bad('it is not base64url');
	}

	try {
		const fields = new FieldReader(new Uint8Array(Buffer.from(body, 'base64url')), 'the invite code');
		fields.text('the format tag', /^hush-invite$/);
		const parsed: InviteCode = {
			url: fields.text('the server URL', urlPattern),
			teamId: fields.text('the team id', teamIdPattern),
			founder: Buffer.from(fields.bytes('the founder fingerprint', 32)).toString('hex'),
			secret: fields.bytes('the invite secret', 32),
			user: fields.text('the user name', userPattern),
			role: fields.oneOf('the role', roles),
		};
		fields.end('the invite code');
		return parsed;
	} catch (error) {
		if (error instanceof FieldError) {
			throw bad(error.message);
		}

		throw error;
	}
}

function derive(secret: Uint8Array, teamId: string, purpose: 'claim' | 'join-mac'): Uint8Array {
	return new Uint8Array(hkdfSync('sha256', secret, Buffer.from('hush/v1/team-invite', 'utf8'), encodeFields([purpose, teamId]), 32));
}

/** What the joiner shows the server to use the invite. */
export const inviteClaim = (secret: Uint8Array, teamId: string) => derive(secret, teamId, 'claim');

export type JoinKeys = {name: string; role: Role; signingKey: Uint8Array; kemKey: Uint8Array};

export function joinMac(secret: Uint8Array, teamId: string, keys: JoinKeys): Uint8Array {
	const key = derive(secret, teamId, 'join-mac');
	try {
		const message = encodeFields(['hush/v1/team-join', teamId, keys.name, keys.role, keys.signingKey, keys.kemKey]);
		return new Uint8Array(createHmac('sha256', key).update(message).digest());
	} finally {
		key.fill(0);
	}
}

export function joinMacMatches(secret: Uint8Array, teamId: string, keys: JoinKeys, mac: Uint8Array): boolean {
	const expected = joinMac(secret, teamId, keys);
	return mac.length === expected.length && timingSafeEqual(mac, expected);
}
