/**
 * hush import keychain against a real Secret Service (a private D-Bus session with gnome-keyring,
 * test/helpers/secret-service.ts): an item without an `account` attribute, which crashes keytar's
 * listing on Linux, is skipped and named; the other items are imported.
 */
import assert from 'node:assert/strict';
import {after, before, describe, test} from 'node:test';
import {assertOneLineError, hush, hushOk, initHome, vaultDigest} from './helpers/hush-cli.js';
import {type SecretService, startSecretService, storeItem} from './helpers/secret-service.js';

let keyring: SecretService;

before(async () => {
	keyring = await startSecretService();
});

after(async () => {
	await keyring?.stop();
});

describe('hush import keychain with an account-less item', () => {
	test('the good items are imported, the account-less one is named in a warning, exit 0', async t => {
		const home = await initHome(t);
		await storeItem(keyring, {service: 'import-mixed', account: 'carol'}, 'carol-value');
		await storeItem(keyring, {service: 'import-mixed', account: 'dave@example.com'}, 'dave-value');
		await storeItem(keyring, {service: 'import-mixed', username: 'bob'}, 'bob-without-account');
		const run = await hush(['import', 'keychain', '--service', 'import-mixed', '--name', 'mixed'], {home, env: keyring.env});
		assert.equal(run.code, 0, run.stderr);
		assert.equal(run.signal, null);
		assert.match(run.stderr, /^hush: warning: keychain service "import-mixed": skipped an item with no account \(username="bob"\); give it an "account" attribute to import it$/m);
		assert.match(run.stderr, /Imported 2 credentials from keychain service "import-mixed" into new public secret mixed/);
		assert.ok(!run.stderr.includes('bob-without-account') && !run.stderr.includes('carol-value'), 'no value in the output');
		assert.equal((await hushOk(['get', 'mixed', 'CAROL'], {home})).stdout, 'carol-value');
		assert.equal((await hushOk(['get', 'mixed', 'DAVE_EXAMPLE_COM'], {home})).stdout, 'dave-value');
		const show = JSON.parse((await hushOk(['show', 'mixed', '--json'], {home})).stdout) as {keys: string[]};
		assert.deepEqual(show.keys.sort(), ['CAROL', 'DAVE_EXAMPLE_COM']);
	});

	test('only account-less items: the warning, then one error; nothing stored', async t => {
		const home = await initHome(t);
		await storeItem(keyring, {service: 'import-only-bad', username: 'eve'}, 'eve-without-account');
		const before = vaultDigest(home);
		const run = await hush(['import', 'keychain', '--service', 'import-only-bad', '--name', 'bad'], {home, env: keyring.env});
		assert.equal(run.code, 1);
		assert.match(run.stderr, /^hush: warning: keychain service "import-only-bad": skipped an item with no account \(username="eve"\)/);
		assert.match(run.stderr, /^hush: the OS keychain has no items for service "import-only-bad" \(with an account attribute\): nothing imported$/m);
		assert.equal(vaultDigest(home), before);
		const one = await hush(['import', 'keychain', '--service', 'import-only-bad', '--account', 'eve', '--name', 'bad'], {home, env: keyring.env});
		assert.equal(one.code, 1);
		assertOneLineError(one, /no item for service "import-only-bad" and account "eve": nothing imported/);
	});
});
