import assert from 'node:assert/strict';
import {writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {describe, test} from 'node:test';
import {assertOneLineError, clockAt, hush, hushOk, initHome, listJson, tempHome} from './helpers/hush-cli.js';

const summaryFields = ['id', 'name', 'private', 'type', 'description', 'integration', 'writeOnly', 'keys', 'createdAt', 'createdBy', 'createdByAgent', 'updatedAt', 'lastUsedAt', 'expiresAt'];

describe('help and version', () => {
	test('hush --help lists every command and exits 0', async t => {
		const run = await hush(['--help'], {home: tempHome(t)});
		assert.equal(run.code, 0);
		for (const command of ['init', 'set', 'create', 'update', 'show', 'get', 'list', 'delete', 'rename', 'lock', 'passwd']) {
			assert.match(run.stdout, new RegExp(`^  ${command} `, 'm'), `${command} missing from hush --help`);
		}
	});

	test('every command has --help with usage and examples', async t => {
		const home = tempHome(t);
		for (const command of ['init', 'set', 'create', 'update', 'show', 'get', 'list', 'delete', 'rename', 'lock', 'passwd']) {
			const run = await hush([command, '--help'], {home});
			assert.equal(run.code, 0, command);
			assert.match(run.stdout, new RegExp(`^Usage: hush ${command}`, 'm'), command);
			assert.match(run.stdout, /^Examples:\n {2}hush /m, command);
		}
	});

	test('--version prints the package version', async t => {
		const {version} = (await import('../package.json', {with: {type: 'json'}})).default;
		const run = await hush(['--version'], {home: tempHome(t)});
		assert.equal(run.code, 0);
		assert.equal(run.stdout, `${version}\n`);
	});
});

describe('secrets through the CLI', () => {
	test('set, show, get, list, update, rename and delete', async t => {
		const home = await initHome(t);
		const keyFile = join(home, 'key.txt');
		writeFileSync(keyFile, 'sk-live-123');
		const created = await hush(['set', 'openai-creds', `--OPENAI_API_KEY=@${keyFile}`, '--type', 'token', '--integration', 'openai', '--json'], {home});
		assert.equal(created.code, 0, created.stderr);
		const summary = JSON.parse(created.stdout) as Record<string, unknown>;
		assert.deepEqual(Object.keys(summary).sort(), [...summaryFields].sort());
		assert.equal(summary['private'], false);
		assert.deepEqual(summary['keys'], ['OPENAI_API_KEY']);

		const shown = await hush(['show', 'openai-creds'], {home});
		assert.equal(shown.code, 0);
		assert.ok(!shown.stdout.includes('sk-live-123'), 'show masks values by default');
		assert.match(shown.stdout, /OPENAI_API_KEY\s+•+/);

		const value = await hush(['get', 'openai-creds', 'OPENAI_API_KEY'], {home});
		assert.equal(value.code, 0);
		assert.equal(value.stdout, 'sk-live-123', 'get prints the raw value, no newline when piped');

		const updated = await hush(['update', 'openai-creds', '--stdin', 'ORG_ID', '--description', 'work account', '--json'], {home, input: 'org-42\n'});
		assert.equal(updated.code, 0, updated.stderr);
		assert.deepEqual(JSON.parse(updated.stdout).keys, ['OPENAI_API_KEY', 'ORG_ID']);

		const withValues = await hush(['show', 'openai-creds', '--show-values', '--json'], {home});
		const full = JSON.parse(withValues.stdout) as Record<string, unknown>;
		assert.deepEqual(full['values'], {OPENAI_API_KEY: 'sk-live-123', ORG_ID: 'org-42'});
		assert.deepEqual(Object.keys(full).sort(), [...summaryFields, 'values'].sort());
		assert.ok(full['lastUsedAt'], 'a read sets lastUsedAt');

		const removed = await hush(['update', 'openai-creds', '--remove', 'ORG_ID', '--json'], {home});
		assert.deepEqual(JSON.parse(removed.stdout).keys, ['OPENAI_API_KEY']);

		assert.equal((await hush(['rename', 'openai-creds', 'openai'], {home})).code, 0);
		const names = (await listJson(home)).map(secret => secret['name']);
		assert.deepEqual(names, ['openai']);

		const deleted = await hush(['delete', 'openai', '--yes'], {home});
		assert.equal(deleted.code, 0, deleted.stderr);
		assert.deepEqual(await listJson(home), []);
	});

	test('key names survive exactly as typed', async t => {
		const home = await initHome(t);
		writeFileSync(join(home, 'f'), 'first');
		writeFileSync(join(home, 'g'), 'second');
		const run = await hush(['set', 'x', `--OPENAI_API_KEY=@${join(home, 'f')}`, `--api_key=@${join(home, 'g')}`], {home});
		assert.equal(run.code, 0, run.stderr);
		const shown = JSON.parse((await hush(['show', 'x', '--show-values', '--json'], {home})).stdout) as {values: Record<string, string>};
		assert.deepEqual(shown.values, {OPENAI_API_KEY: 'first', api_key: 'second'});
	});

	test('every value source, in one command', async t => {
		const home = await initHome(t);
		writeFileSync(join(home, 'cert.pem'), '-----BEGIN CERT-----\nabc\n-----END CERT-----\n');
		writeFileSync(join(home, 'more.yaml'), 'PORT: 0123\nFLAG: on\n');
		const run = await hush(
			['set', 'mixed', '--LITERAL=plain', '--AT=@@handle', `--CERT=@${join(home, 'cert.pem')}`, '--values', `@${join(home, 'more.yaml')}`, '--env', 'FROM_ENV', '--env', 'RENAMED=SOURCE_VAR', '--stdin', 'PIPED'],
			{home, input: 'from stdin\n', env: {FROM_ENV: 'env value', SOURCE_VAR: 'renamed value'}},
		);
		assert.equal(run.code, 0, run.stderr);
		assert.match(run.stderr, /warning: .*shell history/, 'a literal --KEY=VALUE warns');
		const {values} = JSON.parse((await hush(['show', 'mixed', '--show-values', '--json'], {home})).stdout) as {values: Record<string, string>};
		assert.deepEqual(values, {
			LITERAL: 'plain',
			AT: '@handle',
			CERT: '-----BEGIN CERT-----\nabc\n-----END CERT-----\n',
			PORT: '0123',
			FLAG: 'on',
			FROM_ENV: 'env value',
			RENAMED: 'renamed value',
			PIPED: 'from stdin',
		});
	});

	test('--values takes inline JSON and YAML', async t => {
		const home = await initHome(t);
		assert.equal((await hush(['set', 'j', '--values', '{"A": "1", "B": 2}'], {home})).code, 0);
		assert.equal((await hush(['set', 'y', '--values', 'A: "x: y"\nB: plain'], {home})).code, 0);
		const j = JSON.parse((await hush(['show', 'j', '--show-values', '--json'], {home})).stdout) as {values: unknown};
		const y = JSON.parse((await hush(['show', 'y', '--show-values', '--json'], {home})).stdout) as {values: unknown};
		assert.deepEqual(j.values, {A: '1', B: '2'});
		assert.deepEqual(y.values, {A: 'x: y', B: 'plain'});
	});

	test('private first, explicit picks, and set keeps visibility', async t => {
		const home = await initHome(t);
		assert.equal((await hush(['create', 'db', '--PASSWORD=public-pw'], {home})).code, 0);
		assert.equal((await hush(['create', 'db', '--PASSWORD=private-pw', '--private'], {home})).code, 0);
		assert.equal((await hush(['get', 'db', 'PASSWORD'], {home})).stdout, 'private-pw');
		assert.equal((await hush(['get', 'db', 'PASSWORD', '--private=false'], {home})).stdout, 'public-pw');

		const again = await hush(['create', 'db', '--PASSWORD=x'], {home});
		assert.equal(again.code, 1);
		assert.match(again.stderr, /already exists/);

		const upsert = await hush(['set', 'db', '--USER=admin', '--json'], {home});
		assert.equal(JSON.parse(upsert.stdout).private, true, 'set updates the private secret and keeps it private');
		assert.deepEqual(JSON.parse(upsert.stdout).keys, ['PASSWORD', 'USER']);

		const onlyPublic = await hush(['list', '--private=false', '--json'], {home});
		assert.deepEqual((JSON.parse(onlyPublic.stdout) as Array<{keys: string[]}>).map(secret => secret.keys), [['PASSWORD']]);

		const moved = await hush(['update', 'db', '--private=false'], {home});
		assert.equal(moved.code, 1, 'moving into a namespace where the name is taken fails');
		assert.match(moved.stderr, /public secret named db already exists/);
	});

	test('write-only secrets are marked by show, their keys unavailable under --show-values, and refused by get', async t => {
		const home = await initHome(t);
		assert.equal((await hush(['create', 'deploy', '--TOKEN=@@never-shown', '--write-only'], {home})).code, 0);
		const shown = await hush(['show', 'deploy'], {home});
		assert.match(shown.stdout, /write-only\s+yes/);
		assert.match(shown.stdout, /TOKEN\s+\(write-only\)/);
		const run = await hush(['get', 'deploy', 'TOKEN'], {home});
		assert.equal(run.code, 1);
		assert.equal(run.stdout, '');
		assert.match(run.stderr, /^hush: secret deploy is write-only/);
		assert.ok(!run.stderr.includes('never-shown'));

		const values = await hush(['show', 'deploy', '--show-values'], {home});
		assert.equal(values.code, 0, values.stderr);
		assert.match(values.stdout, /TOKEN\s+unavailable \(write-only/);
		const json = await hush(['show', 'deploy', '--show-values', '--json'], {home});
		assert.deepEqual((JSON.parse(json.stdout) as {values: unknown; unavailable: unknown}).values, {TOKEN: null});
		for (const output of [values.stdout + values.stderr, json.stdout + json.stderr]) {
			assert.ok(!output.includes('never-shown'));
		}

		const undo = await hush(['update', 'deploy', '--write-only=false'], {home});
		assert.equal(undo.code, 2);
		assert.match(undo.stderr, /cannot be undone/);
	});

	test('list filters and sorts', async t => {
		const home = await initHome(t);
		await hushOk(['create', 'b-token', '--T=1', '--type', 'token', '--integration', 'github'], {home});
		await hushOk(['create', 'a-url', '--U=1', '--type', 'url'], {home});
		await hushOk(['create', 'c-token', '--T=1', '--type', 'token', '--private'], {home});
		await hushOk(['get', 'b-token', 'T'], {home});
		const names = async (...args: string[]) => (JSON.parse((await hushOk(['list', '--json', ...args], {home})).stdout) as Array<{name: string}>).map(secret => secret.name);
		assert.deepEqual(await names(), ['a-url', 'b-token', 'c-token']);
		assert.deepEqual(await names('--type', 'token'), ['b-token', 'c-token']);
		assert.deepEqual(await names('--integration', 'github'), ['b-token']);
		assert.deepEqual(await names('--private=true'), ['c-token']);
		assert.deepEqual(await names('--sort', 'updated'), ['c-token', 'a-url', 'b-token']);
		assert.equal((await names('--sort', 'used'))[0], 'b-token');

		// Ages are measured from HUSH_NOW, fixed relative to the times hush stored, so they do not
		// drift on a slow machine ("just now" turning into "1m ago").
		const bToken = (await listJson(home)).find(secret => secret['name'] === 'b-token')!;
		const updatedAt = Date.parse(bToken['updatedAt'] as string);
		const usedAt = Date.parse(bToken['lastUsedAt'] as string);
		const table = async (now: number) => {
			const run = await hush(['list'], {home, env: clockAt(now)});
			assert.equal(run.code, 0, run.stderr);
			const [header, ...rows] = run.stdout.trimEnd().split('\n');
			assert.match(header!, /^NAME\s+VISIBILITY\s+TYPE\s+KEYS\s+INTEGRATION\s+UPDATED\s+USED$/);
			return new Map(rows.map(row => [row.split(' ')[0]!, row.split(/ {2,}/)]));
		};

		const justUpdated = await table(updatedAt + 30_000);
		assert.deepEqual(justUpdated.get('b-token')?.slice(0, 6), ['b-token', 'public', 'token', '1', 'github', 'just now']);
		assert.deepEqual(justUpdated.get('a-url')?.slice(0, 5), ['a-url', 'public', 'url', '1', '—']);
		assert.equal(justUpdated.get('a-url')?.[6], 'never');
		assert.equal(justUpdated.get('c-token')?.[1], 'private');
		assert.equal((await table(usedAt + 30_000)).get('b-token')?.[6], 'just now');
		assert.equal((await table(usedAt + 2 * 3_600_000 + 30_000)).get('b-token')?.[6], '2h ago');

		const shown = await hush(['show', 'b-token'], {home, env: clockAt(updatedAt + 3 * 86_400_000)});
		assert.equal(shown.code, 0, shown.stderr);
		assert.match(shown.stdout, new RegExp(`^  updated {6}${bToken['updatedAt'] as string} \\(3d ago\\)$`, 'm'));
		const badClock = await hush(['list'], {home, env: {HUSH_NOW: 'yesterday'}});
		assert.equal(badClock.code, 2);
		assertOneLineError(badClock, /HUSH_NOW "yesterday": use an ISO 8601 time/);
	});

	test('--expires takes dates and durations', async t => {
		const home = await initHome(t);
		const before = Date.now();
		const run = await hush(['create', 'e', '--A=1', '--expires', '30d', '--json'], {home});
		const expiresAt = Date.parse(JSON.parse(run.stdout).expiresAt as string);
		assert.ok(expiresAt >= before + 30 * 86_400e3 && expiresAt <= Date.now() + 30 * 86_400e3);
		const dated = await hush(['update', 'e', '--expires', '2027-01-31', '--json'], {home});
		assert.equal(JSON.parse(dated.stdout).expiresAt, '2027-01-31T00:00:00.000Z');
		const cleared = await hush(['update', 'e', '--expires', 'never', '--json'], {home});
		assert.equal(JSON.parse(cleared.stdout).expiresAt, null);
	});

	test('passwd changes the passphrase; lock needs no passphrase', async t => {
		const home = await initHome(t);
		await hushOk(['create', 'k', '--A=1'], {home});
		const changed = await hush(['passwd'], {home, env: {HUSH_NEW_PASSPHRASE: 'a brand new passphrase'}});
		assert.equal(changed.code, 0, changed.stderr);
		const old = await hush(['get', 'k', 'A'], {home});
		assert.equal(old.code, 1);
		assert.match(old.stderr, /^hush: wrong passphrase/);
		const fresh = await hush(['get', 'k', 'A'], {home, env: {HUSH_PASSPHRASE: 'a brand new passphrase'}});
		assert.equal(fresh.stdout, '1');
		const locked = await hush(['lock'], {home, locked: true});
		assert.equal(locked.code, 0, locked.stderr);
	});
});
