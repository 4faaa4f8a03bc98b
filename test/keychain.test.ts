/**
 * The OS keychain against a real Secret Service: a private D-Bus session with gnome-keyring,
 * started by this suite (test/helpers/secret-service.ts). Every hush process gets that bus's
 * address and nothing else, so the keychain of whoever runs the tests is never touched.
 */
import assert from 'node:assert/strict';
import {once} from 'node:events';
import {cpSync, existsSync, mkdtempSync, rmSync} from 'node:fs';
import {type Server, createServer} from 'node:net';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {after, before, describe, test} from 'node:test';
import {LockedVault} from '../source/vault/vault.js';
import {assertOneLineError, hush, initHome, passphrase, tempHome, vaultDigest} from './helpers/hush-cli.js';
import {type SecretService, lookupItem, startSecretService, storeItem} from './helpers/secret-service.js';

let keyring: SecretService;

before(async () => {
	keyring = await startSecretService();
});

after(async () => {
	await keyring?.stop();
});

function vaultId(home: string): string {
	const locked = LockedVault.open({home});
	try {
		return locked.id;
	} finally {
		locked.close();
	}
}

const withKeychain = () => ({...keyring.env});

describe('remembered device (key slot 2)', () => {
	test('init --remember → unlock without passphrase → passwd forgets it → lock → passphrase needed again', async t => {
		const home = tempHome(t);
		const init = await hush(['init', '--remember', '--kdf-memory', '19', '--kdf-passes', '2', '--kdf-parallelism', '1'], {home, env: withKeychain()});
		assert.equal(init.code, 0, init.stderr);
		assert.match(init.stderr, /Remembered/);
		const account = `vault:${vaultId(home)}`;
		const deviceKey = await lookupItem(keyring, {service: 'hush', account});
		assert.ok(deviceKey, 'the device key is in the keychain under hush / vault:<id>');
		assert.equal(Buffer.from(deviceKey, 'base64').length, 32);

		const set = await hush(['set', 'db', '--stdin', 'PASSWORD'], {home, locked: true, env: withKeychain(), input: 'hunter2-db'});
		assert.equal(set.code, 0, set.stderr);
		const get = await hush(['get', 'db', 'PASSWORD'], {home, locked: true, env: withKeychain()});
		assert.equal(get.code, 0, get.stderr);
		assert.equal(get.stdout, 'hunter2-db');
		assert.equal(get.stderr, '');

		// passwd needs the current passphrase (the keychain is not enough), and ends the remembered
		// device as hush lock does: its slot and its keychain item go.
		const passwdLocked = await hush(['passwd'], {home, locked: true, env: {...withKeychain(), HUSH_NEW_PASSPHRASE: 'a brand new passphrase'}});
		assert.equal(passwdLocked.code, 2);
		assertOneLineError(passwdLocked, /the vault is locked/);
		const passwd = await hush(['passwd'], {home, env: {...withKeychain(), HUSH_NEW_PASSPHRASE: 'a brand new passphrase'}});
		assert.equal(passwd.code, 0, passwd.stderr);
		assert.match(passwd.stderr, /ended the remembered device/);
		assert.equal(await lookupItem(keyring, {service: 'hush', account}), undefined, 'passwd deletes the keychain item');
		const afterPasswd = await hush(['get', 'db', 'PASSWORD'], {home, locked: true, env: withKeychain()});
		assert.equal(afterPasswd.code, 2);
		assertOneLineError(afterPasswd, /the vault is locked/);
		const rememberAgain = await hush(['unlock', '--remember'], {home, env: {...withKeychain(), HUSH_PASSPHRASE: 'a brand new passphrase'}});
		assert.equal(rememberAgain.code, 0, rememberAgain.stderr);
		const remembered = await hush(['get', 'db', 'PASSWORD'], {home, locked: true, env: withKeychain()});
		assert.equal(remembered.stdout, 'hunter2-db', remembered.stderr);

		// A session started from the keychain (no passphrase), which lock must end too.
		const session = await hush(['unlock', '--raw'], {home, locked: true, env: withKeychain()});
		assert.equal(session.code, 0, session.stderr);

		const lock = await hush(['lock'], {home, locked: true, env: withKeychain()});
		assert.equal(lock.code, 0, lock.stderr);
		assert.match(lock.stderr, /removed 2 remembered unlock\(s\)/);
		assert.equal(await lookupItem(keyring, {service: 'hush', account}), undefined, 'lock deletes the keychain item');
		const ended = await hush(['get', 'db', 'PASSWORD'], {home, locked: true, env: {...withKeychain(), HUSH_SESSION: session.stdout}});
		assert.equal(ended.code, 1);
		assertOneLineError(ended, /HUSH_SESSION has ended/);

		const locked = await hush(['get', 'db', 'PASSWORD'], {home, locked: true, env: withKeychain()});
		assert.equal(locked.code, 2);
		assertOneLineError(locked, /the vault is locked: set HUSH_PASSPHRASE/);
		const withPassphrase = await hush(['get', 'db', 'PASSWORD'], {home, env: {...withKeychain(), HUSH_PASSPHRASE: 'a brand new passphrase'}});
		assert.equal(withPassphrase.code, 0, withPassphrase.stderr);
		assert.equal(withPassphrase.stdout, 'hunter2-db');
	});

	test('unlock --remember on an existing vault; a key missing from the keychain falls back to the passphrase', async t => {
		const home = await initHome(t);
		const remember = await hush(['unlock', '--remember'], {home, env: withKeychain()});
		assert.equal(remember.code, 0, remember.stderr);
		assert.equal(remember.stdout, '', 'remember prints no token');
		const list = await hush(['list', '--json'], {home, locked: true, env: withKeychain()});
		assert.equal(list.code, 0, list.stderr);

		// Someone deletes the item behind hush's back: the passphrase still works, with a warning.
		const cleared = await keyring.secretTool(['clear', 'service', 'hush', 'account', `vault:${vaultId(home)}`]);
		assert.equal(cleared.code, 0, cleared.stderr);
		const fallback = await hush(['list', '--json'], {home, env: withKeychain()});
		assert.equal(fallback.code, 0, fallback.stderr);
		assert.match(fallback.stderr, /^hush: warning: the remembered device key could not be used \(.*no item.*\); unlocking with the passphrase\n$/);
		const noPassphrase = await hush(['list'], {home, locked: true, env: withKeychain()});
		assert.equal(noPassphrase.code, 2);
		assertOneLineError(noPassphrase, /remembered device key could not be used/);
	});

	test('a device key that does not match the slot is refused, and the passphrase still opens the vault', async t => {
		const home = await initHome(t);
		assert.equal((await hush(['unlock', '--remember'], {home, env: withKeychain()})).code, 0);
		await storeItem(keyring, {service: 'hush', account: `vault:${vaultId(home)}`}, Buffer.alloc(32, 7).toString('base64'));
		const run = await hush(['list'], {home, locked: true, env: withKeychain()});
		assert.equal(run.code, 2);
		assertOneLineError(run, /device key in the OS keychain does not open this vault/);
		assert.equal((await hush(['list'], {home, env: withKeychain()})).code, 0);
	});
});

describe('--keychain values', () => {
	test('set and update read KEY=SERVICE:ACCOUNT from the keychain; values never reach output', async t => {
		const home = await initHome(t);
		await storeItem(keyring, {service: 'kv-app', account: 'alice'}, 'alice-secret-1');
		await storeItem(keyring, {service: 'kv-app', account: 'team:ci'}, 'ci-secret-2');
		const set = await hush(['set', 'app', '--keychain', 'ALICE=kv-app:alice', '--keychain', 'CI_TOKEN=kv-app:team:ci'], {home, env: withKeychain()});
		assert.equal(set.code, 0, set.stderr);
		assert.ok(!set.stderr.includes('secret-1') && !set.stderr.includes('warning'), 'no value echoed, no argv warning');
		assert.equal((await hush(['get', 'app', 'ALICE'], {home})).stdout, 'alice-secret-1');
		assert.equal((await hush(['get', 'app', 'CI_TOKEN'], {home})).stdout, 'ci-secret-2', 'the account may contain a colon');

		await storeItem(keyring, {service: 'kv-app', account: 'alice'}, 'alice-secret-rotated');
		const update = await hush(['update', 'app', '--keychain', 'ALICE=kv-app:alice'], {home, env: withKeychain()});
		assert.equal(update.code, 0, update.stderr);
		assert.equal((await hush(['get', 'app', 'ALICE'], {home})).stdout, 'alice-secret-rotated');
	});

	test('a missing item or a malformed spec is one line, exit 2, vault untouched', async t => {
		const home = await initHome(t);
		const before = vaultDigest(home);
		const missing = await hush(['set', 'app', '--keychain', 'K=kv-app:nobody'], {home, env: withKeychain()});
		assert.equal(missing.code, 2);
		assertOneLineError(missing, /--keychain K=kv-app:nobody: the OS keychain has no item for service "kv-app" and account "nobody"/);
		for (const spec of ['K', 'K=service-only', '=s:a', 'K=:a', 'K=s:', '1BAD=s:a']) {
			const run = await hush(['set', 'app', '--keychain', spec], {home, env: withKeychain()});
			assert.equal(run.code, 2, spec);
			assertOneLineError(run, /--keychain|key/i);
		}

		const twice = await hush(['set', 'app', '--keychain', 'K=kv-app:alice', '--env', 'K'], {home, env: {...withKeychain(), K: 'x'}});
		assert.equal(twice.code, 2);
		assertOneLineError(twice, /key K is given twice/);
		assert.equal(vaultDigest(home), before);
	});
});

describe('hush import keychain', () => {
	test('imports every account of a service into one secret, keys made env-var safe and reported', async t => {
		const home = await initHome(t);
		const values: Record<string, string> = {'alice': 'imp-alice-value', 'bob@example.com': 'imp-bob-value', '1st-user': 'imp-first-value', 'deploy.bot': 'imp-bot-value'};
		for (const [account, secret] of Object.entries(values)) {
			await storeItem(keyring, {service: 'import-several', account}, secret);
		}

		const run = await hush(['import', 'keychain', '--service', 'import-several', '--name', 'imported', '--private', '--json'], {home, env: withKeychain()});
		assert.equal(run.code, 0, run.stderr);
		const summary = JSON.parse(run.stdout) as {keys: string[]; private: boolean};
		assert.deepEqual([...summary.keys].sort(), ['ALICE', 'BOB_EXAMPLE_COM', 'DEPLOY_BOT', '_1ST_USER']);
		assert.equal(summary.private, true);
		assert.match(run.stderr, /account "bob@example.com" → BOB_EXAMPLE_COM/);
		assert.match(run.stderr, /account "1st-user" → _1ST_USER/);
		assert.match(run.stderr, /Imported 4 credentials from keychain service "import-several" into new private secret imported/);
		for (const secret of Object.values(values)) {
			assert.ok(!run.stderr.includes(secret) && !run.stdout.includes(secret), 'no value in output');
		}

		const expected: Record<string, string> = {ALICE: 'imp-alice-value', BOB_EXAMPLE_COM: 'imp-bob-value', _1ST_USER: 'imp-first-value', DEPLOY_BOT: 'imp-bot-value'};
		for (const [key, secret] of Object.entries(expected)) {
			assert.equal((await hush(['get', 'imported', key], {home})).stdout, secret, key);
		}

		const one = await hush(['import', 'keychain', '--service', 'import-several', '--account', 'alice', '--name', 'just-alice'], {home, env: withKeychain()});
		assert.equal(one.code, 0, one.stderr);
		assert.equal((await hush(['get', 'just-alice', 'ALICE'], {home})).stdout, 'imp-alice-value');
	});

	test('bad use: unknown source, missing flags, nothing under the service', async t => {
		const home = await initHome(t);
		const unknown = await hush(['import', 'vault9', '--name', 'x'], {home, env: withKeychain()});
		assert.equal(unknown.code, 2);
		assertOneLineError(unknown, /unknown import source .*: use dotenv, keychain/);
		const noName = await hush(['import', 'keychain', '--service', 'x'], {home, env: withKeychain()});
		assert.equal(noName.code, 2);
		assertOneLineError(noName, /needs --service S and --name NAME/);
		const empty = await hush(['import', 'keychain', '--service', 'import-nothing-here', '--name', 'x'], {home, env: withKeychain()});
		assert.equal(empty.code, 1);
		assertOneLineError(empty, /no items for service "import-nothing-here"/);
		const missing = await hush(['import', 'keychain', '--service', 'import-nothing-here', '--account', 'a', '--name', 'x'], {home, env: withKeychain()});
		assert.equal(missing.code, 1);
		assertOneLineError(missing, /no item for service "import-nothing-here" and account "a": nothing imported/);
	});
});

describe('without a keychain', () => {
	const noBus = (home: string) => ({DBUS_SESSION_BUS_ADDRESS: `unix:path=${join(home, 'no-such-bus')}`});

	test('no D-Bus: keychain features say so in one line with the fix, exit 1; everything else works', async t => {
		const home = tempHome(t);
		const init = await hush(['init', '--remember', '--kdf-memory', '19', '--kdf-passes', '2', '--kdf-parallelism', '1'], {home, env: noBus(home)});
		assert.equal(init.code, 1);
		assertOneLineError(init, /the OS keychain is not available \(no D-Bus session bus at .*\): start a Secret Service \(e\.g\. gnome-keyring-daemon\).*or use 'hush unlock' sessions/);
		assert.ok(!existsSync(join(home, 'vault.db')), 'init --remember without a keychain creates nothing');

		const plain = await hush(['init', '--kdf-memory', '19', '--kdf-passes', '2', '--kdf-parallelism', '1'], {home, env: noBus(home)});
		assert.equal(plain.code, 0, plain.stderr);
		for (const args of [['unlock', '--remember'], ['set', 'x', '--keychain', 'K=s:a'], ['import', 'keychain', '--service', 's', '--name', 'x'], ['import', 'keychain', '--service', 's', '--account', 'a', '--name', 'x']]) {
			const run = await hush(args, {home, env: noBus(home)});
			assert.equal(run.code, 1, args.join(' '));
			assertOneLineError(run, /the OS keychain is not available .*gnome-keyring/);
		}

		const set = await hush(['set', 'x', '--stdin', 'K'], {home, env: noBus(home), input: 'v'});
		assert.equal(set.code, 0, set.stderr);
		assert.equal((await hush(['get', 'x', 'K'], {home, env: noBus(home)})).stdout, 'v');
		const session = await hush(['unlock', '--raw'], {home, env: noBus(home)});
		assert.equal(session.code, 0, session.stderr);
		assert.equal((await hush(['get', 'x', 'K'], {home, locked: true, env: {...noBus(home), HUSH_SESSION: session.stdout}})).stdout, 'v');
		const lock = await hush(['lock'], {home, env: noBus(home)});
		assert.equal(lock.code, 0, lock.stderr);
	});

	test('no native module (a bundle without node_modules): one line, exit 1; the rest of hush works', async t => {
		const dir = mkdtempSync(join(tmpdir(), 'hush-no-keytar-'));
		t.after(() => rmSync(dir, {recursive: true, force: true}));
		cpSync('dist', join(dir, 'dist'), {recursive: true});
		const cli = join(dir, 'dist', 'cli.js');
		const home = await initHome(t);
		const run = await hush(['set', 'x', '--keychain', 'K=s:a'], {home, cli, env: withKeychain()});
		assert.equal(run.code, 1);
		assertOneLineError(run, /the OS keychain is not available: its native module could not be loaded .*use 'hush unlock' sessions/);
		const set = await hush(['set', 'x', '--stdin', 'K'], {home, cli, env: withKeychain(), input: 'v'});
		assert.equal(set.code, 0, set.stderr);
		assert.equal((await hush(['get', 'x', 'K'], {home, cli, env: withKeychain()})).stdout, 'v');
	});

	test('a remembered vault on a machine whose keychain went away: lock still locks, with a warning', async t => {
		const home = await initHome(t);
		assert.equal((await hush(['unlock', '--remember'], {home, env: withKeychain()})).code, 0);
		const lock = await hush(['lock'], {home, env: noBus(home)});
		assert.equal(lock.code, 0, lock.stderr);
		assert.match(lock.stderr, /^hush: warning: the device key slot is removed, but its keychain item could not be deleted: the OS keychain is not available/);
		const locked = await hush(['list'], {home, locked: true, env: withKeychain()});
		assert.equal(locked.code, 2, 'the leftover keychain item opens nothing');
		await keyring.secretTool(['clear', 'service', 'hush', 'account', `vault:${vaultId(home)}`]);
	});

	test('a bus that never answers: hush gives up at the deadline, exit 1, and ends', async t => {
		const dir = mkdtempSync(join(tmpdir(), 'hush-hung-bus-'));
		const socketPath = join(dir, 'bus');
		const server: Server = createServer(socket => socket.resume());
		server.listen(socketPath);
		await once(server, 'listening');
		t.after(() => {
			server.close();
			rmSync(dir, {recursive: true, force: true});
		});
		const home = await initHome(t);
		const env = {DBUS_SESSION_BUS_ADDRESS: `unix:path=${socketPath}`, HUSH_KEYCHAIN_TIMEOUT_MS: '1500'};
		for (const args of [['set', 'x', '--keychain', 'K=s:a'], ['import', 'keychain', '--service', 's', '--name', 'x'], ['unlock', '--remember']]) {
			const run = await hush(args, {home, env});
			assert.equal(run.code, 1, args.join(' '));
			assertOneLineError(run, /the D-Bus session bus did not answer within 1\.5 s/);
		}

		assert.equal((await hush(['list'], {home, env})).code, 0, 'commands that do not use the keychain never ask it');
	});
});

test('the passphrase never reaches the keychain child or its output', async t => {
	const home = await initHome(t);
	await storeItem(keyring, {service: 'import-env', account: 'a'}, 'env-value');
	const run = await hush(['import', 'keychain', '--service', 'import-env', '--name', 'x'], {home, env: withKeychain()});
	assert.equal(run.code, 0, run.stderr);
	assert.ok(!run.stderr.includes(passphrase) && !run.stdout.includes(passphrase));
});
