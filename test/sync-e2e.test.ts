/**
 * End to end: a real `hush serve` on 127.0.0.1 and several client homes driven through the CLI.
 */
import assert from 'node:assert/strict';
import {copyFileSync, rmSync} from 'node:fs';
import {DatabaseSync} from 'node:sqlite';
import {describe, test, type TestContext} from 'node:test';
import {openVault} from '../source/unlock/open-vault.js';
import {assertOneLineError, hush, initHome, passphrase, tempHome, vaultDigest} from './helpers/hush-cli.js';
import {initServerDb, type RunningServer, serverToken, startServer} from './helpers/sync-server.js';

type Setup = {db: string; server: RunningServer; token: string};

async function setup(t: TestContext): Promise<Setup> {
	const {db} = await initServerDb(t);
	const server = await startServer(db);
	t.after(() => server.stop());
	const token = await serverToken(db, ['token', 'create', '--user', 'alice', '--perm', 'secrets:read,secrets:write']);
	return {db, server, token};
}

async function ok(args: string[], home: string, input?: string): Promise<string> {
	const run = await hush(args, {home, input});
	assert.equal(run.code, 0, `hush ${args.join(' ')} failed (${run.code}): ${run.stderr}`);
	return run.stdout;
}

async function connected(t: TestContext, s: Setup): Promise<string> {
	const home = await initHome(t);
	await ok(['remote', 'add', s.server.url, '--token-stdin'], home, s.token);
	return home;
}

async function cloned(t: TestContext, s: Setup): Promise<string> {
	const home = tempHome(t);
	await ok(['clone', s.server.url, '--token-stdin'], home, s.token);
	return home;
}

async function values(home: string, name: string): Promise<Record<string, string>> {
	return (JSON.parse(await ok(['show', name, '--json', '--show-values'], home)) as {values: Record<string, string>}).values;
}

describe('sync between devices', () => {
	test('create on A, sync, clone on B: B has the secrets; remote show and status', async t => {
		const s = await setup(t);
		const a = await connected(t, s);
		await ok(['set', 'openai', '--stdin', 'OPENAI_API_KEY'], a, 'sk-test-123');
		await ok(['set', 'mine', '--private', '--stdin', 'TOKEN'], a, 'private-value');
		const pending = JSON.parse(await ok(['status', '--json'], a)) as {pending: number; remote: string};
		assert.equal(pending.pending, 2);
		assert.equal(pending.remote, s.server.url);
		await ok(['sync'], a);
		const b = await cloned(t, s);
		assert.equal(await ok(['get', 'openai', 'OPENAI_API_KEY'], b), 'sk-test-123');
		assert.equal(await ok(['get', 'mine', 'TOKEN'], b), 'private-value');
		const status = JSON.parse(await ok(['status', '--json'], b)) as {pending: number; conflicts: number; synced: number; lastSync: string | null};
		assert.deepEqual([status.pending, status.conflicts, status.synced], [0, 0, 2]);
		assert.ok(status.lastSync);
		const shown = await ok(['remote', 'show'], b);
		assert.match(shown, new RegExp(s.server.url));
		assert.ok(!shown.includes(s.token), 'remote show never prints the token');
		// The token is in the vault file only as ciphertext.
		const db = new DatabaseSync(`${b}/vault.db`, {readOnly: true});
		const settings = db.prepare('SELECT * FROM sync_settings').all();
		db.close();
		assert.equal(settings.length, 1);
		assert.ok(!JSON.stringify(settings).includes(s.token.slice(-20)));
	});

	test('offline edits of different keys of one secret on A and B merge', async t => {
		const s = await setup(t);
		const a = await connected(t, s);
		await ok(['set', 'db', '--values', '{"USER":"u0","PASS":"p0"}'], a);
		await ok(['sync'], a);
		const b = await cloned(t, s);
		await ok(['update', 'db', '--values', '{"USER":"u-from-a"}'], a);
		await ok(['update', 'db', '--values', '{"PASS":"p-from-b","HOST":"h-from-b"}', '--description', 'from B'], b);
		await ok(['sync'], a);
		await ok(['sync'], b);
		await ok(['sync'], a);
		const expected = {USER: 'u-from-a', PASS: 'p-from-b', HOST: 'h-from-b'};
		assert.deepEqual(await values(a, 'db'), expected);
		assert.deepEqual(await values(b, 'db'), expected);
		assert.equal((JSON.parse(await ok(['show', 'db', '--json'], a)) as {description: string}).description, 'from B');
	});

	test('the same key edited on both: a conflict keeping both values, resolvable either way', async t => {
		const s = await setup(t);
		const a = await connected(t, s);
		await ok(['set', 'db', '--values', '{"PASS":"base","USER":"u"}'], a);
		await ok(['sync'], a);
		const b = await cloned(t, s);
		const c = await cloned(t, s);
		await ok(['update', 'db', '--values', '{"PASS":"from-a"}'], a);
		await ok(['update', 'db', '--values', '{"PASS":"from-b","USER":"u-b"}'], b);
		await ok(['sync'], a);
		const conflicted = await hush(['sync'], {home: b});
		assert.equal(conflicted.code, 1);
		assert.match(conflicted.stderr, /1 conflict/);
		const list = JSON.parse(await ok(['conflicts', '--json'], b)) as Array<{name: string; detail: string[]}>;
		assert.equal(list.length, 1);
		assert.equal(list[0]!.name, 'db');
		assert.deepEqual(list[0]!.detail, ['key PASS']);
		assert.ok(!JSON.stringify(list).includes('from-'), 'conflicts never print values');
		// Nothing was overwritten: B still has its value, and the server (A) has A's.
		assert.equal((await values(b, 'db'))['PASS'], 'from-b');
		assert.equal((JSON.parse(await ok(['status', '--json'], b)) as {conflicts: number}).conflicts, 1);
		// Taking the server's side for the conflicting key keeps B's non-conflicting USER change.
		await ok(['resolve', 'db', '--take', 'remote'], b);
		assert.deepEqual(await values(b, 'db'), {PASS: 'from-a', USER: 'u-b'});
		await ok(['sync'], b);
		await ok(['sync'], a);
		assert.deepEqual(await values(a, 'db'), {PASS: 'from-a', USER: 'u-b'});

		// And the other way: C edits PASS against the new state; A edits it too; C keeps its own.
		await ok(['sync'], c);
		await ok(['update', 'db', '--values', '{"PASS":"from-a-2"}'], a);
		await ok(['update', 'db', '--values', '{"PASS":"from-c"}'], c);
		await ok(['sync'], a);
		assert.equal((await hush(['sync'], {home: c})).code, 1);
		await ok(['resolve', 'db', '--take', 'local'], c);
		await ok(['sync'], c);
		await ok(['sync'], a);
		assert.equal((await values(a, 'db'))['PASS'], 'from-c');
		assert.equal((JSON.parse(await ok(['conflicts', '--json'], c)) as unknown[]).length, 0);

		// Per key: two keys conflict; each gets its own side. A partial choice is refused, changing nothing.
		await ok(['sync'], c);
		await ok(['update', 'db', '--values', '{"PASS":"a-3","USER":"a-3"}'], a);
		await ok(['update', 'db', '--values', '{"PASS":"c-3","USER":"c-3"}'], c);
		await ok(['sync'], a);
		assert.equal((await hush(['sync'], {home: c})).code, 1);
		const partial = await hush(['resolve', 'db', '--key', 'PASS=remote'], {home: c});
		assert.equal(partial.code, 2);
		assert.match(partial.stderr, /still has conflicts without a side: key USER/);
		await ok(['resolve', 'db', '--key', 'PASS=remote', '--key', 'USER=local'], c);
		await ok(['sync'], c);
		await ok(['sync'], a);
		assert.deepEqual(await values(a, 'db'), {PASS: 'a-3', USER: 'c-3'});
	});

	test('a conflicted secret whose local row was put back from an older copy of the file: conflicts and the conflict view refuse it', async t => {
		const s = await setup(t);
		const a = await connected(t, s);
		await ok(['set', 'db', '--values', '{"PASS":"base"}'], a);
		await ok(['sync'], a);
		const b = await cloned(t, s);
		const id = (JSON.parse(await ok(['show', 'db', '--json'], b)) as {id: string}).id;
		const older = new DatabaseSync(`${b}/vault.db`, {readOnly: true});
		const oldRow = older.prepare('SELECT revision, meta_nonce, meta_ciphertext, values_nonce, values_ciphertext FROM records WHERE id = ?').get(id) as Record<string, unknown>;
		older.close();
		await ok(['update', 'db', '--values', '{"PASS":"from-a"}'], a);
		await ok(['update', 'db', '--values', '{"PASS":"from-b"}'], b);
		await ok(['sync'], a);
		assert.equal((await hush(['sync'], {home: b})).code, 1);

		const file = new DatabaseSync(`${b}/vault.db`);
		file.prepare('UPDATE records SET revision = ?, meta_nonce = ?, meta_ciphertext = ?, values_nonce = ?, values_ciphertext = ? WHERE id = ?').run(
			oldRow['revision'] as number, oldRow['meta_nonce'] as Uint8Array, oldRow['meta_ciphertext'] as Uint8Array, oldRow['values_nonce'] as Uint8Array, oldRow['values_ciphertext'] as Uint8Array, id,
		);
		file.close();
		const listed = await hush(['conflicts', '--json'], {home: b});
		assert.equal(listed.code, 1);
		assertOneLineError(listed, /rollback digest/);
		const vault = await openVault({home: b, passphrase});
		t.after(() => vault.close());
		const {describeConflict} = await import('../source/sync/index.js');
		assert.throws(() => describeConflict(vault, id), /rollback digest/);
	});

	test('edit versus delete is a conflict; either side can win', async t => {
		const s = await setup(t);
		const a = await connected(t, s);
		await ok(['set', 'one', '--K=v0'], a);
		await ok(['set', 'two', '--K=v0'], a);
		await ok(['sync'], a);
		const b = await cloned(t, s);
		// one: deleted on A, edited on B → B keeps its edit (take local).
		await ok(['delete', 'one', '--yes'], a);
		await ok(['update', 'one', '--K=edited-on-b'], b);
		// two: edited on A, deleted on B → B takes the server's edit (take remote).
		await ok(['update', 'two', '--K=edited-on-a'], a);
		await ok(['delete', 'two', '--yes'], b);
		await ok(['sync'], a);
		assert.equal((await hush(['sync'], {home: b})).code, 1);
		const list = JSON.parse(await ok(['conflicts', '--json'], b)) as Array<{name: string; detail: string[]}>;
		assert.deepEqual(
			list.map(entry => [entry.name, entry.detail[0]]),
			[
				['one', 'edited here, deleted on the server'],
				['two', 'deleted here, edited on the server'],
			],
		);
		await ok(['resolve', 'one', '--take', 'local'], b);
		await ok(['resolve', 'two', '--take', 'remote'], b);
		await ok(['sync'], b);
		await ok(['sync'], a);
		for (const home of [a, b]) {
			assert.equal(await ok(['get', 'one', 'K'], home), 'edited-on-b');
			assert.equal(await ok(['get', 'two', 'K'], home), 'edited-on-a');
		}
	});

	test('server unreachable: one line, exit 1, local work intact and pushed later', async t => {
		const s = await setup(t);
		const a = await connected(t, s);
		await ok(['set', 'kept', '--K=offline-work'], a);
		await s.server.stop();
		const before = vaultDigest(a);
		const run = await hush(['sync'], {home: a});
		assert.equal(run.code, 1);
		assertOneLineError(run, /cannot reach the sync server at http:\/\/127\.0\.0\.1:\d+: connection refused/);
		assert.equal(vaultDigest(a), before);
		assert.equal(await ok(['get', 'kept', 'K'], a), 'offline-work');
		const again = await startServer(s.db, {port: s.server.port});
		t.after(() => again.stop());
		await ok(['sync'], a);
		const b = tempHome(t);
		await ok(['clone', again.url, '--token-stdin'], b, s.token);
		assert.equal(await ok(['get', 'kept', 'K'], b), 'offline-work');
	});

	test('server SIGKILLed mid-sync and restarted: the next sync completes, nothing lost or duplicated', async t => {
		const s = await setup(t);
		const a = await connected(t, s);
		const count = 3000;
		const vault = await openVault({home: a, passphrase});
		vault.createSecrets(Array.from({length: count}, (_, index) => ({name: `bulk-${index}`, values: {V: `value-${index}`}})));
		vault.close();

		const sync = hush(['sync'], {home: a});
		// Hold the server database's write lock as soon as the first pushed batch is in, so the server
		// is caught with the rest of the push in flight; then kill it. No timers: conditions only.
		const watcher = new DatabaseSync(s.db, {timeout: 60_000});
		t.after(() => watcher.close());
		for (;;) {
			watcher.exec('BEGIN IMMEDIATE');
			const {n} = watcher.prepare('SELECT COUNT(*) AS n FROM records').get() as {n: number};
			if (n > 0) {
				assert.ok(n < count, 'the whole push landed before the server could be stopped');
				break;
			}

			watcher.exec('ROLLBACK');
			await new Promise(resolve => setImmediate(resolve));
		}

		await s.server.kill();
		watcher.exec('ROLLBACK');
		const failed = await sync;
		assert.equal(failed.code, 1);
		assertOneLineError(failed, /sync server/);

		const again = await startServer(s.db, {port: s.server.port});
		t.after(() => again.stop());
		await ok(['sync'], a);
		const status = JSON.parse(await ok(['status', '--json'], a)) as {pending: number; synced: number};
		assert.deepEqual([status.pending, status.synced], [0, count]);
		const {n, ids} = watcher.prepare('SELECT COUNT(*) AS n, COUNT(DISTINCT id) AS ids FROM records').get() as {n: number; ids: number};
		assert.deepEqual([n, ids], [count, count]);
		const b = tempHome(t);
		await ok(['clone', again.url, '--token-stdin'], b, s.token);
		const listed = JSON.parse(await ok(['list', '--json'], b)) as Array<{name: string}>;
		assert.equal(listed.length, count);
		assert.equal(new Set(listed.map(secret => secret.name)).size, count);
		for (const index of [0, 1499, count - 1]) {
			assert.equal(await ok(['get', `bulk-${index}`, 'V'], b), `value-${index}`);
		}
	});

	test('a server replaying an old revision of a record is refused by the client', async t => {
		const s = await setup(t);
		const a = await connected(t, s);
		await ok(['set', 'rotated', '--K=old-value'], a);
		await ok(['sync'], a);
		const server = new DatabaseSync(s.db, {timeout: 60_000});
		t.after(() => server.close());
		const old = server.prepare('SELECT * FROM records').get() as Record<string, unknown>;
		await ok(['update', 'rotated', '--K=new-value'], a);
		await ok(['sync'], a);
		const b = await cloned(t, s);
		assert.equal(await ok(['get', 'rotated', 'K'], b), 'new-value');
		// The server (or whoever controls it) serves the old, validly sealed revision as a new change.
		server.exec('BEGIN IMMEDIATE');
		const {last_seq: last} = server.prepare('SELECT last_seq FROM vaults').get() as {last_seq: number};
		server.prepare('UPDATE records SET rev = ?, seq = ?, meta_nonce = ?, meta_ct = ?, values_nonce = ?, values_ct = ?').run(
			old['rev'] as number,
			last + 1,
			old['meta_nonce'] as string,
			old['meta_ct'] as string,
			old['values_nonce'] as string,
			old['values_ct'] as string,
		);
		server.prepare('UPDATE vaults SET last_seq = ?').run(last + 1);
		server.exec('COMMIT');
		const before = vaultDigest(b);
		const run = await hush(['sync'], {home: b});
		assert.equal(run.code, 1);
		assertOneLineError(run, /older than revision 2 it served before/);
		assert.equal(vaultDigest(b), before);
		assert.equal(await ok(['get', 'rotated', 'K'], b), 'new-value');
	});

	test('remote add: http:// refused beyond loopback without --insecure; token never from argv', async t => {
		const home = await initHome(t);
		const token = `hush_${'0'.repeat(16)}_${'A'.repeat(43)}`;
		const refused = await hush(['remote', 'add', 'http://sync.example.com', '--token-stdin'], {home, input: token});
		assert.equal(refused.code, 2);
		assertOneLineError(refused, /refusing plain http:\/\/ to sync\.example\.com/);
		await ok(['remote', 'add', 'http://sync.example.com', '--token-stdin', '--insecure'], home, token);
		const noToken = await hush(['remote', 'add', 'https://sync.example.com'], {home});
		assert.equal(noToken.code, 2);
		assertOneLineError(noToken, /--token-stdin/);
		await ok(['remote', 'remove'], home);
		const status = JSON.parse(await ok(['status', '--json'], home)) as {remote: string | null};
		assert.equal(status.remote, null);
	});

	test('auto-sync (off by default): on, a change syncs by itself; with the server down it only warns', async t => {
		const s = await setup(t);
		const a = await connected(t, s);
		await ok(['set', 'manual', '--K=1'], a);
		assert.equal((JSON.parse(await ok(['status', '--json'], a)) as {pending: number; autoSync: boolean}).pending, 1);
		await ok(['remote', 'auto-sync', 'on'], a);
		const set = await hush(['set', 'auto', '--K=2'], {home: a});
		assert.equal(set.code, 0);
		const status = JSON.parse(await ok(['status', '--json'], a)) as {pending: number; autoSync: boolean};
		assert.deepEqual([status.pending, status.autoSync], [0, true]);
		const b = await cloned(t, s);
		assert.equal(await ok(['get', 'auto', 'K'], b), '2');
		await s.server.stop();
		const offline = await hush(['set', 'offline', '--K=3'], {home: a});
		assert.equal(offline.code, 0);
		assert.match(offline.stderr, /warning: auto-sync failed \(the change is saved here; run hush sync later\): cannot reach the sync server/);
		assert.equal(await ok(['get', 'offline', 'K'], a), '3');
	});
	test('a server restored from an old backup (its change log behind this device) is refused', async t => {
		const s = await setup(t);
		const a = await connected(t, s);
		await ok(['set', 'first', '--K=1'], a);
		await ok(['sync'], a);
		const backup = `${s.db}.backup`;
		const live = new DatabaseSync(s.db, {timeout: 60_000});
		live.exec(`VACUUM INTO '${backup}'`);
		live.close();
		await ok(['set', 'second', '--K=2'], a);
		await ok(['sync'], a);
		const b = await cloned(t, s);
		await s.server.stop();
		copyFileSync(backup, s.db);
		rmSync(`${s.db}-wal`, {force: true});
		rmSync(`${s.db}-shm`, {force: true});
		const restored = await startServer(s.db, {port: s.server.port});
		t.after(() => restored.stop());
		const before = vaultDigest(b);
		const run = await hush(['sync'], {home: b});
		assert.equal(run.code, 1);
		assertOneLineError(run, /gone back in time/);
		assert.equal(vaultDigest(b), before);
		assert.equal(await ok(['get', 'second', 'K'], b), '2');
	});

	test('the same name created on two devices: both kept, a name clash to rename, then it heals', async t => {
		const s = await setup(t);
		const a = await connected(t, s);
		await ok(['sync'], a);
		const b = await cloned(t, s);
		await ok(['set', 'dup', '--K=from-a'], a);
		await ok(['set', 'dup', '--K=from-b'], b);
		await ok(['sync'], a);
		const clash = await hush(['sync'], {home: b});
		assert.equal(clash.code, 1);
		const list = JSON.parse(await ok(['conflicts', '--json'], b)) as Array<{id: string; name: string; kind: string}>;
		assert.deepEqual(list.map(entry => [entry.name, entry.kind]), [['dup', 'name-clash']]);
		// Both are kept: B's own under the name, A's by id.
		assert.equal(await ok(['get', 'dup', 'K'], b), 'from-b');
		assert.equal(await ok(['get', list[0]!.id, 'K'], b), 'from-a');
		await ok(['rename', list[0]!.id, 'dup-from-a'], b);
		await ok(['sync'], b);
		await ok(['sync'], a);
		await ok(['sync'], b);
		for (const home of [a, b]) {
			assert.equal(await ok(['get', 'dup', 'K'], home), 'from-b');
			assert.equal(await ok(['get', 'dup-from-a', 'K'], home), 'from-a');
			assert.equal((JSON.parse(await ok(['status', '--json'], home)) as {conflicts: number; pending: number}).conflicts, 0);
		}
	});

	test('after hush passwd, the next sync re-sends the header: a new device clones with the new passphrase only', async t => {
		const s = await setup(t);
		const a = await connected(t, s);
		await ok(['set', 'kept', '--K=v'], a);
		await ok(['sync'], a);
		const changed = await hush(['passwd'], {home: a, env: {HUSH_NEW_PASSPHRASE: 'a brand new passphrase'}});
		assert.equal(changed.code, 0, changed.stderr);
		const resent = await hush(['sync'], {home: a, env: {HUSH_PASSPHRASE: 'a brand new passphrase'}});
		assert.equal(resent.code, 0, resent.stderr);
		const old = await hush(['clone', s.server.url, '--token-stdin'], {home: tempHome(t), input: s.token});
		assert.equal(old.code, 1);
		assertOneLineError(old, /wrong passphrase/);
		const fresh = tempHome(t);
		const cloned = await hush(['clone', s.server.url, '--token-stdin'], {home: fresh, input: s.token, env: {HUSH_PASSPHRASE: 'a brand new passphrase'}});
		assert.equal(cloned.code, 0, cloned.stderr);
		assert.equal((await hush(['get', 'kept', 'K'], {home: fresh, env: {HUSH_PASSPHRASE: 'a brand new passphrase'}})).stdout, 'v');
	});
});
