/**
 * The server's audit log stays proportional to what happens, not to the size of the vaults: a pull
 * is one entry with the number of records it returned (it was one entry per record per pull), and
 * entries older than the retention period are removed when the server starts (and hourly).
 */
import assert from 'node:assert/strict';
import {DatabaseSync} from 'node:sqlite';
import {test} from 'node:test';
import {call, validHeader, validRecord, vaultA} from './helpers/server-api.js';
import {initServerDb, serverToken, startServer} from './helpers/sync-server.js';

const json = 'application/json';
const recordId = (index: number) => `00000000-0000-4000-8000-${String(index).padStart(12, '0')}`;

function auditRows(db: string, where = '1 = 1'): Array<Record<string, unknown>> {
	const handle = new DatabaseSync(db, {readOnly: true});
	try {
		return handle.prepare(`SELECT action, vault_id, record_id, records FROM audit WHERE ${where} ORDER BY seq`).all() as Array<Record<string, unknown>>;
	} finally {
		handle.close();
	}
}

test('a pull is one audit entry carrying how many records it returned, however many records and pages', async t => {
	const {db, admin} = await initServerDb(t);
	const server = await startServer(db);
	t.after(() => server.stop());
	const alice = await serverToken(db, ['token', 'create', '--user', 'alice', '--perm', 'secrets:read,secrets:write']);
	assert.equal((await call(server.url, {method: 'PUT', path: `/v1/vaults/${vaultA}`, token: alice, body: JSON.stringify({header: validHeader()}), contentType: json})).status, 201);
	const records = Array.from({length: 120}, (_, index) => validRecord({id: recordId(index)}));
	assert.equal((await call(server.url, {method: 'POST', path: `/v1/vaults/${vaultA}/records`, token: alice, body: JSON.stringify({records}), contentType: json})).status, 200);

	for (let pull = 0; pull < 10; pull++) {
		assert.equal((await call(server.url, {method: 'GET', path: `/v1/vaults/${vaultA}/changes?since=0`, token: alice})).status, 200);
	}

	// Paged: 50 + 50 + 20, one entry per page.
	let since = 0;
	for (;;) {
		const page = JSON.parse((await call(server.url, {method: 'GET', path: `/v1/vaults/${vaultA}/changes?since=${since}&limit=50`, token: alice})).text) as {cursor: number; more: boolean};
		since = page.cursor;
		if (!page.more) {
			break;
		}
	}

	assert.equal((await call(server.url, {method: 'GET', path: `/v1/vaults/${vaultA}/changes?since=${since}`, token: alice})).status, 200);
	const pulls = auditRows(db, "action = 'pull'");
	assert.deepEqual(
		pulls.map(row => row['records']),
		[...Array.from({length: 10}, () => 120), 50, 50, 20, 0],
	);
	assert.ok(pulls.every(row => row['vault_id'] === vaultA && row['record_id'] === null));
	// Writes stay one entry per record: who wrote which record is the point of the log.
	assert.equal(auditRows(db, "action = 'create'").length, 120);

	// The admin API shows the count.
	const entries = (JSON.parse((await call(server.url, {method: 'GET', path: '/v1/audit?limit=2', token: admin})).text) as {entries: Array<Record<string, unknown>>}).entries;
	assert.deepEqual(
		entries.map(entry => [entry['action'], entry['records']]),
		[
			['pull', 0],
			['pull', 20],
		],
	);
});

test('audit retention: entries older than the period go when the server starts; 0 keeps all; an old schema is upgraded', async t => {
	const {db} = await initServerDb(t);
	const daysAgo = (days: number) => new Date(Date.now() - days * 86_400_000).toISOString();
	const plant = (entries: Array<[string, number]>) => {
		const handle = new DatabaseSync(db);
		try {
			for (const [action, days] of entries) {
				handle.prepare("INSERT INTO audit (at, user_name, token_id, vault_id, record_id, action, client) VALUES (?, 'alice', 't', NULL, NULL, ?, '127.0.0.1')").run(daysAgo(days), action);
			}
		} finally {
			handle.close();
		}
	};

	const actions = () => auditRows(db, "action LIKE 'old-%'").map(row => row['action']);
	plant([
		['old-800', 800],
		['old-400', 400],
		['old-40', 40],
		['old-1', 1],
	]);

	const run = async (extra: string[]) => {
		const server = await startServer(db, {extra});
		// The prune runs before the server accepts connections: the ready line means it is done.
		const stopped = await server.stop();
		assert.equal(stopped.code, 0, server.stderr());
		return server.stderr();
	};

	assert.doesNotMatch(await run(['--audit-retention-days', '0']), /removed/);
	assert.deepEqual(actions(), ['old-800', 'old-400', 'old-40', 'old-1']);
	assert.match(await run([]), /removed 2 audit entries older than 365 days/);
	assert.deepEqual(actions(), ['old-40', 'old-1']);
	assert.match(await run(['--audit-retention-days', '30']), /removed 1 audit entries older than 30 days/);
	assert.deepEqual(actions(), ['old-1']);

	// A database from before the pull count (schema 1) is upgraded in place on start.
	const handle = new DatabaseSync(db);
	handle.exec("DROP INDEX audit_by_at; ALTER TABLE audit DROP COLUMN records; UPDATE server_meta SET value = '1' WHERE key = 'schema_version'");
	handle.close();
	plant([['old-500', 500]]);
	assert.match(await run([]), /removed 1 audit entries older than 365 days/);
	const upgraded = new DatabaseSync(db, {readOnly: true});
	t.after(() => upgraded.close());
	assert.equal((upgraded.prepare("SELECT value FROM server_meta WHERE key = 'schema_version'").get() as {value: string}).value, '5');
	assert.ok((upgraded.prepare('PRAGMA table_info(audit)').all() as Array<{name: string}>).some(column => column.name === 'records'));
	assert.deepEqual(actions(), ['old-1']);
});
