/** hush import bitwarden: a hand-made (not real) unencrypted Bitwarden export in test/fixtures/import. */
import assert from 'node:assert/strict';
import {readFileSync} from 'node:fs';
import {describe, test} from 'node:test';
import {assertOneLineError, hush, hushOk, initHome, listJson, vaultDigest} from './helpers/hush-cli.js';

const fixture = 'test/fixtures/import/bitwarden.json';
const fixtureText = readFileSync(fixture, 'utf8');
const fixtureValues = [...fixtureText.matchAll(/"(fixture-[\w-]+)"/g)].map(match => match[1]!);

async function values(home: string, name: string, visibility = 'false'): Promise<Record<string, string>> {
	return JSON.parse((await hushOk(['export', name, '--format', 'json', `--private=${visibility}`], {home})).stdout) as Record<string, string>;
}

describe('hush import bitwarden', () => {
	test('logins, notes, cards and SSH keys become secrets; identities and empty items are skipped and named', async t => {
		const home = await initHome(t);
		const run = await hush(['import', 'bitwarden', fixture, '--private'], {home});
		assert.equal(run.code, 0, run.stderr);
		assert.match(run.stderr, /warning: .*item 4 \("Me"\) skipped: an identity \(personal details, not a credential\) is not imported/);
		assert.match(run.stderr, /warning: .*item 6 \("Empty login"\) skipped: it holds no value/);
		assert.match(run.stderr, /item 1 \("GitHub \(work\)"\) → github-work$/m);
		assert.match(run.stderr, /item 5 \("GitHub \(work\)"\) → github-work-2$/m);
		assert.match(run.stderr, /Imported 5 items from .* as private secrets/);
		for (const value of fixtureValues) {
			assert.ok(!run.stderr.includes(value) && !run.stdout.includes(value), `no value in the output (${value.slice(0, 12)}…)`);
		}

		const list = await listJson(home);
		assert.deepEqual(list.map(secret => [secret['name'], secret['private'], secret['type']]).sort(), [
			['company-visa', true, 'credentials'],
			['deploy-ssh-key', true, 'credentials'],
			['github-work', true, 'credentials'],
			['github-work-2', true, 'credentials'],
			['staging-.env', true, 'generic'],
		]);
		const github = list.find(secret => secret['name'] === 'github-work')!;
		assert.equal(github['integration'], 'github.com');
		assert.equal(github['description'], 'Bitwarden login, folder Work');
		assert.deepEqual(await values(home, 'github-work', 'true'), {
			USERNAME: 'octo-fixture',
			PASSWORD: 'fixture-login-password',
			TOTP: 'otpauth://totp/GitHub:octo-fixture?secret=FIXTUREFIXTUREFI&issuer=GitHub',
			URL: 'https://www.github.com/login',
			URL_2: 'https://github.example.com',
			NOTES: 'Recovery codes are in the safe.\nSecond line of notes.',
			API_TOKEN: 'fixture-ghp-token-0000',
			PASSWORD_2: 'fixture-field-named-password',
			SSO: 'true',
		});
		assert.deepEqual(await values(home, 'company-visa', 'true'), {CARDHOLDER_NAME: 'Fixture Person', BRAND: 'Visa', NUMBER: '4111111111111111', EXP_MONTH: '7', EXP_YEAR: '2029', CODE: '123'});
		assert.deepEqual(await values(home, 'staging-.env', 'true'), {NOTES: 'DB_HOST=staging.internal\nDB_PASSWORD=fixture-note-password'});
		const ssh = await values(home, 'deploy-ssh-key', 'true');
		assert.match(ssh['SSH_PRIVATE_KEY']!, /^-----BEGIN OPENSSH PRIVATE KEY-----\n.*\n-----END OPENSSH PRIVATE KEY-----\n$/);
		assert.deepEqual(Object.keys(ssh), ['SSH_PRIVATE_KEY', 'SSH_PUBLIC_KEY', 'SSH_KEY_FINGERPRINT']);
	});

	test('a name already in the vault, an encrypted export or a bad item: one line, nothing imported', async t => {
		const home = await initHome(t);
		await hushOk(['set', 'company-visa', '--K=@@mine'], {home});
		const before = vaultDigest(home);
		const clash = await hush(['import', 'bitwarden', fixture], {home});
		assert.equal(clash.code, 1);
		assert.match(clash.stderr, /^hush: a public secret named company-visa already exists: nothing imported \(rename or delete it first\)$/m);
		assert.equal(clash.stderr.split('\n').filter(line => line.startsWith('hush: ') && !line.startsWith('hush: warning')).length, 1);

		const document = JSON.parse(fixtureText) as {items: Array<Record<string, unknown>>};
		const withNul = structuredClone(document);
		(withNul.items[2]!['card'] as Record<string, string>)['number'] = 'fixture-\0-number';
		const cases: Array<[string, RegExp]> = [
			[JSON.stringify({encrypted: true, encKeyValidation_DO_NOT_EDIT: 'x', items: []}), /is an encrypted Bitwarden export: export again choosing the \.json \(not encrypted\) format/],
			[JSON.stringify({folders: []}), /not a Bitwarden JSON export \(no "items" list\)/],
			[JSON.stringify(withNul), /item 3 \("Company Visa"\): value for NUMBER contains a NUL byte.*nothing imported/],
			[JSON.stringify({items: [{type: 1, name: 'x', login: {password: {nested: 'fixture-x'}}}]}), /item 1 \("x"\): PASSWORD is not text; nothing imported/],
		];
		for (const [input, pattern] of cases) {
			const run = await hush(['import', 'bitwarden', '-'], {home, input});
			assert.equal(run.code, 2, run.stderr);
			assert.match(run.stderr.split('\n').filter(line => !line.startsWith('  ') && !line.startsWith('hush: warning')).join('\n'), new RegExp(`^hush: .*${pattern.source}.*\\n$`));
			assert.ok(!run.stderr.includes('fixture-'), 'no value in the message');
		}

		assert.equal(vaultDigest(home), before);
		assertOneLineError(await hush(['import', 'bitwarden', fixture, '--name', 'x'], {home}), /'hush import bitwarden' takes that from the file: drop --name/);
	});
});
