/**
 * appendAuditEntries (audit.ts), the one-step append a pull uses for a page of records, must leave
 * exactly the log that one appendAudit per entry leaves: the same rows, the same chain, the same
 * head; and the log it leaves verifies, while an edit to any entry it wrote is caught.
 */
import assert from 'node:assert/strict';
import {randomBytes} from 'node:crypto';
import {DatabaseSync} from 'node:sqlite';
import {test} from 'node:test';
import {type AuditEntry, appendAudit, appendAuditEntries, verifyAudit} from '../source/vault/audit.js';
import {schemaV1} from '../source/vault/schema-sql.js';

const key = new Uint8Array(randomBytes(32));

function freshDb(): DatabaseSync {
	const db = new DatabaseSync(':memory:');
	db.exec(schemaV1);
	return db;
}

function entries(from: number, count: number): Array<Omit<AuditEntry, 'seq'>> {
	return Array.from({length: count}, (_, index) => ({
		at: new Date(Date.UTC(2026, 0, 1, 0, 0, from + index)).toISOString(),
		actor: 'tester',
		action: index % 3 === 0 ? 'update' : 'create',
		recordId: `record-${from + index}`,
		command: 'sync',
	}));
}

function dump(db: DatabaseSync): unknown {
	return {
		rows: db.prepare('SELECT * FROM audit ORDER BY seq').all(),
		head: db.prepare("SELECT value FROM header WHERE key = 'audit_head'").get(),
	};
}

for (const head of ['current', 'legacy'] as const) {
	test(`one-step append equals one append per entry, after earlier entries (${head} head)`, () => {
		const one = freshDb();
		const many = freshDb();
		// Both logs already hold entries, so the batch must chain onto an existing tail.
		for (const entry of entries(0, 3)) {
			appendAudit(one, key, entry, head);
			appendAudit(many, key, entry, head);
		}

		for (const entry of entries(3, 50)) {
			appendAudit(one, key, entry, head);
		}

		appendAuditEntries(many, key, entries(3, 50), head);
		assert.deepEqual(dump(many), dump(one));
		assert.deepEqual(verifyAudit(many, key, head), {ok: true, entries: 53});
	});
}

test('one-step append onto an empty log starts the chain, and an edited entry it wrote is caught', () => {
	const db = freshDb();
	appendAuditEntries(db, key, entries(0, 10), 'current');
	assert.deepEqual(verifyAudit(db, key, 'current'), {ok: true, entries: 10});
	db.prepare("UPDATE audit SET record_id = 'record-x' WHERE seq = 7").run();
	const verdict = verifyAudit(db, key, 'current');
	assert.equal(verdict.ok, false);
	assert.equal(verdict.ok ? 0 : verdict.firstBroken, 7);
});

test('one-step append of nothing writes nothing, not even a head', () => {
	const db = freshDb();
	appendAuditEntries(db, key, [], 'current');
	assert.deepEqual(dump(db), {rows: [], head: undefined});
});
