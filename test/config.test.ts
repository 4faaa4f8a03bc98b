/**
 * `hush config` (preferences through conf, in config.json under HUSH_HOME) and the commands that
 * follow it: `hush list`'s default order and auto-sync. The TUI's side is in tui-preferences.test.ts.
 */
import assert from 'node:assert/strict';
import {readFileSync, statSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {describe, test, type TestContext} from 'node:test';
import {assertOneLineError, cliPath, hush, hushOk, initHome, tempHome} from './helpers/hush-cli.js';
import {initServerDb, serverToken, startServer} from './helpers/sync-server.js';

const configFile = (home: string) => join(home, 'config.json');

async function configJson(home: string): Promise<Record<string, unknown>> {
	return JSON.parse((await hushOk(['config', 'list', '--json'], {home, locked: true})).stdout) as Record<string, unknown>;
}

describe('hush config', () => {
	test('list shows every setting with its default; set, get and unset round-trip through config.json in HUSH_HOME', async t => {
		const home = tempHome(t);
		assert.deepEqual(await configJson(home), {'reveal.seconds': 5, 'clipboard.clearSeconds': 30, 'tui.idleLockMinutes': 10, 'list.sort': 'name', 'sync.auto': 'vault'});
		const listed = await hushOk(['config', 'list'], {home, locked: true});
		assert.match(listed.stdout, /^reveal\.seconds +5 {2}\(default\)$/m);

		const set = await hushOk(['config', 'set', 'reveal.seconds', '12'], {home, locked: true});
		assert.equal(set.stderr, 'reveal.seconds = 12\n');
		await hushOk(['config', 'set', 'list.sort', 'USED'], {home, locked: true});
		await hushOk(['config', 'set', 'tui.idleLockMinutes', '0'], {home, locked: true});
		assert.equal((await hushOk(['config', 'get', 'reveal.seconds'], {home, locked: true})).stdout, '12\n');
		assert.equal((await hushOk(['config', 'get', 'list.sort', '--json'], {home, locked: true})).stdout.trim(), '"used"');
		assert.match((await hushOk(['config', 'list'], {home, locked: true})).stdout, /^reveal\.seconds +12$/m);

		// conf keeps dotted keys as nested objects: a file a person can read and edit.
		assert.deepEqual(JSON.parse(readFileSync(configFile(home), 'utf8')), {reveal: {seconds: 12}, list: {sort: 'used'}, tui: {idleLockMinutes: 0}});
		assert.equal(statSync(configFile(home)).mode & 0o777, 0o600);

		await hushOk(['config', 'unset', 'reveal.seconds'], {home, locked: true});
		assert.equal((await configJson(home))['reveal.seconds'], 5);
		assert.deepEqual(JSON.parse(readFileSync(configFile(home), 'utf8')), {list: {sort: 'used'}, tui: {idleLockMinutes: 0}});
	});

	test('unknown keys, bad values and wrong arity: one line, exit 2, and the file is untouched', async t => {
		const home = tempHome(t);
		await hushOk(['config', 'set', 'clipboard.clearSeconds', '45'], {home, locked: true});
		const before = readFileSync(configFile(home), 'utf8');
		const cases: Array<[string[], RegExp]> = [
			[['config', 'set', 'reveal.secs', '3'], /unknown setting "reveal\.secs": use one of reveal\.seconds, clipboard\.clearSeconds/],
			[['config', 'get', 'nope'], /unknown setting "nope"/],
			[['config', 'set', 'reveal.seconds', '0'], /reveal\.seconds "0": use a whole number of seconds from 1 to 300/],
			[['config', 'set', 'reveal.seconds', '2.5'], /reveal\.seconds "2\.5"/],
			[['config', 'set', 'clipboard.clearSeconds', '3601'], /clipboard\.clearSeconds "3601": use a whole number of seconds from 1 to 3600/],
			[['config', 'set', 'tui.idleLockMinutes', 'soon'], /tui\.idleLockMinutes "soon": use a whole number of minutes from 0 \(off\) to 1440/],
			[['config', 'set', 'list.sort', 'size'], /list\.sort "size": use name, updated, used/],
			[['config', 'set', 'sync.auto', 'maybe'], /sync\.auto "maybe": use on, off or vault/],
			[['config', 'set', 'reveal.seconds'], /usage: hush config set KEY VALUE/],
			[['config', 'frobnicate'], /unknown action "frobnicate"/],
		];
		for (const [args, pattern] of cases) {
			const run = await hush(args, {home, locked: true});
			assert.equal(run.code, 2, `${args.join(' ')}: ${run.stderr}`);
			assertOneLineError(run, pattern);
		}

		assert.equal(readFileSync(configFile(home), 'utf8'), before);
	});

	test('a file edited by hand: a bad value is warned about and its default used; broken JSON is never overwritten', async t => {
		const home = tempHome(t);
		writeFileSync(configFile(home), JSON.stringify({reveal: {seconds: 'lots'}, clipboard: {clearSeconds: 20}, list: {sort: 7}}));
		const run = await hushOk(['config', 'list', '--json'], {home, locked: true});
		assert.deepEqual(JSON.parse(run.stdout), {'reveal.seconds': 5, 'clipboard.clearSeconds': 20, 'tui.idleLockMinutes': 10, 'list.sort': 'name', 'sync.auto': 'vault'});
		assert.match(run.stderr, /^hush: warning: the config file's reveal\.seconds is not a whole number of seconds from 1 to 300: using the default, 5/m);
		assert.match(run.stderr, /^hush: warning: the config file's list\.sort is not name, updated, used: using the default, name/m);

		writeFileSync(configFile(home), '{"reveal": {"seconds": 9},');
		const listed = await hush(['config', 'list'], {home, locked: true});
		assert.equal(listed.code, 0);
		assert.match(listed.stderr, /not valid JSON.*using the default preferences/);
		assert.match(listed.stdout, /^reveal\.seconds +5 {2}\(default\)$/m);
		const set = await hush(['config', 'set', 'reveal.seconds', '3'], {home, locked: true});
		assert.equal(set.code, 1);
		assertOneLineError(set, /the config file \(config\.json in hush's home\) is not valid JSON: fix it by hand or remove it/);
		assert.equal(readFileSync(configFile(home), 'utf8'), '{"reveal": {"seconds": 9},');
	});

	test('hush get never loads conf; hush config does', async t => {
		const home = await initHome(t);
		await hushOk(['set', 'api', '--stdin', 'TOKEN'], {home, input: 'v'});
		// A load hook that reports any module containing conf's own option name.
		const hook = `data:text/javascript,${encodeURIComponent(`import {registerHooks} from 'node:module';
registerHooks({load(url, context, next) {
	const loaded = next(url, context);
	if (String(loaded.source ?? '').includes('clearInvalidConfig')) process.stderr.write('CONF-LOADED\\n');
	return loaded;
}});`)}`;
		const env = {NODE_OPTIONS: `--import=${hook}`};
		const get = await hushOk(['get', 'api', 'TOKEN'], {home, env});
		assert.equal(get.stdout, 'v');
		assert.doesNotMatch(get.stderr, /CONF-LOADED/);
		const config = await hushOk(['config', 'get', 'list.sort'], {home, env});
		assert.match(config.stderr, /CONF-LOADED/, 'the hook sees conf when it does load, so its silence above means something');
		assert.ok(cliPath.endsWith('dist/cli.js'));
	});
});

describe('commands that follow the preferences', () => {
	test('hush list uses list.sort when no --sort is given; --sort still wins; a bad value warns and sorts by name', async t => {
		const home = await initHome(t);
		for (const name of ['alpha', 'bravo', 'charlie']) {
			await hushOk(['set', name, '--stdin', 'K'], {home, input: name});
		}

		// Most recently used first under `used`: charlie, then alpha, bravo never.
		await hushOk(['get', 'alpha', 'K'], {home});
		await hushOk(['get', 'charlie', 'K'], {home});
		const names = async (args: string[] = []) => (JSON.parse((await hushOk(['list', '--json', ...args], {home})).stdout) as Array<{name: string}>).map(secret => secret.name);
		assert.deepEqual(await names(), ['alpha', 'bravo', 'charlie']);
		await hushOk(['config', 'set', 'list.sort', 'used'], {home});
		assert.deepEqual((await names()).slice(0, 2), ['charlie', 'alpha']);
		assert.deepEqual(await names(['--sort', 'name']), ['alpha', 'bravo', 'charlie']);

		writeFileSync(configFile(home), JSON.stringify({list: {sort: 'sideways'}}));
		const run = await hushOk(['list'], {home});
		assert.match(run.stderr, /warning: the config file's list\.sort is not name, updated, used: using the default, name/);
		assert.match(run.stdout, /alpha[\s\S]*bravo[\s\S]*charlie/);
	});

	test("sync.auto: vault (default) follows hush remote auto-sync; on and off override it on this machine", async t => {
		const {db} = await initServerDb(t);
		const server = await startServer(db);
		t.after(() => server.stop());
		const token = await serverToken(db, ['token', 'create', '--user', 'alice', '--perm', 'secrets:read,secrets:write']);
		const home = await initHome(t);
		await hushOk(['remote', 'add', server.url, '--token-stdin'], {home, input: token});
		const pending = async () => (JSON.parse((await hushOk(['status', '--json'], {home})).stdout) as {pending: number}).pending;

		// The vault's switch is off: nothing syncs by default, and `on` here makes it sync.
		await hushOk(['set', 'one', '--K=1'], {home});
		assert.equal(await pending(), 1);
		await hushOk(['config', 'set', 'sync.auto', 'on'], {home});
		await hushOk(['set', 'two', '--K=2'], {home});
		assert.equal(await pending(), 0);

		// The vault's switch is on, but `off` on this machine wins.
		await hushOk(['remote', 'auto-sync', 'on'], {home});
		await hushOk(['config', 'set', 'sync.auto', 'off'], {home});
		await hushOk(['set', 'three', '--K=3'], {home});
		assert.equal(await pending(), 1);

		// Back to `vault`: the vault's switch (on) decides again.
		await hushOk(['config', 'unset', 'sync.auto'], {home});
		await hushOk(['set', 'four', '--K=4'], {home});
		assert.equal(await pending(), 0);
	});

	test('sync.auto on with no remote does nothing and says nothing', async (t: TestContext) => {
		const home = await initHome(t);
		await hushOk(['config', 'set', 'sync.auto', 'on'], {home});
		const run = await hushOk(['set', 'alone', '--K=1'], {home});
		assert.match(run.stderr, /Created public secret alone/);
		assert.doesNotMatch(run.stderr, /auto-sync/);
	});
});
