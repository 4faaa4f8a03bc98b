/**
 * Sessions (`hush unlock`, HUSH_SESSION): tokens open the vault until their authenticated expiry,
 * a wrong, altered or expired token is refused cleanly, and `hush lock` ends every session.
 * Expiry is tested without waiting: a session is made through the vault API with a clock in the
 * past, so it is already over when the CLI meets it.
 */
import assert from 'node:assert/strict';
import {readdirSync, readFileSync} from 'node:fs';
import {join} from 'node:path';
import {describe, test} from 'node:test';
import {LockedVault} from '../source/vault/vault.js';
import {assertOneLineError, hush, initHome, passphrase, vaultDigest} from './helpers/hush-cli.js';
import {openRaw} from './helpers/vault-fixtures.js';

const tokenPattern = /^hs1\.\d+\.[A-Za-z0-9_-]{43}$/;

async function startSession(home: string, extra: string[] = []): Promise<string> {
	const run = await hush(['unlock', '--raw', ...extra], {home});
	assert.equal(run.code, 0, run.stderr);
	assert.match(run.stdout, tokenPattern);
	return run.stdout;
}

async function withSet(home: string): Promise<void> {
	const run = await hush(['set', 'api', '--stdin', 'TOKEN'], {home, input: 'session-test-value'});
	assert.equal(run.code, 0, run.stderr);
}

const get = (home: string, session: string, env: Record<string, string> = {}) => hush(['get', 'api', 'TOKEN'], {home, locked: true, env: {HUSH_SESSION: session, ...env}});

function sessionRows(home: string): Array<{slot: number; kind: string; expires_at: string | null}> {
	const db = openRaw(home);
	try {
		return db.prepare("SELECT slot, kind, expires_at FROM keyslots WHERE kind = 'session' ORDER BY slot").all() as Array<{slot: number; kind: string; expires_at: string | null}>;
	} finally {
		db.close();
	}
}

describe('hush unlock sessions', () => {
	test('prints export HUSH_SESSION=…; --raw prints only the token; the token unlocks every command', async t => {
		const home = await initHome(t);
		await withSet(home);
		const run = await hush(['unlock'], {home});
		assert.equal(run.code, 0, run.stderr);
		const line = /^export HUSH_SESSION=(\S+)\n$/.exec(run.stdout);
		assert.ok(line, `stdout was ${JSON.stringify(run.stdout)}`);
		assert.match(line[1]!, tokenPattern);
		assert.match(run.stderr, /^Session started; it ends at \S+, or at hush lock/);
		assert.ok(!run.stderr.includes(line[1]!), 'the token is never on stderr');

		const value = await get(home, line[1]!);
		assert.equal(value.code, 0, value.stderr);
		assert.equal(value.stdout, 'session-test-value');

		const raw = await startSession(home);
		const update = await hush(['set', 'api', '--stdin', 'OTHER'], {home, locked: true, env: {HUSH_SESSION: raw}, input: 'x'});
		assert.equal(update.code, 0, update.stderr);
	});

	test('HUSH_SESSION comes first in the unlock order: a wrong HUSH_PASSPHRASE beside it is never used', async t => {
		const home = await initHome(t);
		await withSet(home);
		const session = await startSession(home);
		const run = await get(home, session, {HUSH_PASSPHRASE: 'not the passphrase at all'});
		assert.equal(run.code, 0, run.stderr);
		assert.equal(run.stdout, 'session-test-value');
	});

	test('default 8 h; --timeout sets the expiry; a bad --timeout is exit 2 and changes nothing', async t => {
		const home = await initHome(t);
		const before = Date.now();
		await startSession(home);
		await startSession(home, ['--timeout', '30m']);
		const after = Date.now();
		const [eight, thirty] = sessionRows(home).map(row => Date.parse(row.expires_at!));
		assert.ok(eight! >= before + 8 * 3600e3 && eight! <= after + 8 * 3600e3, 'default 8 h');
		assert.ok(thirty! >= before + 30 * 60e3 && thirty! <= after + 30 * 60e3, '--timeout 30m');

		const digest = vaultDigest(home);
		for (const bad of ['0m', 'forever', '31d', '-5m', '8']) {
			const run = await hush(['unlock', '--timeout', bad], {home});
			assert.equal(run.code, 2, bad);
			assertOneLineError(run, /--timeout/);
		}

		const mixed = await hush(['unlock', '--remember', '--raw'], {home});
		assert.equal(mixed.code, 2);
		assertOneLineError(mixed, /--remember starts no session/);
		assert.equal(vaultDigest(home), digest);
	});

	test('the vault stores neither the token nor its secret, only the key it unwraps', async t => {
		const home = await initHome(t);
		const token = await startSession(home);
		const secret = Buffer.from(token.split('.')[2]!, 'base64url');
		for (const file of readdirSync(home)) {
			const bytes = readFileSync(join(home, file));
			assert.equal(bytes.indexOf(secret), -1, `${file} holds the session secret`);
			assert.equal(bytes.indexOf(Buffer.from(token)), -1, `${file} holds the token`);
			assert.equal(bytes.indexOf(Buffer.from(token.split('.')[2]!)), -1, `${file} holds the token's text`);
		}
	});

	test('a wrong, malformed or foreign token is refused in one line, exit 1, and never echoed', async t => {
		const home = await initHome(t);
		await withSet(home);
		const token = await startSession(home);
		const [prefix, slot, secret] = token.split('.') as [string, string, string];
		const flipped = `${prefix}.${slot}.${secret[0] === 'A' ? 'B' : 'A'}${secret.slice(1)}`;
		const otherHome = await initHome(t);
		const foreign = await startSession(otherHome);
		const cases: Array<[string, RegExp]> = [
			[flipped, /HUSH_SESSION does not open this vault/],
			['not-a-token', /HUSH_SESSION is not a hush session token/],
			[`${prefix}.${Number(slot) + 40}.${secret}`, /HUSH_SESSION has ended \(hush lock\) or belongs to another vault/],
			[foreign, /HUSH_SESSION does not open this vault/],
		];
		for (const [candidate, pattern] of cases) {
			const run = await get(home, candidate, {HUSH_PASSPHRASE: passphrase});
			assert.equal(run.code, 1, candidate);
			assertOneLineError(run, pattern);
			assert.ok(!run.stderr.includes(candidate.split('.').at(-1)!), 'the token is not echoed');
			assert.equal(run.stdout, '');
		}
	});

	test('an expired session is refused with when it ended; unlock clears expired sessions away', async t => {
		const home = await initHome(t);
		await withSet(home);
		const vault = await LockedVault.open({home}).unlockWithPassphrase(passphrase);
		const started = new Date(Date.now() - 9 * 3600e3);
		const expired = vault.createSession({now: started, expiresAt: new Date(started.getTime() + 8 * 3600e3)});
		vault.close();

		const run = await get(home, expired.token);
		assert.equal(run.code, 1);
		assertOneLineError(run, new RegExp(`HUSH_SESSION expired at ${expired.expiresAt.replaceAll('.', '\\.')}: run hush unlock again`));
		assert.equal(sessionRows(home).length, 1);

		const fresh = await startSession(home);
		assert.deepEqual(sessionRows(home).map(row => row.slot), [Number(fresh.split('.')[1])], 'the expired slot is gone');
		assert.equal((await get(home, fresh)).stdout, 'session-test-value');
	});

	test('the expiry is authenticated: moving it later in the file makes the session refuse to open', async t => {
		const home = await initHome(t);
		await withSet(home);
		const vault = await LockedVault.open({home}).unlockWithPassphrase(passphrase);
		const started = new Date(Date.now() - 9 * 3600e3);
		const expired = vault.createSession({now: started, expiresAt: new Date(started.getTime() + 3600e3)});
		vault.close();
		const db = openRaw(home);
		db.prepare('UPDATE keyslots SET expires_at = ? WHERE slot = ?').run(new Date(Date.now() + 3600e3).toISOString(), expired.slot);
		db.close();
		const run = await get(home, expired.token);
		assert.equal(run.code, 1);
		assertOneLineError(run, /HUSH_SESSION does not open this vault \(a wrong token, or the session was altered\)/);
	});

	test('hush lock ends every session at once', async t => {
		const home = await initHome(t);
		await withSet(home);
		const first = await startSession(home);
		const second = await startSession(home);
		assert.equal((await get(home, first)).code, 0);
		const lock = await hush(['lock'], {home, locked: true});
		assert.equal(lock.code, 0, lock.stderr);
		assert.match(lock.stderr, /removed 2 remembered unlock/);
		for (const token of [first, second]) {
			const run = await get(home, token);
			assert.equal(run.code, 1);
			assertOneLineError(run, /HUSH_SESSION has ended \(hush lock\)/);
		}

		assert.equal(sessionRows(home).length, 0);
	});

	test('a session cannot start another session or change the passphrase', async t => {
		const home = await initHome(t);
		const session = await startSession(home);
		for (const args of [['unlock'], ['unlock', '--remember'], ['passwd']]) {
			const run = await hush(args, {home, locked: true, env: {HUSH_SESSION: session, HUSH_NEW_PASSPHRASE: 'another passphrase'}});
			assert.equal(run.code, 2, args.join(' '));
			assertOneLineError(run, /the vault is locked/);
		}
	});
});

test('hush status says which step of the unlock chain opened the vault', async t => {
	const home = await initHome(t);
	const session = await startSession(home);
	const viaSession = await hush(['status', '--json'], {home, locked: true, env: {HUSH_SESSION: session}});
	assert.equal(viaSession.code, 0, viaSession.stderr);
	assert.equal((JSON.parse(viaSession.stdout) as {unlockedBy: string}).unlockedBy, 'session');
	const viaPassphrase = await hush(['status'], {home});
	assert.equal(viaPassphrase.code, 0, viaPassphrase.stderr);
	assert.match(viaPassphrase.stdout, /^unlocked {3}by HUSH_PASSPHRASE$/m);
});

test('the SDK opens the vault with a session token (options.session, or HUSH_SESSION)', async t => {
	const home = await initHome(t);
	await withSet(home);
	const token = await startSession(home);
	const {openVault} = await import('../source/unlock/open-vault.js');
	const vault = await openVault({home, session: token});
	try {
		assert.equal(vault.getSecret('api').get('TOKEN'), 'session-test-value');
	} finally {
		vault.close();
	}

	const [prefix, slot, secret] = token.split('.') as [string, string, string];
	const wrong = `${prefix}.${slot}.${secret[0] === 'A' ? 'B' : 'A'}${secret.slice(1)}`;
	await assert.rejects(openVault({home, session: wrong}), /HUSH_SESSION does not open this vault/);
});
