import assert from 'node:assert/strict';
import {randomUUID} from 'node:crypto';
import {describe, test} from 'node:test';
import {InvalidInputError} from '../source/errors.js';
import {KeyWrapError, MembershipLogError} from '../source/team/errors.js';
import {type Identity, fingerprint, fingerprintHex, generateIdentity} from '../source/team/identity.js';
import {type Role} from '../source/team/log-entry.js';
import {appendEntry, createTeamEntry} from '../source/team/log-writer.js';
import {type GenerationKeys, generationCommitment, newGenerationKeys, sealWrap, unwrap, wrapFor} from '../source/team/keys.js';
import {type TeamState, verifyLog} from '../source/team/membership-log.js';
import {encodeWrap, parseWrap} from '../source/team/wrap-encoding.js';
import {decodeFields, encodeFields} from '../source/vault/encoding.js';

const alice = generateIdentity('alice');
const bob = generateIdentity('bob');
const lisa = generateIdentity('lisa');
const mallory = generateIdentity('mallory');
const keysOf = (identity: Identity) => ({name: identity.name, signingKey: identity.signingKey, kemKey: identity.kemKey});

/** alice (admin) founds; bob reads, lisa lists; generation 1 committed in the log. */
function team(): {state: TeamState; keys: GenerationKeys; entries: Uint8Array[]} {
	const teamId = randomUUID();
	const first = createTeamEntry(alice, {teamId, teamName: 'platform'});
	const entries = [first.bytes];
	let state = verifyLog(entries, fingerprintHex(alice));
	const keys = newGenerationKeys(teamId, 1);
	for (const action of [
		{type: 'add', member: keysOf(bob), role: 'read'},
		{type: 'add', member: keysOf(lisa), role: 'list'},
		{type: 'generation', generation: 1, commitment: generationCommitment(keys)},
	] as const) {
		const next = appendEntry(state, alice, action);
		entries.push(next.entry.bytes);
		state = next.state;
	}

	return {state, keys, entries};
}

function refused(work: () => unknown, pattern: RegExp): void {
	assert.throws(work, (error: unknown) => {
		assert.ok(error instanceof KeyWrapError, `expected a KeyWrapError, got ${String(error)}`);
		assert.doesNotMatch(error.message, /\n/);
		assert.match(error.message, pattern);
		return true;
	});
}

/** The wrap's fields with one replaced, re-encoded (what a server editing a stored wrap can do). */
function withField(wrap: Uint8Array, index: number, value: string | Uint8Array): Uint8Array {
	const fields: Array<string | Uint8Array> = decodeFields(wrap).map(field => new Uint8Array(field));
	fields[index] = value;
	return encodeFields(fields);
}

describe('team key generations wrapped to each member', () => {
	test('each member opens their own wrap and gets what their role allows; a list member gets no values key', () => {
		const {state, keys} = team();
		for (const member of [alice, bob]) {
			const opened = unwrap(wrapFor(state, keys, fingerprintHex(member)), member, state);
			assert.equal(opened.generation, 1);
			assert.deepEqual(opened.metadataKey, keys.metadataKey);
			assert.deepEqual(opened.valuesKey, keys.valuesKey);
		}

		const wrap = wrapFor(state, keys, fingerprintHex(lisa));
		const listed = unwrap(wrap, lisa, state);
		assert.deepEqual(listed.metadataKey, keys.metadataKey);
		assert.equal(listed.valuesKey, undefined);
		// The values key is nowhere in a list member's wrap, not even encrypted.
		assert.equal(Buffer.from(wrap).includes(Buffer.from(keys.valuesKey)), false);
		assert.equal(parseWrap(wrap).role, 'list');
	});

	test('a wrap opens only for the member it was made for', () => {
		const {state, keys} = team();
		const bobs = wrapFor(state, keys, fingerprintHex(bob));
		refused(() => unwrap(bobs, alice, state), /^this key wrap is for another member \(fingerprint [0-9a-f]{16}…\), not for you$/);
		// Relabelled for alice (fingerprint and role): it was encapsulated to bob's key, so it does not open.
		refused(() => unwrap(withField(withField(bobs, 5, fingerprint(alice)), 4, 'admin'), alice, state), /^the key wrap for generation 1 does not open with your key/);
	});

	test('a key swapped in for a member: the log refuses it, wraps use the logged key, and a wrap to the swapped key opens for nobody', () => {
		const {state, keys, entries} = team();
		// The server swaps bob's KEM key in his add entry for mallory's.
		const addBob = decodeFields(entries[1]!);
		const body: Array<string | Uint8Array> = decodeFields(addBob[0]!).map(field => new Uint8Array(field));
		body[11] = mallory.kemKey;
		assert.throws(() => verifyLog([entries[0]!, encodeFields([encodeFields(body), addBob[1]!]), ...entries.slice(2)], fingerprintHex(alice)), MembershipLogError);

		// wrapFor takes bob's key from the verified log, never from elsewhere: mallory, even as a
		// member of the team, cannot open bob's wrap relabelled as hers.
		assert.throws(() => wrapFor(state, keys, fingerprintHex(mallory)), InvalidInputError);
		const withMallory = appendEntry(state, alice, {type: 'add', member: keysOf(mallory), role: 'read'}).state;
		const bobs = wrapFor(withMallory, keys, fingerprintHex(bob));
		refused(() => unwrap(withField(bobs, 5, fingerprint(mallory)), mallory, withMallory), /does not open with your key/);

		// A wrap labelled for bob but encapsulated to mallory's key (a swap that bypassed the log).
		const swapped = encodeWrap(sealWrap(keys, {role: 'read', fingerprint: fingerprint(bob), kemKey: mallory.kemKey}));
		refused(() => unwrap(swapped, bob, state), /^the key wrap for generation 1 does not open with your key/);
		refused(() => unwrap(swapped, mallory, withMallory), /is for another member/);
	});

	test('keys that do not match their generation\'s commitment in the log are refused, by the wrapper and by the member', () => {
		const {state, keys} = team();
		const other = newGenerationKeys(state.teamId, 1);
		assert.throws(() => wrapFor(state, other, fingerprintHex(bob)), /not generation 1 of team platform as its membership log commits to it/);
		assert.throws(() => wrapFor(state, newGenerationKeys(state.teamId, 2), fingerprintHex(bob)), /not generation 2/);

		// A wrap of other keys, correctly made to bob's real key and role (say, by a compromised server
		// holding an old admin's tooling): it opens, but does not match the log.
		const forged = encodeWrap(sealWrap(other, {role: 'read', fingerprint: fingerprint(bob), kemKey: bob.kemKey}));
		refused(() => unwrap(forged, bob, state), /^the keys in this wrap do not match generation 1's commitment in the membership log: refused$/);
		const forgedList = encodeWrap(sealWrap({...keys, valuesKey: other.valuesKey}, {role: 'list', fingerprint: fingerprint(lisa), kemKey: lisa.kemKey}));
		refused(() => unwrap(forgedList, lisa, state), /do not match generation 1's commitment/);

		// A generation the log never committed.
		const unknown = encodeWrap(sealWrap(newGenerationKeys(state.teamId, 7), {role: 'read', fingerprint: fingerprint(bob), kemKey: bob.kemKey}));
		refused(() => unwrap(unknown, bob, state), /generation 7, which the membership log does not have/);
	});

	test('the role is bound: a wrap for another role than the log gives is refused, even with its role label rewritten', () => {
		const {state, keys} = team();
		const asWrite = encodeWrap(sealWrap(keys, {role: 'write', fingerprint: fingerprint(bob), kemKey: bob.kemKey}));
		refused(() => unwrap(asWrite, bob, state), /^this key wrap is for the role write, but the membership log gives you the role read$/);
		// The label says read (as the log does), but the key derivation used write: it does not open.
		refused(() => unwrap(withField(asWrite, 4, 'read'), bob, state), /does not open with your key: it was made for another key, role, generation or team/);
		// A list member relabelled to read is refused as malformed: the sizes differ, so nothing is decapsulated.
		const lisas = wrapFor(state, keys, fingerprintHex(lisa));
		refused(() => unwrap(withField(lisas, 4, 'read'), lisa, state), /^the key wrap is malformed: the sealed keys are \d+ bytes, not the size a read member's are$/);
	});

	test('removal: a removed member\'s wraps are refused, and a team\'s wrap is not accepted for another team', () => {
		const {state, keys} = team();
		const bobs = wrapFor(state, keys, fingerprintHex(bob));
		const after = appendEntry(state, alice, {type: 'remove', member: fingerprint(bob)}).state;
		refused(() => unwrap(bobs, bob, after), /^you were removed from team platform at log entry 4: no key wrap is accepted$/);
		const elsewhere = team();
		refused(() => unwrap(wrapFor(elsewhere.state, elsewhere.keys, fingerprintHex(alice)), alice, state), /for another team, not platform/);
	});

	test('an unusable key-exchange key: the writer will not add it, and nothing is wrapped to it; a degenerate ciphertext does not open', () => {
		const {state, keys} = team();
		const broken = {name: 'broken', signingKey: mallory.signingKey, kemKey: new Uint8Array(1216).fill(0xff)};
		assert.throws(() => appendEntry(state, alice, {type: 'add', member: broken, role: 'read'}), /broken's key-exchange public key is not a valid X-Wing key: not added/);
		// Were it in the log (signed by a careless client), no wrap is made to it.
		refused(() => sealWrap(keys, {role: 'read', fingerprint: fingerprint(broken), kemKey: broken.kemKey}), /not a valid X-Wing key: no key can be wrapped to them/);

		const wrap = wrapFor(state, keys, fingerprintHex(bob));
		refused(() => unwrap(withField(wrap, 6, new Uint8Array(1120)), bob, state), /does not open with your key/);
	});

	test('malformed wraps are refused before any decapsulation', () => {
		const {state, keys} = team();
		const wrap = wrapFor(state, keys, fingerprintHex(bob));
		for (const [bytes, pattern] of [
			[wrap.subarray(0, wrap.length - 3), /the key wrap is malformed: the key wrap is truncated/],
			[new Uint8Array(5000), /over the 2048-byte limit/],
			[withField(wrap, 6, new Uint8Array(1119)), /the KEM ciphertext must be 1120 bytes/],
			[withField(wrap, 3, '+1'), /the generation is not in the expected form/],
			[withField(wrap, 4, 'owner' as Role), /the role must be one of admin, write, read, list/],
			[encodeFields([...decodeFields(wrap), 'x']), /1 field\(s\) too many/],
		] as const) {
			refused(() => unwrap(bytes, bob, state), pattern);
		}
	});
});
