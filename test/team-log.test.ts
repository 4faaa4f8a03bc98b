import assert from 'node:assert/strict';
import {randomUUID} from 'node:crypto';
import {describe, test} from 'node:test';
import {InvalidInputError} from '../source/errors.js';
import {MembershipLogError} from '../source/team/errors.js';
import {type Identity, fingerprint, fingerprintHex, generateIdentity, sign} from '../source/team/identity.js';
import {type LogEntry, maxEntryBytes, parseEntry} from '../source/team/log-entry.js';
import {appendEntry, createTeamEntry} from '../source/team/log-writer.js';
import {type TeamState, extendLog, verifyLog} from '../source/team/membership-log.js';
import {decodeFields, encodeFields} from '../source/vault/encoding.js';

const alice = generateIdentity('alice');
const bob = generateIdentity('bob');
const carol = generateIdentity('carol');
const mallory = generateIdentity('mallory');
const commitment = (byte: number) => new Uint8Array(32).fill(byte);
const keysOf = (identity: Identity) => ({name: identity.name, signingKey: identity.signingKey, kemKey: identity.kemKey});

/** A log built through the writer: alice founds, adds bob (admin) and carol (write), generation 1. */
function teamLog(): {entries: LogEntry[]; state: TeamState} {
	const entries = [createTeamEntry(alice, {teamId: randomUUID(), teamName: 'platform'})];
	let state = verifyLog(entries.map(entry => entry.bytes), fingerprintHex(alice));
	for (const [admin, action] of [
		[alice, {type: 'add', member: keysOf(bob), role: 'admin'}],
		[bob, {type: 'add', member: keysOf(carol), role: 'write'}],
		[alice, {type: 'generation', generation: 1, commitment: commitment(1)}],
	] as const) {
		const next = appendEntry(state, admin, action);
		entries.push(next.entry);
		state = next.state;
	}

	return {entries, state};
}

const bytesOf = (entries: readonly LogEntry[]) => entries.map(entry => entry.bytes);

/** Asserts a MembershipLogError with one line matching `pattern`. */
function refused(work: () => unknown, pattern: RegExp): void {
	assert.throws(work, (error: unknown) => {
		assert.ok(error instanceof MembershipLogError, `expected a MembershipLogError, got ${String(error)}`);
		assert.doesNotMatch(error.message, /\n/);
		assert.match(error.message, pattern);
		return true;
	});
}

/** The entry's body and signature fields, for tests that rebuild an entry by hand. */
function bodyFields(entry: LogEntry): Array<string | Uint8Array> {
	return decodeFields(entry.body).map(field => new Uint8Array(field));
}

function reassemble(body: ReadonlyArray<string | Uint8Array>, signature: Uint8Array): Uint8Array {
	return encodeFields([encodeFields(body), signature]);
}

describe('the membership log, replayed from the pinned founder', () => {
	test('a log written through the writer verifies, with every member, role and generation as the entries say', () => {
		const {entries, state} = teamLog();
		const replayed = verifyLog(bytesOf(entries), fingerprintHex(alice));
		assert.equal(replayed.teamName, 'platform');
		assert.equal(replayed.founder, fingerprintHex(alice));
		assert.deepEqual(
			[...replayed.members.values()].map(member => [member.name, member.role, member.fingerprint]),
			[
				['alice', 'admin', fingerprintHex(alice)],
				['bob', 'admin', fingerprintHex(bob)],
				['carol', 'write', fingerprintHex(carol)],
			],
		);
		assert.deepEqual(replayed.generations, [{generation: 1, commitment: commitment(1), seq: 3}]);
		assert.deepEqual(replayed.head, {seq: 3, hash: Buffer.from(entries[3]!.hash).toString('hex')});
		assert.deepEqual(replayed.head, state.head);
		// The founder's fingerprint is accepted in either case of hex.
		assert.equal(verifyLog(bytesOf(entries), fingerprintHex(alice).toUpperCase()).head.seq, 3);
	});

	test('role changes and removals change who may sign: a removed or demoted admin\'s later entry is refused', () => {
		const {entries, state} = teamLog();
		const removed = appendEntry(state, alice, {type: 'remove', member: fingerprint(bob)});
		const afterRemoval = verifyLog(bytesOf([...entries, removed.entry]), fingerprintHex(alice));
		assert.deepEqual([...afterRemoval.members.values()].map(member => member.name), ['alice', 'carol']);
		assert.deepEqual(afterRemoval.removed.get(fingerprintHex(bob)), {name: 'bob', removedAt: 4, role: 'admin'});

		// Bob signs the next entry anyway, chained correctly: still refused.
		const forged = appendEntry(state, bob, {type: 'role', member: fingerprint(carol), role: 'admin'}).entry;
		const splicedBody = [...bodyFields(forged).slice(0, 3), '5', removed.entry.hash, ...bodyFields(forged).slice(5)];
		const spliced = reassemble(splicedBody, sign(bob, encodeFields(splicedBody)));
		refused(() => verifyLog([...bytesOf(entries), removed.entry.bytes, spliced], fingerprintHex(alice)), /^membership log entry 5 \(make carol admin\): it is signed by bob, who was removed at entry 4$/);
		assert.throws(() => appendEntry(afterRemoval, bob, {type: 'generation', generation: 2, commitment: commitment(2)}), /signed by bob, who was removed at entry 4/);

		const demoted = appendEntry(state, alice, {type: 'role', member: fingerprint(bob), role: 'read'});
		assert.equal(demoted.state.members.get(fingerprintHex(bob))!.role, 'read');
		refused(() => appendEntry(demoted.state, bob, {type: 'generation', generation: 2, commitment: commitment(2)}), /signed by bob, who is a read member, not an admin/);
		refused(() => appendEntry(state, carol, {type: 'remove', member: fingerprint(alice)}), /signed by carol, who is a write member, not an admin/);
	});

	test('the team always keeps an admin, nobody joins twice, a removed identity stays out, generations count up', () => {
		const {state} = teamLog();
		const bobGone = appendEntry(state, alice, {type: 'remove', member: fingerprint(bob)}).state;
		refused(() => appendEntry(bobGone, alice, {type: 'remove', member: fingerprint(alice)}), /alice is the last admin: a team always keeps one/);
		refused(() => appendEntry(bobGone, alice, {type: 'role', member: fingerprint(alice), role: 'write'}), /alice is the last admin/);
		refused(() => appendEntry(bobGone, alice, {type: 'add', member: keysOf(bob), role: 'read'}), /removed at entry 4; a removed member rejoins only with a new identity/);
		refused(() => appendEntry(bobGone, alice, {type: 'remove', member: fingerprint(bob)}), /already removed/);
		refused(() => appendEntry(state, alice, {type: 'add', member: keysOf(carol), role: 'read'}), /already a member/);
		refused(() => appendEntry(state, alice, {type: 'add', member: {...keysOf(mallory), name: 'carol'}, role: 'read'}), /another member is already named carol/);
		refused(() => appendEntry(state, alice, {type: 'role', member: fingerprint(mallory), role: 'read'}), /not a member/);
		refused(() => appendEntry(state, alice, {type: 'role', member: fingerprint(carol), role: 'write'}), /already has the role write/);
		refused(() => appendEntry(state, alice, {type: 'generation', generation: 3, commitment: commitment(3)}), /key generation 3 is out of order \(expected 2\)/);
		// And the writer refuses bad input as input, not as a broken log.
		assert.throws(() => appendEntry(state, alice, {type: 'add', member: {...keysOf(mallory), name: 'has space'}, role: 'read'}), InvalidInputError);
	});
});

describe('a hostile server: forged, reordered, truncated, forked or malformed logs are refused', () => {
	test('a founder other than the pinned one is refused, even with a perfectly signed log', () => {
		const {entries} = teamLog();
		refused(() => verifyLog(bytesOf(entries), fingerprintHex(mallory)), /^membership log entry 0 \(create\): the founder is not the one this device trusts/);
		const impostor = createTeamEntry(mallory, {teamId: entries[0]!.teamId, teamName: 'platform'});
		refused(() => verifyLog([impostor.bytes, ...bytesOf(entries.slice(1))], fingerprintHex(alice)), /founder is not the one this device trusts/);
		refused(() => verifyLog(bytesOf(entries.slice(1)), fingerprintHex(alice)), /^membership log entry 0 \(create\): the first entry must create the team, not add a member$/);
		refused(() => verifyLog([], fingerprintHex(alice)), /the membership log is empty/);
	});

	test('an entry altered after signing, or signed by a key the log never admitted, is refused', () => {
		const {entries} = teamLog();
		// The server turns carol (write) into an admin by editing the role in entry 2.
		const fields = bodyFields(entries[2]!);
		assert.equal(Buffer.from(fields[9]!).toString(), 'write');
		fields[9] = 'admin';
		refused(() => verifyLog([...bytesOf(entries.slice(0, 2)), reassemble(fields, entries[2]!.signature)], fingerprintHex(alice)), /^membership log entry 2 \(add carol as admin\): the signature does not verify under bob's key: the entry was forged or altered$/);

		// One bit of a signature.
		const signature = new Uint8Array(entries[3]!.signature);
		signature[10]! ^= 1;
		refused(() => verifyLog([...bytesOf(entries.slice(0, 3)), reassemble(bodyFields(entries[3]!), signature)], fingerprintHex(alice)), /entry 3 \(key generation 1\): the signature does not verify/);

		// Mallory signs an entry naming herself as signer, chained correctly.
		const forgedFields = bodyFields(entries[3]!);
		forgedFields[6] = fingerprint(mallory);
		const forgedBody = encodeFields(forgedFields);
		refused(() => verifyLog([...bytesOf(entries.slice(0, 3)), encodeFields([forgedBody, sign(mallory, forgedBody)])], fingerprintHex(alice)), /entry 3 \(key generation 1\): it is signed by someone who is not a member/);

		// Mallory's signature, claiming to be alice's.
		const claimed = bodyFields(entries[3]!);
		refused(() => verifyLog([...bytesOf(entries.slice(0, 3)), reassemble(claimed, sign(mallory, encodeFields(claimed)))], fingerprintHex(alice)), /does not verify under alice's key/);
	});

	test('reordered, gapped or spliced chains are refused at the first entry out of place', () => {
		const {entries} = teamLog();
		const [create, addBob, addCarol, generation] = bytesOf(entries);
		refused(() => verifyLog([create!, addCarol!, addBob!, generation!], fingerprintHex(alice)), /^membership log entry 1 \(add carol as write\): it claims to be entry 2: the log was reordered or has a gap$/);
		refused(() => verifyLog([create!, addBob!, generation!], fingerprintHex(alice)), /^membership log entry 2 \(key generation 1\): it claims to be entry 3/);

		// Entry 2 of another chain of the same team (alice signed both): right number, wrong predecessor.
		const other = appendEntry(verifyLog([create!], fingerprintHex(alice)), alice, {type: 'generation', generation: 1, commitment: commitment(9)}).state;
		const otherTwo = appendEntry(other, alice, {type: 'add', member: keysOf(mallory), role: 'read'}).entry;
		refused(() => verifyLog([create!, addBob!, otherTwo.bytes], fingerprintHex(alice)), /entry 2 \(add mallory as read\): it does not follow the entry before it/);

		// An entry of another team, signed by the same admin.
		const elsewhere = teamLog();
		refused(() => verifyLog([create!, addBob!, addCarol!, elsewhere.entries[3]!.bytes], fingerprintHex(alice)), /entry 3 \(key generation 1\): it does not follow the entry before it/);
		const moved = bodyFields(entries[3]!);
		moved[2] = elsewhere.state.teamId;
		refused(() => verifyLog([create!, addBob!, addCarol!, reassemble(moved, sign(alice, encodeFields(moved)))], fingerprintHex(alice)), /entry 3 \(key generation 1\): it belongs to another team$/);
	});

	test('the pinned head: a shorter log is truncated, a different one at the pinned entry is a fork, a longer one verifies', () => {
		const {entries, state} = teamLog();
		const pinned = state.head;
		refused(() => verifyLog(bytesOf(entries.slice(0, 3)), fingerprintHex(alice), pinned), /^the membership log was truncated: it ends at entry 2, but this device has already seen entry 3/);

		// Alice's own key signs a different entry 3: valid on its own, but not the history this device saw.
		const atTwo = verifyLog(bytesOf(entries.slice(0, 3)), fingerprintHex(alice));
		const fork = appendEntry(atTwo, alice, {type: 'role', member: fingerprint(carol), role: 'read'}).entry;
		refused(() => verifyLog([...bytesOf(entries.slice(0, 3)), fork.bytes], fingerprintHex(alice), pinned), /^the membership log is forked: entry 3 differs from the one this device has already seen$/);

		const next = appendEntry(state, bob, {type: 'remove', member: fingerprint(carol)});
		const grown = verifyLog([...bytesOf(entries), next.entry.bytes], fingerprintHex(alice), pinned);
		assert.equal(grown.head.seq, 4);
		assert.equal(grown.members.has(fingerprintHex(carol)), false);

		// extendLog checks only what follows a verified state, with the same rules.
		assert.deepEqual(extendLog(state, [next.entry.bytes]).head, grown.head);
		refused(() => extendLog(state, [fork.bytes]), /entry 4 .*: it claims to be entry 3/);
		assert.equal(state.head.seq, 3, 'extendLog leaves the state it started from alone');
	});

	test('malformed entries are refused by their first bad field, before any signature is checked', () => {
		const {entries} = teamLog();
		const [create] = bytesOf(entries);
		const withFounder = (bytes: Uint8Array) => () => verifyLog([create!, bytes], fingerprintHex(alice));
		refused(withFounder(new Uint8Array([0, 0, 0, 9, 1, 2])), /^membership log entry 1 is malformed: the entry is truncated$/);
		refused(withFounder(new Uint8Array(maxEntryBytes + 1)), /over the 4096-byte limit/);
		refused(withFounder(encodeFields([entries[1]!.body, entries[1]!.signature, 'extra'])), /the entry has 1 field\(s\) too many/);
		refused(withFounder(encodeFields([entries[1]!.body, entries[1]!.signature.subarray(1)])), /the signature must be 64 bytes, not 63/);

		// Properly signed by alice, but with a non-canonical sequence number: refused, so an entry has one encoding.
		const fields = bodyFields(entries[1]!);
		fields[3] = '01';
		const body = encodeFields(fields);
		refused(withFounder(encodeFields([body, sign(alice, body)])), /the sequence number is not in the expected form/);
		for (const [index, value, pattern] of [
			[7, 'promote', /the entry type must be one of create, add, role, remove, generation/],
			[9, 'owner', /the role must be one of admin, write, read, list/],
			[8, 'bob\u001B[2J', /the member name is not in the expected form/],
			[10, new Uint8Array(31), /the signing key must be 32 bytes, not 31/],
			[2, 'not-a-team', /the team id is not in the expected form/],
		] as const) {
			const altered = bodyFields(entries[1]!);
			altered[index] = value;
			const alteredBody = encodeFields(altered);
			refused(withFounder(encodeFields([alteredBody, sign(alice, alteredBody)])), pattern);
		}

		assert.deepEqual(parseEntry(entries[1]!.bytes).hash, entries[1]!.hash);
	});
});
