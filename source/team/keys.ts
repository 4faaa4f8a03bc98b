import {createHash, hkdfSync, randomBytes, timingSafeEqual} from 'node:crypto';
import {open, seal} from '../vault/aead.js';
import {decodeFields, encodeFields} from '../vault/encoding.js';
import {InvalidInputError} from '../errors.js';
import {KeyWrapError} from './errors.js';
import {type Identity, fingerprint, kem} from './identity.js';
import type {Role} from './log-entry.js';
import type {TeamState} from './membership-log.js';
import {type KeyWrap, encodeWrap, parseWrap} from './wrap-encoding.js';

/**
 * Team key generations, and each member's copy of them.
 *
 * A generation g has two fresh random 256-bit keys: the metadata key (names, key names, metadata)
 * and the values key. Its commitment, which an admin signs into the membership log, is
 *   H(tag, team, g, H_meta(metadata key), H_values(values key))
 * with SHA-256 and a distinct label for each hash, so a `list` member, who receives the metadata key
 * and only H_values of the values key, can still check their keys against the log.
 *
 * A member's wrap: X-Wing encapsulation to their KEM public key from the verified log, then
 *   k = HKDF-SHA256(shared secret, info = fields(label, team id, g, role, member fingerprint))
 *   AES-256-GCM-SIV(k, fields(kind, metadata key, values key or H_values), AAD = info)
 * The opener rebuilds info from the log (their role there, their own fingerprint), never from the
 * wrap, so a wrap made for another member, role, generation or team does not open.
 */

export type GenerationKeys = {teamId: string; generation: number; metadataKey: Uint8Array; valuesKey: Uint8Array};

export type UnwrappedKeys = {generation: number; metadataKey: Uint8Array; valuesKey: Uint8Array | undefined};

const keyLength = 32;

export function newGenerationKeys(teamId: string, generation: number): GenerationKeys {
	return {teamId, generation, metadataKey: new Uint8Array(randomBytes(keyLength)), valuesKey: new Uint8Array(randomBytes(keyLength))};
}

export function wipeGenerationKeys(keys: {metadataKey: Uint8Array; valuesKey?: Uint8Array}): void {
	keys.metadataKey.fill(0);
	keys.valuesKey?.fill(0);
}

function sha256(label: string, fields: ReadonlyArray<string | number | Uint8Array>): Uint8Array {
	const digest = createHash('sha256').update(`hush/v1/${label}\0`).update(encodeFields(fields)).digest();
	return new Uint8Array(digest.buffer, digest.byteOffset, digest.length);
}

function keyHash(part: 'metadata' | 'values', teamId: string, generation: number, key: Uint8Array): Uint8Array {
	return sha256(`team-key-hash/${part}`, [teamId, generation, key]);
}

function commitmentFrom(teamId: string, generation: number, metadataHash: Uint8Array, valuesHash: Uint8Array): Uint8Array {
	return sha256('team-generation-commitment', [teamId, generation, metadataHash, valuesHash]);
}

/** What goes in the log's generation entry. */
export function generationCommitment(keys: GenerationKeys): Uint8Array {
	return commitmentFrom(keys.teamId, keys.generation, keyHash('metadata', keys.teamId, keys.generation, keys.metadataKey), keyHash('values', keys.teamId, keys.generation, keys.valuesKey));
}

function wrapInfo(teamId: string, generation: number, role: Role, member: Uint8Array): Uint8Array {
	return encodeFields(['hush/v1/team-key-wrap', teamId, generation, role, Buffer.from(member).toString('hex')]);
}

/**
 * Wraps `keys` for a member of the verified team `state`, to the KEM key the log holds for them (so
 * a key the server swapped in elsewhere is never used), for the role the log gives them. The keys
 * must match their generation's commitment in the log.
 */
export function wrapFor(state: TeamState, keys: GenerationKeys, memberFingerprint: string): Uint8Array {
	const member = state.members.get(memberFingerprint);
	if (!member) {
		throw new InvalidInputError(`no current member of team ${state.teamName} has the fingerprint ${memberFingerprint.slice(0, 16)}…`);
	}

	const logged = state.generations.find(generation => generation.generation === keys.generation);
	if (keys.teamId !== state.teamId || !logged || !equal(logged.commitment, generationCommitment(keys))) {
		throw new InvalidInputError(`these keys are not generation ${keys.generation} of team ${state.teamName} as its membership log commits to it`);
	}

	return encodeWrap(sealWrap(keys, {role: member.role, fingerprint: fingerprint(member), kemKey: member.kemKey}));
}

/** @internal The wrap itself; {@link wrapFor} is the checked way in (tests forge wraps with this). */
export function sealWrap(keys: GenerationKeys, to: {role: Role; fingerprint: Uint8Array; kemKey: Uint8Array}): KeyWrap {
	let encapsulated: {cipherText: Uint8Array; sharedSecret: Uint8Array};
	try {
		encapsulated = kem.encapsulate(to.kemKey);
	} catch {
		throw new KeyWrapError('that member\'s key-exchange public key in the membership log is not a valid X-Wing key: no key can be wrapped to them');
	}

	const {cipherText, sharedSecret} = encapsulated;
	const info = wrapInfo(keys.teamId, keys.generation, to.role, to.fingerprint);
	const wrapKey = deriveWrapKey(sharedSecret, info);
	const metadataOnly = to.role === 'list';
	const plain = encodeFields([
		metadataOnly ? 'metadata-only' : 'metadata-and-values',
		keys.metadataKey,
		metadataOnly ? keyHash('values', keys.teamId, keys.generation, keys.valuesKey) : keys.valuesKey,
	]);
	try {
		const {nonce, ciphertext} = seal(wrapKey, plain, info);
		return {teamId: keys.teamId, generation: keys.generation, role: to.role, member: to.fingerprint, kemCipherText: cipherText, nonce, ciphertext};
	} finally {
		plain.fill(0);
		wrapKey.fill(0);
		sharedSecret.fill(0);
	}
}

function deriveWrapKey(sharedSecret: Uint8Array, info: Uint8Array): Uint8Array {
	return new Uint8Array(hkdfSync('sha256', sharedSecret, Buffer.from('hush/v1/team-key-wrap', 'utf8'), info, keyLength));
}

/**
 * Opens `me`'s wrap (bytes from the server) against the verified team `state`: the wrap must be for
 * this team, for `me`, who must be a current member; it must open under the role the log gives
 * `me`; and the keys inside must match their generation's commitment in the log. Each failure is
 * one {@link KeyWrapError} naming it. A `list` member gets no values key.
 */
export function unwrap(bytes: Uint8Array, me: Identity, state: TeamState): UnwrappedKeys {
	const wrap = parseWrap(bytes);
	const mine = fingerprint(me);
	const myPrint = Buffer.from(mine).toString('hex');
	if (!equal(wrap.member, mine)) {
		throw new KeyWrapError(`this key wrap is for another member (fingerprint ${Buffer.from(wrap.member).toString('hex').slice(0, 16)}…), not for you`);
	}

	if (wrap.teamId !== state.teamId) {
		throw new KeyWrapError(`this key wrap is for another team, not ${state.teamName}`);
	}

	const member = state.members.get(myPrint);
	if (!member) {
		const removed = state.removed.get(myPrint);
		throw new KeyWrapError(removed ? `you were removed from team ${state.teamName} at log entry ${removed.removedAt}: no key wrap is accepted` : `you are not a member of team ${state.teamName}`);
	}

	if (wrap.role !== member.role) {
		throw new KeyWrapError(`this key wrap is for the role ${wrap.role}, but the membership log gives you the role ${member.role}`);
	}

	const logged = state.generations.find(generation => generation.generation === wrap.generation);
	if (!logged) {
		throw new KeyWrapError(`this key wrap is for key generation ${wrap.generation}, which the membership log does not have`);
	}

	const info = wrapInfo(state.teamId, wrap.generation, member.role, mine);
	const doesNotOpen = () => new KeyWrapError(`the key wrap for generation ${wrap.generation} does not open with your key: it was made for another key, role, generation or team, or altered`);
	let sharedSecret: Uint8Array;
	try {
		// A ciphertext whose X25519 half is a low-order point throws here rather than at the AEAD.
		sharedSecret = kem.decapsulate(wrap.kemCipherText, me.kemSecret);
	} catch {
		throw doesNotOpen();
	}

	const wrapKey = deriveWrapKey(sharedSecret, info);
	let plain: Uint8Array;
	try {
		plain = open(wrapKey, wrap.nonce, wrap.ciphertext, info);
	} catch {
		throw doesNotOpen();
	} finally {
		wrapKey.fill(0);
		sharedSecret.fill(0);
	}

	return checkAgainstCommitment(plain, state.teamId, wrap.generation, member.role, logged.commitment);
}

function checkAgainstCommitment(plain: Uint8Array, teamId: string, generation: number, role: Role, commitment: Uint8Array): UnwrappedKeys {
	const fields = decodeFields(plain);
	plain.fill(0);
	const expectedKind = role === 'list' ? 'metadata-only' : 'metadata-and-values';
	if (fields.length !== 3 || fields[0]!.toString('utf8') !== expectedKind || fields[1]!.length !== keyLength || fields[2]!.length !== keyLength) {
		throw new KeyWrapError(`the key wrap for generation ${generation} is not in the form the role ${role} gets`);
	}

	const metadataKey = new Uint8Array(fields[1]!);
	const values = new Uint8Array(fields[2]!);
	for (const field of fields) {
		field.fill(0);
	}

	const valuesHash = role === 'list' ? values : keyHash('values', teamId, generation, values);
	if (!equal(commitmentFrom(teamId, generation, keyHash('metadata', teamId, generation, metadataKey), valuesHash), commitment)) {
		metadataKey.fill(0);
		values.fill(0);
		throw new KeyWrapError(`the keys in this wrap do not match generation ${generation}'s commitment in the membership log: refused`);
	}

	return {generation, metadataKey, valuesKey: role === 'list' ? undefined : values};
}

const equal = (a: Uint8Array, b: Uint8Array) => a.length === b.length && timingSafeEqual(a, b);
