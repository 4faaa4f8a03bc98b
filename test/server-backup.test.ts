/**
 * `hush server backup FILE`: a consistent, restorable copy of a SQLite server database taken while
 * clients keep writing to the running server.
 */
import assert from 'node:assert/strict';
import {existsSync, mkdtempSync, readdirSync, rmSync, statSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {DatabaseSync} from 'node:sqlite';
import {test} from 'node:test';
import {hush, tempHome} from './helpers/hush-cli.js';
import {call, validHeader, validRecord, vaultA} from './helpers/server-api.js';
import {initServerDb, serverToken, startServer} from './helpers/sync-server.js';

const json = 'application/json';
const recordId = (writer: number, index: number) => `00000000-0000-4000-8${writer}00-${String(index).padStart(12, '0')}`;

function facts(db: string) {
	const handle = new DatabaseSync(db, {readOnly: true});
	try {
		const one = (sql: string) => Number(Object.values(handle.prepare(sql).get() as Record<string, unknown>)[0]);
		return {
			lastSeq: one(`SELECT last_seq FROM vaults WHERE id = '${vaultA}'`),
			maxSeq: one(`SELECT COALESCE(MAX(seq), 0) FROM records WHERE vault_id = '${vaultA}'`),
			records: one('SELECT COUNT(*) FROM records'),
			created: one("SELECT COUNT(*) FROM audit WHERE action = 'create'"),
		};
	} finally {
		handle.close();
	}
}

test('hush server backup: consistent and restorable while writes go on; refuses what it cannot do', async t => {
	const {db} = await initServerDb(t);
	const server = await startServer(db);
	t.after(() => server.stop());
	const alice = await serverToken(db, ['token', 'create', '--user', 'alice', '--perm', 'secrets:read,secrets:write']);
	assert.equal((await call(server.url, {method: 'PUT', path: `/v1/vaults/${vaultA}`, token: alice, body: JSON.stringify({header: validHeader()}), contentType: json})).status, 201);

	// Two writers push one new record per request until the backups are done.
	let writing = true;
	const pushed = [0, 0];
	const writer = async (index: number) => {
		while (writing) {
			const answer = await call(server.url, {method: 'POST', path: `/v1/vaults/${vaultA}/records`, token: alice, body: JSON.stringify({records: [validRecord({id: recordId(index, pushed[index]!)})]}), contentType: json});
			assert.equal(answer.status, 200, answer.text);
			pushed[index]!++;
		}
	};

	const writers = [writer(0), writer(1)];
	const dir = mkdtempSync(join(tmpdir(), 'hush-backup-'));
	t.after(() => rmSync(dir, {recursive: true, force: true}));
	const copies: string[] = [];
	const home = tempHome(t);
	try {
		for (let index = 0; index < 3; index++) {
			const before = pushed[0]! + pushed[1]!;
			// Wait for a condition (writes have happened since the last copy), then copy while they go on.
			while (pushed[0]! + pushed[1]! < before + 20) {
				await new Promise(resolve => setImmediate(resolve));
			}

			const file = join(dir, `copy-${index}.db`);
			const run = await hush(['server', 'backup', file, '--db', db], {home});
			assert.equal(run.code, 0, run.stderr);
			assert.match(run.stderr, /^Backed up 1 vaults and \d+ records \(\d+ bytes, integrity checked\) to .*copy-\d\.db\n$/);
			copies.push(file);
		}
	} finally {
		writing = false;
		await Promise.all(writers);
	}

	const final = facts(db);
	assert.equal(final.records, pushed[0]! + pushed[1]!);
	const seen = new Set<number>();
	for (const file of copies) {
		assert.equal(statSync(file).mode & 0o777, 0o600);
		// A snapshot of one moment: every write in it whole (record, sequence and audit entry), none half.
		const copy = facts(file);
		assert.ok(copy.records > 0 && copy.records < final.records, `${copy.records} of ${final.records}`);
		assert.deepEqual(copy, {lastSeq: copy.records, maxSeq: copy.records, records: copy.records, created: copy.records});
		seen.add(copy.records);

		// Restored: a server on the copy serves every record in it.
		const restored = await startServer(file);
		try {
			const page = JSON.parse((await call(restored.url, {method: 'GET', path: `/v1/vaults/${vaultA}/changes?since=0`, token: alice})).text) as {records: unknown[]; cursor: number};
			assert.equal(page.records.length, copy.records);
			assert.equal(page.cursor, copy.lastSeq);
		} finally {
			await restored.stop();
		}
	}

	assert.equal(seen.size, copies.length, 'each copy is of a later moment');
	assert.deepEqual(readdirSync(dir).filter(name => name.includes('partial')), []);

	// Refusals: an existing file (exit 2, untouched), a PostgreSQL URL (exit 2, pg_dump named), no database (exit 1).
	const size = statSync(copies[0]!).size;
	const exists = await hush(['server', 'backup', copies[0]!, '--db', db], {home});
	assert.deepEqual([exists.code, exists.stderr], [2, `hush: ${copies[0]} already exists: back up to a new file\n`]);
	assert.equal(statSync(copies[0]!).size, size);
	const postgres = await hush(['server', 'backup', join(dir, 'pg.db'), '--db', 'postgres://hush@127.0.0.1:1/hush'], {home});
	assert.equal(postgres.code, 2);
	assert.match(postgres.stderr, /^hush: a PostgreSQL server database is backed up with pg_dump/);
	const missing = await hush(['server', 'backup', join(dir, 'none.db'), '--db', join(dir, 'absent.db')], {home});
	assert.equal(missing.code, 1);
	assert.match(missing.stderr, /^hush: there is no server database at .*absent\.db: check --db\n$/);
	assert.equal(existsSync(join(dir, 'none.db')), false);
});
