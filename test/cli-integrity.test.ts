import assert from 'node:assert/strict';
import {readdirSync, readFileSync, statSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {DatabaseSync} from 'node:sqlite';
import {describe, test} from 'node:test';
import {assertOneLineError, hush, hushOk, initHome} from './helpers/hush-cli.js';

function withDb<T>(home: string, work: (db: DatabaseSync) => T): T {
	const db = new DatabaseSync(join(home, 'vault.db'));
	try {
		return work(db);
	} finally {
		db.close();
	}
}

/** Flips one byte of a BLOB column in place and returns a function that puts it back. */
function flipByte(home: string, table: string, column: string, where: string, position: 'first' | 'middle' | 'last'): () => void {
	return withDb(home, db => {
		const row = db.prepare(`SELECT ${column} AS blob FROM ${table} WHERE ${where}`).get() as {blob: Uint8Array};
		const original = Buffer.from(row.blob);
		const index = position === 'first' ? 0 : position === 'middle' ? original.length >> 1 : original.length - 1;
		const flipped = Buffer.from(original);
		flipped[index]! ^= 0x01;
		db.prepare(`UPDATE ${table} SET ${column} = ? WHERE ${where}`).run(flipped);
		return () => withDb(home, restore => restore.prepare(`UPDATE ${table} SET ${column} = ? WHERE ${where}`).run(original));
	});
}

describe('tampering is caught, cleanly', () => {
	test('a flipped byte in any record ciphertext or nonce: every open refuses in one line, exit 1, nothing on stdout', async t => {
		const home = await initHome(t);
		assert.equal((await hush(['create', 'target', '--API_KEY=@@tamper-canary-77'], {home})).code, 0);
		for (const column of ['meta_nonce', 'meta_ciphertext', 'values_nonce', 'values_ciphertext']) {
			for (const position of ['first', 'middle', 'last'] as const) {
				const restore = flipByte(home, 'records', column, '1 = 1', position);
				const commands = column.startsWith('meta') ? [['get', 'target', 'API_KEY'], ['list', '--json'], ['show', 'target']] : [['get', 'target', 'API_KEY'], ['show', 'target', '--show-values']];
				for (const args of commands) {
					const run = await hush(args, {home});
					const label = `${column}[${position}] ${args.join(' ')}`;
					if (column === 'meta_ciphertext' && position !== 'last' && args[0] === 'list') {
						// The body changed behind an unchanged nonce and GCM-SIV tag (the last 16 bytes): a
						// forgery that every open refuses (get and show, here), while list shows the
						// authentic metadata its page entry was sealed from (see vault/pages-codec.ts).
						assert.equal(run.code, 0, `${label}: ${run.stderr}`);
						assert.deepEqual((JSON.parse(run.stdout) as Array<{name: string}>).map(secret => secret.name), ['target'], label);
						continue;
					}

					assert.equal(run.code, 1, `${label}: ${run.stderr}`);
					assertOneLineError(run, /failed its integrity check/);
					assert.equal(run.stdout, '', label);
					assert.ok(!run.stderr.includes('tamper-canary'), label);
				}

				restore();
			}
		}

		assert.equal((await hush(['get', 'target', 'API_KEY'], {home})).stdout, '@tamper-canary-77', 'restored bytes open again');
	});

	test('a flipped byte in the key slot reads as a wrong passphrase', async t => {
		const home = await initHome(t);
		await hushOk(['create', 'target', '--API_KEY=@@x'], {home});
		for (const column of ['salt', 'nonce', 'wrapped_key']) {
			for (const position of ['first', 'middle', 'last'] as const) {
				const restore = flipByte(home, 'keyslots', column, 'slot = 1', position);
				const run = await hush(['list'], {home});
				assert.equal(run.code, 1, `${column}[${position}]`);
				assertOneLineError(run, /wrong passphrase \(or the vault's key slot has been altered\)/);
				assert.equal(run.stdout, '');
				restore();
			}
		}
	});

	test('KDF parameters edited below the floor or above the ceiling are refused before deriving', async t => {
		const home = await initHome(t);
		const setKdf = (kdf: object) => withDb(home, db => db.prepare('UPDATE keyslots SET kdf = ? WHERE slot = 1').run(JSON.stringify(kdf)));
		setKdf({algorithm: 'argon2id', memory: 8, passes: 1, parallelism: 1});
		const weak = await hush(['list'], {home});
		assert.equal(weak.code, 1);
		assertOneLineError(weak, /refusing argon2id memory=8 .*allowed range is 19456–2097152/);
		// 1 TiB: were it derived, this would exhaust the machine, not fail in one line.
		setKdf({algorithm: 'argon2id', memory: 1024 ** 3, passes: 3, parallelism: 4});
		const bomb = await hush(['list'], {home});
		assert.equal(bomb.code, 1);
		assertOneLineError(bomb, /refusing argon2id memory=1073741824/);
		setKdf({algorithm: 'argon2i', memory: 19_456, passes: 2, parallelism: 1});
		assertOneLineError(await hush(['list'], {home}), /only argon2id is allowed/);
	});

	test('a ciphertext moved to another record does not open', async t => {
		const home = await initHome(t);
		await hushOk(['create', 'first', '--A=@@one'], {home});
		await hushOk(['create', 'second', '--A=@@two'], {home});
		withDb(home, db => {
			const rows = db.prepare('SELECT id, values_nonce, values_ciphertext FROM records').all() as Array<{id: string; values_nonce: Uint8Array; values_ciphertext: Uint8Array}>;
			const [a, b] = rows as [typeof rows[0], typeof rows[0]];
			db.prepare('UPDATE records SET values_nonce = ?, values_ciphertext = ? WHERE id = ?').run(a.values_nonce, a.values_ciphertext, b.id);
		});
		// The moved values open under neither record's AAD, and the rows no longer match the vault's
		// rollback digest, so the vault as a whole is refused at unlock (source/vault/rollback.ts).
		const results = await Promise.all([hush(['get', 'first', 'A'], {home}), hush(['get', 'second', 'A'], {home})]);
		for (const run of results) {
			assert.equal(run.code, 1);
			assertOneLineError(run, /failed its integrity check/);
			assert.equal(run.stdout, '');
		}
	});

	test('a damaged file is one line, not a stack trace', async t => {
		const home = await initHome(t);
		writeFileSync(join(home, 'vault.db'), 'this is not a database at all, just text that is long enough');
		for (const file of readdirSync(home).filter(name => name !== 'vault.db')) {
			writeFileSync(join(home, file), '');
		}

		const run = await hush(['list'], {home});
		assert.equal(run.code, 1);
		assertOneLineError(run, /damaged or not a hush vault/);
	});
});

describe('at rest', () => {
	test('no plaintext value or name under HUSH_HOME, whatever the source', async t => {
		const home = await initHome(t);
		const canaries = ['canary-literal-5d1e', 'canary-file-8c2b', 'canary-stdin-3a9f', 'canary-env-6e0d', 'canary-json-1b7c'];
		const file = join(home, '..', `${home.split('/').pop()}-value.txt`);
		writeFileSync(file, canaries[1]!);
		t.after(() => writeFileSync(file, ''));
		const run = await hush(
			['set', 'canary-name-4f2a', `--LIT=${canaries[0]}`, `--FILE=@${file}`, '--stdin', 'PIPED', '--env', 'FROM_ENV', '--values', `{"JSON": "${canaries[4]}"}`, '--description', 'canary-description-0a1b'],
			{home, input: canaries[2], env: {FROM_ENV: canaries[3]!}},
		);
		assert.equal(run.code, 0, run.stderr);
		await hushOk(['update', 'canary-name-4f2a', '--remove', 'LIT'], {home});
		await hushOk(['get', 'canary-name-4f2a', 'FILE'], {home});

		const needles = [...canaries, 'canary-name-4f2a', 'canary-description-0a1b'].flatMap(text => [
			Buffer.from(text),
			Buffer.from(Buffer.from(text).toString('base64').slice(0, 16)),
			Buffer.from(Buffer.from(text).toString('hex')),
		]);
		const files = readdirSync(home);
		assert.ok(files.includes('vault.db'));
		for (const name of files) {
			const bytes = readFileSync(join(home, name));
			for (const needle of needles) {
				assert.equal(bytes.indexOf(needle), -1, `${name} holds ${needle.toString()}`);
			}
		}
	});

	test('the vault folder is 0700 and its files 0600', async t => {
		const home = await initHome(t);
		await hushOk(['create', 'x', '--A=@@1'], {home});
		assert.equal(statSync(home).mode & 0o777, 0o700);
		for (const name of readdirSync(home)) {
			assert.equal(statSync(join(home, name)).mode & 0o777, 0o600, name);
		}
	});
});
