/**
 * Issue 11: `hush passwd` ends every session and the remembered device (as the design says: they
 * end when the passphrase changes or `hush lock` runs), and a refused `hush rotate` (same value)
 * writes nothing, not even an audit entry.
 */
import assert from 'node:assert/strict';
import {randomBytes} from 'node:crypto';
import {describe, test} from 'node:test';
import {VaultLockedError} from '../source/errors.js';
import {deviceSlot} from '../source/vault/keyslots.js';
import {LockedVault} from '../source/vault/vault.js';
import {assertOneLineError, hush, hushOk, initHome, vaultDigest} from './helpers/hush-cli.js';
import {fastKdf, makeHome, newVault, passphrase} from './helpers/vault-fixtures.js';

const newPassphrase = 'a brand new passphrase';

describe('hush passwd ends sessions and the remembered device', () => {
	test('a session token minted before passwd is refused after it, with one line, exit 1', async t => {
		const home = await initHome(t);
		await hushOk(['set', 'api', '--stdin', 'TOKEN'], {home, input: 'session-value'});
		const token = (await hushOk(['unlock', '--raw'], {home})).stdout;
		const before = await hush(['get', 'api', 'TOKEN'], {home, locked: true, env: {HUSH_SESSION: token}});
		assert.equal(before.stdout, 'session-value', before.stderr);

		const changed = await hush(['passwd'], {home, env: {HUSH_NEW_PASSPHRASE: newPassphrase}});
		assert.equal(changed.code, 0, changed.stderr);
		assert.match(changed.stderr, /^Passphrase changed; ended 1 session\(s\)\n$/);

		const after = await hush(['get', 'api', 'TOKEN'], {home, locked: true, env: {HUSH_SESSION: token}});
		assert.equal(after.code, 1);
		assertOneLineError(after, /HUSH_SESSION has ended/);
		assert.equal(after.stdout, '');
		const withNew = await hush(['get', 'api', 'TOKEN'], {home, locked: true, env: {HUSH_PASSPHRASE: newPassphrase}});
		assert.equal(withNew.stdout, 'session-value', withNew.stderr);
	});

	test('changePassphrase drops the device slot and every session slot in the same transaction', async t => {
		const home = makeHome(t);
		const vault = await newVault(home);
		const deviceKey = new Uint8Array(randomBytes(32));
		vault.rememberDevice(deviceKey);
		const session = vault.createSession({expiresAt: new Date(Date.now() + 3_600_000)});
		const ended = await vault.changePassphrase(newPassphrase, {kdf: fastKdf});
		assert.deepEqual(ended, {endedSessions: 1, forgotDevice: true});
		vault.close();

		const locked = LockedVault.open({home});
		assert.equal(locked.hasKeyslot(deviceSlot), false);
		assert.throws(() => locked.unlockWithDeviceKey(deviceKey), VaultLockedError);
		assert.throws(() => locked.unlockWithSession(session.token), /HUSH_SESSION has ended/);
		await assert.rejects(locked.unlockWithPassphrase(passphrase));
		// The unlocked vault owns the file from here; closing it closes the file.
		(await locked.unlockWithPassphrase(newPassphrase)).close();
	});

	test('passwd --help says so', async () => {
		const help = await hush(['passwd', '--help'], {home: '/nonexistent'});
		assert.match(help.stdout + help.stderr, /ends every session/);
		assert.doesNotMatch(help.stdout + help.stderr, /keeps working/);
	});
});

describe('hush rotate', () => {
	test('a refused rotation (same value) changes nothing: no new revision, no audit entry', async t => {
		const home = await initHome(t);
		await hushOk(['set', 'db', '--stdin', 'PASSWORD'], {home, input: 'same-value'});
		const auditBefore = JSON.parse((await hushOk(['audit', '--json'], {home})).stdout) as unknown[];
		const before = vaultDigest(home);

		const same = await hush(['rotate', 'db', 'PASSWORD', '--stdin'], {home, input: 'same-value'});
		assert.equal(same.code, 1);
		assertOneLineError(same, /the new value of PASSWORD is the same as the old one: nothing rotated/);
		assert.equal(vaultDigest(home), before, 'records, key slots, header and audit log unchanged');
		const missing = await hush(['rotate', 'db', 'NOPE', '--stdin'], {home, input: 'x'});
		assert.equal(missing.code, 1);
		assertOneLineError(missing, /secret db has no key NOPE to rotate/);
		assert.equal(vaultDigest(home), before);

		const auditAfter = JSON.parse((await hushOk(['audit', '--json'], {home})).stdout) as unknown[];
		assert.equal(auditAfter.length, auditBefore.length, 'no update entry for a refused rotation');
		await hushOk(['rotate', 'db', 'PASSWORD', '--stdin'], {home, input: 'new-value'});
		assert.equal((await hushOk(['get', 'db', 'PASSWORD'], {home})).stdout, 'new-value');
	});
});
