/**
 * `hush clone` is all or nothing: killed with SIGKILL mid-pull it leaves no vault behind, so the
 * next clone simply works (and `hush sync` does not misdirect with "no remote is set"); a wrong
 * passphrase leaves nothing behind either, and no open handle.
 */
import assert from 'node:assert/strict';
import {spawn} from 'node:child_process';
import {cpSync, existsSync, mkdtempSync, readdirSync, readlinkSync, rmSync} from 'node:fs';
import {createRequire} from 'node:module';
import {tmpdir} from 'node:os';
import {dirname, join} from 'node:path';
import {DatabaseSync} from 'node:sqlite';
import {test, type TestContext} from 'node:test';
import {WrongPassphraseError} from '../source/errors.js';
import {addRemote, clone, sync} from '../source/sync/index.js';
import {pageStats} from '../source/vault/pages.js';
import {configureStaged} from '../source/vault/storage.js';
import {Vault} from '../source/vault/vault.js';
import {cliPath, hush, passphrase, tempHome} from './helpers/hush-cli.js';
import {type RunningServer, runningServer} from './helpers/sync-server.js';
import {fastKdf} from './helpers/vault-fixtures.js';

/** Every vault file under `home`: the real one and any staging one. */
function vaultFiles(home: string): string[] {
	return readdirSync(home, {recursive: true, encoding: 'utf8'})
		.filter(file => file === 'vault.db' || file.endsWith('/vault.db'))
		.map(file => join(home, file));
}

/** Whether some vault file under `home` already holds the remote: the clone has unlocked it and is pulling. */
function pulling(home: string): boolean {
	for (const file of vaultFiles(home)) {
		try {
			const db = new DatabaseSync(file, {readOnly: true});
			try {
				if ((db.prepare('SELECT COUNT(*) AS n FROM sync_settings').get() as {n: number}).n > 0) {
					return true;
				}
			} finally {
				db.close();
			}
		} catch {
			// Still being made (or locked for a moment): look again.
		}
	}

	return false;
}

/** A running server holding `count` secrets (secret-N, KEY=value-N), pushed there by a vault of their own. */
async function serverWithSecrets(t: TestContext, count: number): Promise<{server: RunningServer; token: string}> {
	const {server, token} = await runningServer(t);
	const source = await Vault.init({home: tempHome(t), passphrase, kdf: fastKdf, command: 'test'});
	t.after(() => source.close());
	source.createSecrets(Array.from({length: count}, (_, index) => ({name: `secret-${index}`, values: {KEY: `value-${index}`}})));
	addRemote(source, {url: server.url, token, insecure: false});
	await sync(source);
	return {server, token};
}

async function waitFor(condition: () => boolean, what: string, exited: () => boolean): Promise<void> {
	while (!condition()) {
		if (exited()) {
			throw new Error(`the clone ended before ${what}`);
		}

		await new Promise(resolve => setImmediate(resolve));
	}
}

test('a clone killed with SIGKILL mid-pull leaves no vault; the next clone works', {timeout: 300_000}, async t => {
	// More than one page of changes (the server's page is 2,000 records), so the pull takes several requests.
	const {server, token} = await serverWithSecrets(t, 2500);

	const home = tempHome(t);
	const child = spawn(process.execPath, [cliPath, 'clone', server.url, '--token-stdin'], {
		env: {PATH: process.env['PATH'], HOME: process.env['HOME'], HUSH_HOME: home, HUSH_PASSPHRASE: passphrase},
		stdio: ['pipe', 'ignore', 'ignore'],
	});
	let ended = false;
	const exited = new Promise<NodeJS.Signals | null>(resolve => child.on('exit', (_code, signal) => resolve(signal)));
	void exited.then(() => (ended = true));
	child.stdin.end(token);
	// Once the clone has the remote stored it is pulling: freeze the server so the pull cannot
	// finish, then kill the clone outright.
	await waitFor(() => pulling(home), 'it started pulling', () => ended);
	server.process.kill('SIGSTOP');
	child.kill('SIGKILL');
	assert.equal(await exited, 'SIGKILL');
	server.process.kill('SIGCONT');

	assert.equal(existsSync(join(home, 'vault.db')), false, 'no half-made vault under the real name');
	const sync2 = await hush(['sync'], {home});
	assert.equal(sync2.code, 1);
	assert.match(sync2.stderr, /no vault at .*hush init/);
	assert.doesNotMatch(sync2.stderr, /no remote is set/);

	const again = await hush(['clone', server.url, '--token-stdin'], {home, input: token});
	assert.equal(again.code, 0, again.stderr);
	assert.match(again.stderr, /Synced: 2500 pulled/);
	assert.deepEqual(readdirSync(home).sort(), ['vault.db'], 'the killed clone’s staging folder is swept');
	const status = JSON.parse((await hush(['status', '--json'], {home})).stdout) as {synced: number; pending: number; remote: string};
	assert.deepEqual([status.synced, status.pending, status.remote], [2500, 0, server.url]);
	assert.equal((await hush(['get', 'secret-2499', 'KEY'], {home})).stdout, 'value-2499');
});

test('clone with a wrong passphrase: exit 1, nothing left in HUSH_HOME, no handle left open', {timeout: 120_000}, async t => {
	const {server, token} = await serverWithSecrets(t, 1);

	const home = tempHome(t);
	const run = await hush(['clone', server.url, '--token-stdin'], {home, input: token, env: {HUSH_PASSPHRASE: 'not the passphrase'}});
	assert.equal(run.code, 1);
	assert.match(run.stderr, /^hush: [^\n]*passphrase[^\n]*\n$/);
	assert.deepEqual(readdirSync(home), []);

	// In process: the failed clone holds no file under the home open.
	const inProcess = tempHome(t);
	await assert.rejects(clone({home: inProcess, url: server.url, token, insecure: false, passphrase: async () => 'not the passphrase', command: 'test'}), WrongPassphraseError);
	const open = readdirSync('/proc/self/fd').flatMap(fd => {
		try {
			return [readlinkSync(join('/proc/self/fd', fd))];
		} catch {
			return [];
		}
	});
	assert.deepEqual(open.filter(target => target.startsWith(inProcess)), []);
	assert.deepEqual(readdirSync(inProcess), []);
});

test('a clone fills its staged file in memory-journal mode, sealing each metadata page once, and the vault it links is back in WAL mode', {timeout: 120_000}, async t => {
	// More than one chunk of a page (applyChunk), each written in a transaction of its own.
	const {server, token} = await serverWithSecrets(t, 1200);

	const home = tempHome(t);
	const sealedBefore = pageStats.sealed;
	const {report} = await clone({home, url: server.url, token, insecure: false, passphrase: async () => passphrase, command: 'test'});
	assert.equal(report.pulled, 1200);
	// Rowids 1–1200 fill metadata pages 0–4. The chunks are cut where pages end (127 rows first, then
	// 384 to the end of page 1, 512, and the rest), so each page is sealed once, page 0 twice.
	assert.equal(pageStats.sealed - sealedBefore, 6);
	const db = new DatabaseSync(join(home, 'vault.db'), {readOnly: true});
	try {
		// Not set by this connection: the file itself says WAL (a file left in rollback mode says delete).
		assert.equal((db.prepare('PRAGMA journal_mode').get() as {journal_mode: string}).journal_mode, 'wal');
	} finally {
		db.close();
	}

	assert.equal((await hush(['get', 'secret-1199', 'KEY'], {home})).stdout, 'value-1199');
});

test('switching a staged file\'s journal while another connection reads it keeps the old mode instead of failing', t => {
	const path = join(tempHome(t), 'staged.db');
	const writer = new DatabaseSync(path);
	t.after(() => writer.close());
	writer.exec('PRAGMA journal_mode = WAL; CREATE TABLE t (x); INSERT INTO t VALUES (1)');
	const journalMode = () => (writer.prepare('PRAGMA journal_mode').get() as {journal_mode: string}).journal_mode;

	const reader = new DatabaseSync(path, {readOnly: true});
	reader.exec('BEGIN');
	reader.prepare('SELECT * FROM t').all();
	configureStaged(writer, 'filling');
	assert.equal(journalMode(), 'wal', 'held by the reader: still WAL, and no error');
	reader.exec('COMMIT');
	reader.close();

	configureStaged(writer, 'filling');
	assert.equal(journalMode(), 'memory');
	writer.exec('INSERT INTO t VALUES (2)');
	configureStaged(writer, 'finished');
	assert.equal(journalMode(), 'wal');
});

test('a hush copied without its node_modules clones all the same: the worker cannot load its cipher, and every record is opened on the main thread', {timeout: 120_000}, async t => {
	// Past the page size from which a pull opens in the worker (open-ahead.ts's minimumAheadPage).
	const {server, token} = await serverWithSecrets(t, 600);

	const dir = mkdtempSync(join(tmpdir(), 'hush-no-modules-'));
	t.after(() => rmSync(dir, {recursive: true, force: true}));
	cpSync(dirname(cliPath), join(dir, 'dist'), {recursive: true});
	assert.throws(() => createRequire(join(dir, 'dist', 'chunks', 'x.js')).resolve('@noble/ciphers/aes.js'), /Cannot find module/, 'the copy reaches no @noble/ciphers for the worker');

	const home = tempHome(t);
	const cli = join(dir, 'dist', 'cli.js');
	const run = await hush(['clone', server.url, '--token-stdin'], {home, cli, input: token});
	assert.equal(run.code, 0, run.stderr);
	assert.match(run.stderr, /Synced: 600 pulled/);
	assert.equal((await hush(['get', 'secret-599', 'KEY'], {home, cli})).stdout, 'value-599');
});
