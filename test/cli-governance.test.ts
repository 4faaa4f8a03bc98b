/**
 * hush report, stale, rotate and audit on vaults whose history is back-dated: the history is
 * written through the SDK in this process under a mocked clock, then the built CLI reads it.
 */
import assert from 'node:assert/strict';
import {writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {describe, test, type TestContext} from 'node:test';
import {assertOneLineError, clockAt, hush, hushOk} from './helpers/hush-cli.js';
import {makeHome, newVault, openRaw} from './helpers/vault-fixtures.js';

const day = 86_400_000;

/** Runs `write` with Date frozen at `at`, then restores the real clock. */
async function at<T>(t: TestContext, iso: string, write: () => Promise<T> | T): Promise<T> {
	t.mock.timers.enable({apis: ['Date'], now: Date.parse(iso)});
	try {
		return await write();
	} finally {
		t.mock.timers.reset();
	}
}

/**
 * old-db: 400 days, used 10 days ago; mid-token: 120 days, never used; fresh: 5 days, expiring soon.
 * `now` is the moment those ages count back from: the CLI is run with it as HUSH_NOW ({@link clockAt}).
 */
async function backdatedHome(t: TestContext): Promise<{home: string; now: number}> {
	const now = Date.now();
	const daysAgo = (days: number) => new Date(now - days * day).toISOString();
	const home = makeHome(t);
	const vault = await at(t, daysAgo(500), () => newVault(home, {actor: 'alice', command: 'test'}));
	try {
		await at(t, daysAgo(400), () => vault.createSecret('old-db', {PASSWORD: 'pw-400'}, {type: 'credentials', integration: 'postgres', private: true}));
		await at(t, daysAgo(120), () => vault.createSecret('mid-token', {TOKEN: 'tok-120'}, {type: 'token', integration: 'github', writeOnly: true}));
		await at(t, daysAgo(10), () => vault.getSecret('old-db'));
		await at(t, daysAgo(5), () =>
			vault.createSecret('fresh', {URL: 'https://x'}, {type: 'url', expiresAt: new Date(Date.now() + 12 * day).toISOString()}),
		);
		await at(t, daysAgo(3), () => vault.createSecret('expired', {A: 'a'}, {expiresAt: daysAgo(1)}));
	} finally {
		vault.close();
	}

	return {home, now};
}

describe('hush stale and rotate', () => {
	test('lists secrets older than --days, oldest first with their age; exit 1 if any', async t => {
		const {home, now} = await backdatedHome(t);
		const env = clockAt(now);
		const run = await hush(['stale'], {home, env});
		assert.equal(run.code, 1);
		const lines = run.stdout.trim().split('\n');
		assert.match(lines[0]!, /^NAME\s+VISIBILITY\s+UPDATED\s+AGE$/);
		assert.match(lines[1]!, /^old-db\s+private\s+\S+\s+1y ago$/);
		assert.match(lines[2]!, /^mid-token\s+public\s+\S+\s+4mo ago$/);
		assert.equal(lines.length, 3);
		assert.match(run.stderr, /2 secrets have not changed in over 90 days/);

		const json = await hush(['stale', '--days', '200', '--json'], {home, env});
		assert.equal(json.code, 1);
		assert.deepEqual((JSON.parse(json.stdout) as Array<{name: string; ageDays: number}>).map(s => [s.name, s.ageDays]), [['old-db', 400]]);

		const none = await hush(['stale', '--days', '1000'], {home, env});
		assert.equal(none.code, 0);
		assert.equal(none.stdout, '');
		assertOneLineError(await hush(['stale', '--days', 'soon'], {home}), /--days takes a number/);
	});

	test('rotate replaces a value and resets the clock; the same value or an argv value is refused', async t => {
		const {home} = await backdatedHome(t);
		const file = join(home, 'new');
		writeFileSync(file, 'tok-rotated');
		const rotated = await hush(['rotate', 'mid-token', 'TOKEN', `@${file}`, '--json'], {home});
		assert.equal(rotated.code, 0, rotated.stderr);
		assert.ok(Date.now() - Date.parse(JSON.parse(rotated.stdout).updatedAt) < day);
		const stale = await hush(['stale', '--json'], {home});
		assert.deepEqual((JSON.parse(stale.stdout) as Array<{name: string}>).map(s => s.name), ['old-db']);

		const viaStdin = await hush(['rotate', 'old-db', 'PASSWORD', '--stdin'], {home, input: 'pw-new\n'});
		assert.equal(viaStdin.code, 0, viaStdin.stderr);
		assert.equal((await hush(['get', 'old-db', 'PASSWORD'], {home})).stdout, 'pw-new');

		const same = await hush(['rotate', 'old-db', 'PASSWORD', '--stdin'], {home, input: 'pw-new'});
		assert.equal(same.code, 1);
		assertOneLineError(same, /same as the old one: nothing rotated/);
		assertOneLineError(await hush(['rotate', 'old-db', 'PASSWORD', 'literal-value'], {home}), /never taken from the command line/);
		assertOneLineError(await hush(['rotate', 'old-db', 'NOPE', '--stdin'], {home, input: 'x'}), /secret old-db has no key NOPE to rotate/);
		assertOneLineError(await hush(['rotate', 'old-db', 'PASSWORD'], {home}), /no new value/);
	});
});

describe('hush report', () => {
	test('totals by type, visibility and integration; write-only; never used; expiring within 30 days', async t => {
		const {home, now} = await backdatedHome(t);
		const env = clockAt(now);
		const run = await hush(['report', '--json'], {home, env});
		assert.equal(run.code, 0, run.stderr);
		const report = JSON.parse(run.stdout) as Record<string, unknown>;
		assert.equal(report['total'], 4);
		assert.deepEqual(report['byType'], {credentials: 1, token: 1, url: 1, generic: 1});
		assert.deepEqual(report['byVisibility'], {private: 1, public: 3});
		assert.deepEqual(report['byIntegration'], {postgres: 1, github: 1, '(none)': 2});
		assert.equal(report['writeOnly'], 1);
		assert.deepEqual(report['neverUsed'], ['expired', 'fresh', 'mid-token']);
		assert.deepEqual((report['expiringSoon'] as Array<{name: string; expired: boolean}>).map(e => [e.name, e.expired]), [['expired', true], ['fresh', false]]);

		const text = await hush(['report'], {home, env});
		assert.match(text.stdout, /^secrets {8}4$/m);
		assert.match(text.stdout, /^never used {5}3\n {2}expired\n {2}fresh\n {2}mid-token\n/m);
		assert.match(text.stdout, /^ {2}expired \(public\) .* EXPIRED$/m);
	});
});

describe('hush audit', () => {
	test('every read path is logged with its command; names resolved, deleted secrets by id', async t => {
		const home = makeHome(t);
		(await newVault(home)).close();
		await hushOk(['set', 'app', '--KEY=@@v1', '--OTHER=@@v2'], {home});
		await hushOk(['set', 'wo', '--TOKEN=@@w1', '--write-only'], {home});
		await hushOk(['get', 'app', 'KEY'], {home});
		await hushOk(['show', 'app', '--show-values'], {home});
		await hushOk(['run', '--secret', 'app', '--secret', 'wo', '--', 'true'], {home});
		await hushOk(['inject'], {home, input: '{{app.KEY}}'});
		await hushOk(['export', 'app'], {home});
		await hushOk(['set', 'gone', '--X=@@1'], {home});
		const gone = JSON.parse((await hushOk(['show', 'gone', '--json'], {home})).stdout) as {id: string};
		await hushOk(['delete', 'gone', '--yes'], {home});

		const run = await hush(['audit', '--json'], {home});
		assert.equal(run.code, 0, run.stderr);
		const entries = JSON.parse(run.stdout) as Array<{at: string; action: string; command: string; secret: string | null; recordId: string}>;
		assert.deepEqual(
			entries.map(e => `${e.action} ${e.secret ?? e.recordId} ${e.command}`),
			[
				'create app set',
				'create wo set',
				'read app get',
				'read app show',
				'inject app run',
				'inject wo run',
				'inject app inject',
				'export app export',
				`create ${gone.id} set`,
				`delete ${gone.id} delete`,
			],
		);
		// --since counts back from HUSH_NOW: half a day after the last entry, all six of app's are
		// within a day; two days after, none is.
		const lastAt = Date.parse(entries.at(-1)!.at);
		const forApp = await hush(['audit', 'app', '--since', '1d'], {home, env: clockAt(lastAt + day / 2)});
		assert.equal(forApp.code, 0, forApp.stderr);
		assert.equal(forApp.stdout.trim().split('\n').length, 1 + 6);
		const later = await hush(['audit', 'app', '--since', '1d', '--json'], {home, env: clockAt(lastAt + 2 * day)});
		assert.equal(later.code, 0, later.stderr);
		assert.deepEqual(JSON.parse(later.stdout), []);
		const table = await hush(['audit'], {home});
		assert.match(table.stdout, new RegExp(`${gone.id} \\(deleted\\)\\s+delete`));
		assert.ok(!table.stdout.includes('v1') && !table.stdout.includes('w1'), 'no value in the log');
		const byId = await hush(['audit', gone.id, '--json'], {home});
		assert.equal(JSON.parse(byId.stdout).length, 2);
		const future = await hush(['audit', '--since', '2999-01-01', '--json'], {home});
		assert.deepEqual(JSON.parse(future.stdout), []);
		assertOneLineError(await hush(['audit', '--since', 'yesterday'], {home}), /--since "yesterday"/);
	});

	const tamperings: Array<[string, (db: ReturnType<typeof openRaw>) => void, RegExp]> = [
		['an edited entry', db => db.prepare("UPDATE audit SET action = 'update' WHERE seq = 3").run(), /audit log broken at entry 3: entry 3 has been altered/],
		['a deleted entry', db => db.prepare('DELETE FROM audit WHERE seq = 2').run(), /audit log broken at entry 2: entry 2 is missing/],
		[
			'two reordered entries',
			db => {
				db.exec('UPDATE audit SET seq = -2 WHERE seq = 2; UPDATE audit SET seq = 2 WHERE seq = 3; UPDATE audit SET seq = 3 WHERE seq = -2;');
			},
			/audit log broken at entry 2: entry 2 does not follow entry 1/,
		],
		['a removed tail', db => db.prepare('DELETE FROM audit WHERE seq = (SELECT MAX(seq) FROM audit)').run(), /audit log broken at entry 4: entries after 3 have been removed/],
	];
	for (const [what, tamper, pattern] of tamperings) {
		test(`--verify catches ${what}`, async t => {
			const home = makeHome(t);
			(await newVault(home)).close();
			await hushOk(['set', 'a', '--K=@@1'], {home});
			await hushOk(['get', 'a', 'K'], {home});
			await hushOk(['set', 'b', '--K=@@2'], {home});
			await hushOk(['get', 'b', 'K'], {home});
			const intact = await hush(['audit', '--verify'], {home});
			assert.equal(intact.code, 0, intact.stderr);
			assert.match(intact.stderr, /audit log intact: 4 entries verified/);
			const db = openRaw(home);
			try {
				tamper(db);
			} finally {
				db.close();
			}

			const broken = await hush(['audit', '--verify'], {home});
			assert.equal(broken.code, 1);
			assertOneLineError(broken, pattern);
		});
	}
});
