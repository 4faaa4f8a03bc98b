import assert from 'node:assert/strict';
import {chmodSync, chownSync, copyFileSync, cpSync, linkSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {basename, dirname, join} from 'node:path';
import {type TestContext, describe, test} from 'node:test';
import {assertOneLineError, cliPath, hush, initHome, tempHome, vaultDigest} from './helpers/hush-cli.js';

const overLimit = 'x'.repeat(64 * 1024 + 1);

describe('bad input: one clear line, the right exit code, and the vault unchanged', () => {
	test('every kind of mistake', async t => {
		const home = await initHome(t);
		assert.equal((await hush(['create', 'existing', '--KEEP=@@kept-canary-1f3a'], {home})).code, 0);
		assert.equal((await hush(['create', 'sealed', '--TOKEN=@@hidden-canary-9b2c', '--write-only'], {home})).code, 0);
		const files = join(home, 'inputs');
		mkdirSync(files);
		writeFileSync(join(files, 'binary'), Buffer.from([0xff, 0xfe, 0x00, 0x80]));
		writeFileSync(join(files, 'huge'), overLimit);
		const before = vaultDigest(home);

		const cases: Array<{args: string[]; expect: RegExp; code?: number; input?: string; env?: Record<string, string>}> = [
			{args: ['set', 'bad name', '--A=@@x'], expect: /invalid secret name "bad name"/},
			{args: ['set', '-leading-dash', '--A=@@x'], expect: /unknown flag -l/},
			{args: ['set', '.hidden', '--A=@@x'], expect: /invalid secret name ".hidden"/},
			{args: ['set', 'n'.repeat(129), '--A=@@x'], expect: /invalid secret name/},
			{args: ['set', 'ok', '--1BAD=@@x'], expect: /invalid key name "1BAD"/},
			{args: ['set', 'ok', '--bad-key=@@x'], expect: /invalid key name "bad-key"/},
			{args: ['set', 'ok', '--stdin', 'NOT VALID'], expect: /invalid key name "NOT VALID"/, input: 'v'},
			{args: ['set', 'ok', `--A=@${join(files, 'missing')}`], expect: /no such file/},
			{args: ['set', 'ok', `--A=@${files}`], expect: /is a folder/},
			{args: ['set', 'ok', `--A=@${join(files, 'binary')}`], expect: /not UTF-8 text/},
			{args: ['set', 'ok', `--A=@${join(files, 'huge')}`], expect: /65537 bytes; the limit is 65536/},
			{args: ['set', 'ok', '--values', '{"A": "unterminated'], expect: /--values: invalid JSON/},
			{args: ['set', 'ok', '--values', 'A: [unclosed'], expect: /--values: invalid YAML/},
			{args: ['set', 'ok', '--values', '- a\n- b'], expect: /expected a mapping/},
			{args: ['set', 'ok', '--values', '{"A": {"nested": "x"}}'], expect: /value of A must be text/},
			{args: ['set', 'ok', '--values', `@${join(files, 'missing.yaml')}`], expect: /no such file/},
			{args: ['set', 'ok', '--stdin', 'A'], expect: /standard input was empty/, input: ''},
			{args: ['set', 'ok', '--stdin', 'A'], expect: /standard input was empty/, input: '\n'},
			{args: ['set', 'ok', '--stdin', 'A'], expect: /over the limit of 65536 bytes/, input: overLimit + 'more'},
			{args: ['set', 'ok', '--env', 'HUSH_TEST_UNSET'], expect: /HUSH_TEST_UNSET is not set/},
			{args: ['set', 'ok', '--A=@@x', '--values', '{"A": "y"}'], expect: /key A is given twice/},
			{args: ['set', 'ok', '--A='], expect: /empty value for A/},
			{args: ['set', 'ok'], expect: /needs at least one value/},
			{args: ['set', 'ok', '--A=@@x', '--type', 'password'], expect: /invalid type "password"/},
			{args: ['set', 'ok', '--A=@@x', '--expires', 'soonish'], expect: /--expires "soonish"/},
			{args: ['set', 'ok', '--A=@@x', '--private=maybe'], expect: /--private takes true or false/},
			{args: ['set', 'ok', '--A=@@x', '--bogus'], expect: /unknown flag --bogus for 'hush set'/},
			{args: ['set', 'ok', '--A=@@x', '-z'], expect: /unknown flag -z/},
			{args: ['show', 'existing', '--OPENAI_API_KEY=x'], expect: /unknown flag --OPENAI_API_KEY/},
			{args: ['get', 'existing'], expect: /takes NAME KEY/},
			{args: ['list', 'extra'], expect: /takes no arguments/},
			{args: ['list', '--sort', 'size'], expect: /--sort "size"/},
			{args: ['frobnicate'], expect: /unknown command "frobnicate"/},
			{args: ['update', 'existing'], expect: /nothing to change/},
			{args: ['update', 'existing', '--KEEP=@@x', '--remove', 'KEEP'], expect: /both set and removed/},
			{args: ['update', 'existing', '--remove', 'KEEP'], expect: /would leave secret existing empty/},
			{args: ['delete', 'existing'], expect: /pass --yes/},
			{args: ['get', 'sealed', 'TOKEN'], expect: /secret sealed is write-only/, code: 1},
			{args: ['get', 'missing', 'KEY'], expect: /no secret named "missing"/, code: 1},
			{args: ['get', 'existing', 'NOPE'], expect: /has no key NOPE \(keys: KEEP\)/, code: 1},
			{args: ['create', 'existing', '--A=@@x'], expect: /public secret named existing already exists/, code: 1},
			{args: ['update', 'missing', '--A=@@x'], expect: /no secret named "missing"/, code: 1},
			{args: ['rename', 'existing', 'sealed'], expect: /already exists/, code: 1},
		];

		for (const {args, expect, code = 2, input, env} of cases) {
			const run = await hush(args, {home, input, env});
			const label = args.join(' ').slice(0, 80);
			assert.equal(run.code, code, `${label}: exit ${run.code}, stderr ${run.stderr}`);
			assertOneLineError(run, expect);
			assert.equal(run.stdout, '', `${label}: nothing on stdout`);
			assert.ok(!run.stderr.includes('canary'), `${label}: no value in the error`);
			assert.equal(vaultDigest(home), before, `${label}: the vault must be unchanged`);
		}
	});

	test('a file the user cannot read', async t => {
		const home = await initHome(t);
		const secretFile = join(home, 'root-only.txt');
		writeFileSync(secretFile, 'secret');
		chmodSync(secretFile, 0o000);
		// Root reads any file, so as root the command runs as 'nobody', who owns the vault but not
		// the file. 'nobody' may not reach this checkout, so it runs a staged copy of the bundle.
		const asRoot = process.getuid?.() === 0;
		const nobody = {uid: 65_534, gid: 65_534};
		const staged = asRoot ? stageCliFor(t) : undefined;
		if (asRoot) {
			for (const entry of [home, ...readdirSync(home).filter(name => name.startsWith('vault.db')).map(name => join(home, name))]) {
				chownSync(entry, nobody.uid, nobody.gid);
			}
		}

		const before = vaultDigest(home);
		const run = await hush(['set', 'ok', `--A=@${secretFile}`], {home, user: asRoot ? nobody : undefined, ...staged});
		assert.equal(run.code, 2, run.stderr);
		assertOneLineError(run, /root-only\.txt: permission denied/);
		assert.equal(vaultDigest(home), before);
	});
});

/** A world-readable copy of the CLI bundle and a link to this node binary, for another user. */
function stageCliFor(t: TestContext): {node: string; cli: string} {
	const folder = mkdtempSync(join(tmpdir(), 'hush-staged-'));
	t.after(() => rmSync(folder, {recursive: true, force: true}));
	chmodSync(folder, 0o755);
	const dist = join(folder, 'dist');
	cpSync(dirname(cliPath), dist, {recursive: true});
	for (const entry of readdirSync(dist, {recursive: true, withFileTypes: true})) {
		chmodSync(join(entry.parentPath, entry.name), entry.isDirectory() ? 0o755 : 0o644);
	}

	chmodSync(dist, 0o755);
	// A hard link shares the binary's inode (already 0755): never chmod it, other tests run it.
	const node = join(folder, 'node');
	try {
		linkSync(process.execPath, node);
	} catch {
		copyFileSync(process.execPath, node);
		chmodSync(node, 0o755);
	}

	return {node, cli: join(dist, basename(cliPath))};
}

describe('unlocking', () => {
	test('locked with no terminal: exit 2 and say what to do', async t => {
		const home = await initHome(t);
		const run = await hush(['list'], {home, locked: true});
		assert.equal(run.code, 2);
		assertOneLineError(run, /the vault is locked: set HUSH_PASSPHRASE, or run hush in a terminal/);
	});

	test('a wrong passphrase fails cleanly', async t => {
		const home = await initHome(t);
		const run = await hush(['list'], {home, env: {HUSH_PASSPHRASE: 'not the passphrase'}});
		assert.equal(run.code, 1);
		assertOneLineError(run, /wrong passphrase/);
		assert.equal(run.stdout, '');
	});

	test('no vault yet: say how to make one', async t => {
		const run = await hush(['list'], {home: tempHome(t)});
		assert.equal(run.code, 1);
		assertOneLineError(run, /no vault at .*run 'hush init' first/);
	});

	test('init refuses a second vault, a short passphrase, and a weak KDF', async t => {
		const home = await initHome(t);
		const before = vaultDigest(home);
		const again = await hush(['init'], {home});
		assert.equal(again.code, 1);
		assertOneLineError(again, /a vault already exists/);
		assert.equal(vaultDigest(home), before);

		const fresh = tempHome(t);
		const short = await hush(['init'], {home: fresh, env: {HUSH_PASSPHRASE: 'short'}});
		assert.equal(short.code, 2);
		assertOneLineError(short, /at least 8 characters/);
		const weak = await hush(['init', '--kdf-memory', '8'], {home: fresh});
		assert.equal(weak.code, 1);
		assertOneLineError(weak, /refusing argon2id memory=8192/);
		assert.deepEqual(readdirSync(fresh), [], 'nothing is left behind');
	});
});
