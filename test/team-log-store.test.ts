import assert from 'node:assert/strict';
import {randomUUID} from 'node:crypto';
import {join} from 'node:path';
import {describe, test, type TestContext} from 'node:test';
import {type Store, openStore} from '../source/server/store.js';
import {TeamLogConflict, TeamLogRefused, appendTeamLog, readTeamLog, teamLogDdl} from '../source/server/team-log-store.js';
import {fingerprint, fingerprintHex, generateIdentity} from '../source/team/identity.js';
import {appendEntry, createTeamEntry} from '../source/team/log-writer.js';
import {type TeamState, verifyLog} from '../source/team/membership-log.js';
import {tempHome} from './helpers/hush-cli.js';

const alice = generateIdentity('alice');
const bob = generateIdentity('bob');
const b64 = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64');
const keysOf = (name: string) => {
	const identity = generateIdentity(name);
	return {name, signingKey: identity.signingKey, kemKey: identity.kemKey};
};

async function store(t: TestContext): Promise<Store> {
	const opened = await openStore(join(tempHome(t, 'hush-team-log-'), 'server.db'));
	t.after(() => opened.close());
	await opened.transaction(async tx => tx.run(teamLogDdl));
	return opened;
}

/** A founded team: its create entry stored, and the state a client verified. */
async function founded(db: Store): Promise<{teamId: string; state: TeamState}> {
	const teamId = randomUUID();
	const create = createTeamEntry(alice, {teamId, teamName: 'platform'});
	await db.transaction(async tx => appendTeamLog(tx, {teamId, expected: null, entries: [b64(create.bytes)], actor: 'alice'}));
	return {teamId, state: verifyLog([create.bytes], fingerprintHex(alice))};
}

async function stored(db: Store, teamId: string): Promise<Uint8Array[]> {
	const {entries} = await db.transaction(async tx => readTeamLog(tx, teamId, -1));
	return entries.map(text => new Uint8Array(Buffer.from(text, 'base64')));
}

describe('the server\'s membership log store (append-only, compare-and-swap on the head)', () => {
	test('appends at the head the client saw; what it stores replays on a client to the same head', async t => {
		const db = await store(t);
		const {teamId, state} = await founded(db);
		const add = appendEntry(state, alice, {type: 'add', member: {name: 'bob', signingKey: bob.signingKey, kemKey: bob.kemKey}, role: 'write'});
		const role = appendEntry(add.state, alice, {type: 'role', member: fingerprint(bob), role: 'admin'});
		const head = await db.transaction(async tx => appendTeamLog(tx, {teamId, expected: state.head, entries: [b64(add.entry.bytes), b64(role.entry.bytes)], actor: 'alice'}));
		assert.deepEqual(head, role.state.head);
		assert.deepEqual(verifyLog(await stored(db, teamId), fingerprintHex(alice)).head, head);
		const after = await db.transaction(async tx => readTeamLog(tx, teamId, 1));
		assert.deepEqual(after, {entries: [b64(role.entry.bytes)], head});
	});

	test('a stale head is a conflict naming the current one, and of two appends at the same head exactly one wins', async t => {
		const db = await store(t);
		const {teamId, state} = await founded(db);
		const appendAt = (name: string) => {
			const entry = appendEntry(state, alice, {type: 'add', member: keysOf(name), role: 'read'}).entry;
			return db.transaction(async tx => appendTeamLog(tx, {teamId, expected: state.head, entries: [b64(entry.bytes)], actor: 'alice'}));
		};

		const outcomes = await Promise.allSettled([appendAt('carol'), appendAt('dave')]);
		assert.deepEqual(outcomes.map(outcome => outcome.status).sort(), ['fulfilled', 'rejected']);
		const lost = outcomes.find(outcome => outcome.status === 'rejected')!;
		const won = outcomes.find(outcome => outcome.status === 'fulfilled')!;
		assert.ok(lost.reason instanceof TeamLogConflict);
		assert.deepEqual(lost.reason.head, won.value);
		assert.match(lost.reason.message, /has moved on to entry 1: fetch it, verify it and try again/);
		assert.equal((await stored(db, teamId)).length, 2);
	});

	test('malformed, misplaced, forked or foreign entries are refused and nothing is written', async t => {
		const db = await store(t);
		const {teamId, state} = await founded(db);
		const next = appendEntry(state, alice, {type: 'add', member: keysOf('carol'), role: 'read'});
		const afterNext = appendEntry(next.state, alice, {type: 'add', member: keysOf('erin'), role: 'read'});
		const other = await founded(db);
		const foreign = appendEntry(other.state, alice, {type: 'add', member: keysOf('frank'), role: 'read'}).entry;
		// A different entry 1 that a client chained on another entry 0.
		const elsewhere = verifyLog([createTeamEntry(alice, {teamId, teamName: 'platform'}).bytes], fingerprintHex(alice));
		const fork = appendEntry(elsewhere, alice, {type: 'add', member: keysOf('gus'), role: 'read'}).entry;
		for (const [entries, pattern] of [
			[['not base64!'], /entry 1 is not canonical base64/],
			// Padding bits set: Node decodes it, to the same bytes as 'AAAAAA=='.
			[['AAAAAB=='], /entry 1 is not canonical base64/],
			[[b64(new Uint8Array([0, 0, 0, 9]))], /entry 1 is malformed: the entry is truncated/],
			[[b64(afterNext.entry.bytes)], /entry 1 claims to be entry 2/],
			[[b64(foreign.bytes)], /entry 1 belongs to another team/],
			[[b64(fork.bytes)], /entry 1 does not follow the log's head/],
			[[b64(next.entry.bytes), b64(next.entry.bytes)], /entry 2 claims to be entry 1/],
			[[], /an append carries 1 to 16 entries, not 0/],
		] as const) {
			await assert.rejects(
				db.transaction(async tx => appendTeamLog(tx, {teamId, expected: state.head, entries, actor: 'mallory'})),
				(error: unknown) => error instanceof TeamLogRefused && pattern.test(error.message),
			);
		}

		assert.equal((await stored(db, teamId)).length, 1, 'nothing was written by any refused append');
		// A new team whose first stored entry is not the one creating it.
		const unstored = verifyLog([createTeamEntry(alice, {teamId: randomUUID(), teamName: 'ghost'}).bytes], fingerprintHex(alice));
		const orphan = appendEntry(unstored, alice, {type: 'add', member: keysOf('hal'), role: 'read'}).entry;
		await assert.rejects(
			db.transaction(async tx => appendTeamLog(tx, {teamId: unstored.teamId, expected: null, entries: [b64(orphan.bytes)], actor: 'mallory'})),
			/a team's log starts with the entry that creates it/,
		);
		await assert.rejects(db.transaction(async tx => appendTeamLog(tx, {teamId, expected: null, entries: [b64(next.entry.bytes)], actor: 'mallory'})), TeamLogConflict);
	});
});
