/** hush import doppler: the flat JSON of `doppler secrets download --no-file --format json`. */
import assert from 'node:assert/strict';
import {describe, test} from 'node:test';
import {assertOneLineError, hush, hushOk, initHome, vaultDigest} from './helpers/hush-cli.js';

const download = {
	DATABASE_URL: 'postgres://app:fixture-db-password@db.internal:5432/app',
	STRIPE_KEY: 'sk_test_fixture0000',
	MULTI: 'first line\nsecond line',
	EMPTY_FLAG: '',
	DOPPLER_CONFIG: 'dev',
	DOPPLER_ENVIRONMENT: 'dev',
	DOPPLER_PROJECT: 'fixture-app',
};

describe('hush import doppler', () => {
	test('every key into one env_var secret; an empty value is left out with a warning', async t => {
		const home = await initHome(t);
		const run = await hush(['import', 'doppler', '-', '--name', 'app-dev', '--private', '--json'], {home, input: JSON.stringify(download)});
		assert.equal(run.code, 0, run.stderr);
		const summary = JSON.parse(run.stdout) as {type: string; private: boolean; keys: string[]};
		assert.equal(summary.type, 'env_var');
		assert.equal(summary.private, true);
		assert.match(run.stderr, /warning: EMPTY_FLAG has an empty value in standard input, and hush stores no empty values: left out/);
		assert.match(run.stderr, /Imported 6 keys into private secret app-dev/);
		const {EMPTY_FLAG: _empty, ...stored} = download;
		assert.deepEqual(JSON.parse((await hushOk(['export', 'app-dev', '--format', 'json'], {home})).stdout), stored);
	});

	test('not an object, a non-text value or a bad key: one line naming the key, nothing imported', async t => {
		const home = await initHome(t);
		const before = vaultDigest(home);
		const cases: Array<[string, RegExp]> = [
			['["fixture-secret"]', /not a Doppler download \(expected one object of KEY: "value"/],
			[JSON.stringify({GOOD: 'fixture-secret', PORT: 5432}), /doppler key "PORT": the value must be text, not number; nothing imported/],
			[JSON.stringify({GOOD: 'fixture-secret', 'bad-key': 'fixture-secret'}), /doppler key "bad-key": invalid key name "bad-key".*nothing imported/],
			['{"GOOD": "fixture-secret",', /standard input: invalid JSON \(it ends too early\)/],
		];
		for (const [input, pattern] of cases) {
			const run = await hush(['import', 'doppler', '-', '--name', 'x'], {home, input});
			assert.equal(run.code, 2, run.stderr);
			assertOneLineError(run, pattern);
			assert.ok(!run.stderr.includes('fixture-secret'));
		}

		assertOneLineError(await hush(['import', 'doppler', '-'], {home, input: '{"A": "b"}'}), /give the secret to create with --name NAME/);
		assert.equal(vaultDigest(home), before);
	});
});
