import assert from 'node:assert/strict';
import {copyFileSync} from 'node:fs';
import {userInfo} from 'node:os';
import {join} from 'node:path';
import {DatabaseSync} from 'node:sqlite';
import {describe, test} from 'node:test';
import {defaultUserName, fingerprint, fingerprintDigits, fingerprintHex} from '../source/team/identity.js';
import {assertOneLineError, hush, hushOk, initHome, tempHome, vaultDigest} from './helpers/hush-cli.js';

type Whoami = {name: string; fingerprint: string; fingerprintHex: string; team: null; role: null; signingKey: string; kemKey: string};

function hasIdentity(home: string): boolean {
	const db = new DatabaseSync(join(home, 'vault.db'), {readOnly: true});
	try {
		return db.prepare("SELECT 1 FROM header WHERE key = 'team_identity'").get() !== undefined;
	} finally {
		db.close();
	}
}

async function whoamiJson(home: string): Promise<Whoami> {
	return JSON.parse((await hushOk(['whoami', '--json'], {home})).stdout) as Whoami;
}

describe('hush whoami', () => {
	test('hush --help lists it, and it has --help with usage and examples', async t => {
		const home = tempHome(t);
		assert.match((await hushOk(['--help'], {home})).stdout, /^ {2}whoami +Show your identity/m);
		const help = await hushOk(['whoami', '--help'], {home});
		assert.match(help.stdout, /^Usage: hush whoami \[--json\]/m);
		assert.match(help.stdout, /^Examples:\n {2}hush whoami$/m);
	});

	test('a vault made by hush before identities (test/fixtures/vault-v3) gets one at its first whoami, not on get, and keeps every secret', async t => {
		const home = tempHome(t);
		copyFileSync(join('test', 'fixtures', 'vault-v3', 'vault.db'), join(home, 'vault.db'));
		assert.equal(hasIdentity(home), false);

		assert.equal((await hushOk(['get', 'deploy-key', 'TOKEN'], {home})).stdout, 'public-before-identity');
		assert.equal(hasIdentity(home), false, 'hush get never makes an identity');

		const first = await hushOk(['whoami'], {home});
		assert.match(first.stderr, /^Made your team identity/);
		const lines = first.stdout.split('\n');
		assert.equal(lines[0], `name         ${defaultUserName(userInfo().username)}`);
		assert.match(lines[1]!, /^fingerprint {2}(?:\d{5} ){7}\d{5}$/);
		assert.equal(lines[2], 'team         none (teams are not set up on this vault)');
		assert.equal(hasIdentity(home), true);

		const second = await hushOk(['whoami'], {home});
		assert.equal(second.stderr, '', 'made once only');
		assert.equal(second.stdout, first.stdout);

		// The upgrade lost nothing and broke no check.
		assert.equal((await hushOk(['get', 'deploy-key', 'TOKEN'], {home})).stdout, 'public-before-identity');
		assert.equal((await hushOk(['get', 'mine', 'NOTE'], {home})).stdout, 'private-before-identity');
		await hushOk(['audit', '--verify'], {home});
	});

	test('--json: the fingerprint and its digits are those of the public keys it shows', async t => {
		const home = await initHome(t);
		const shown = await whoamiJson(home);
		const keys = {signingKey: new Uint8Array(Buffer.from(shown.signingKey, 'base64')), kemKey: new Uint8Array(Buffer.from(shown.kemKey, 'base64'))};
		assert.equal(shown.fingerprintHex, fingerprintHex(keys));
		assert.equal(shown.fingerprint, fingerprintDigits(fingerprint(keys)));
		assert.equal(shown.team, null);
		assert.equal(shown.role, null);
		assert.deepEqual(await whoamiJson(home), shown);
	});

	test('--name renames and keeps the fingerprint; a bad name or a locked vault is one line, exit 2, nothing changed', async t => {
		const home = await initHome(t);
		const before = await whoamiJson(home);
		const renamed = JSON.parse((await hushOk(['whoami', '--json', '--name', 'alice@platform'], {home})).stdout) as Whoami;
		assert.equal(renamed.name, 'alice@platform');
		assert.equal(renamed.fingerprintHex, before.fingerprintHex);
		assert.equal((await whoamiJson(home)).name, 'alice@platform');

		const stored = vaultDigest(home);
		for (const name of ['two words', '-dash', 'x'.repeat(65), 'bell\u0007']) {
			const run = await hush(['whoami', '--name', name], {home});
			assert.equal(run.code, 2, name);
			assertOneLineError(run, /a user name is 1–64 characters/);
			assert.equal(run.stdout, '');
		}

		const locked = await hush(['whoami'], {home, locked: true});
		assert.equal(locked.code, 2);
		assert.equal(vaultDigest(home), stored);
	});

	test('two whoami at once on a vault without an identity agree on one', async t => {
		const home = tempHome(t);
		copyFileSync(join('test', 'fixtures', 'vault-v3', 'vault.db'), join(home, 'vault.db'));
		const runs = await Promise.all([hushOk(['whoami', '--json'], {home}), hushOk(['whoami', '--json'], {home})]);
		const [a, b] = runs.map(run => JSON.parse(run.stdout) as Whoami);
		assert.equal(a!.fingerprintHex, b!.fingerprintHex);
		assert.equal((await whoamiJson(home)).fingerprintHex, a!.fingerprintHex);
	});
});
