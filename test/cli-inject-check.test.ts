/** hush inject and hush check: references, visibility, atomic --out, validation levels. */
import assert from 'node:assert/strict';
import {existsSync, readFileSync, readdirSync, statSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {describe, test, type TestContext} from 'node:test';
import {assertOneLineError, hush, initHome, vaultDigest} from './helpers/hush-cli.js';

const dbPassword = 'pa$$ "word"\nline2';

async function homeWithSecrets(t: TestContext): Promise<string> {
	const home = await initHome(t);
	writeFileSync(join(home, 'pw'), dbPassword);
	assert.equal((await hush(['set', 'db', `--PASSWORD=@${join(home, 'pw')}`, '--USER=@@admin'], {home})).code, 0);
	assert.equal((await hush(['set', 'api.v2', '--TOKEN=@@public-token'], {home})).code, 0);
	assert.equal((await hush(['create', 'api.v2', '--TOKEN=@@private-token', '--private'], {home})).code, 0);
	assert.equal((await hush(['set', 'deploy', '--KEY=@@write-only-key', '--write-only'], {home})).code, 0);
	return home;
}

describe('hush inject', () => {
	test('replaces references, with whitespace, dotted names, visibility prefixes and write-only secrets', async t => {
		const home = await homeWithSecrets(t);
		const template = 'user={{db.USER}} pw={{ db.PASSWORD }}\n{{api.v2.TOKEN}} {{public:api.v2.TOKEN}} {{ private : api.v2.TOKEN }} {{deploy.KEY}} {{ .Values.keep }}\n';
		const run = await hush(['inject'], {home, input: template});
		assert.equal(run.code, 0, run.stderr);
		assert.equal(run.stdout, `user=@admin pw=${dbPassword}\n@private-token @public-token @private-token @write-only-key {{ .Values.keep }}\n`);
	});

	test('--in and --out: the result is written atomically with mode 0600, replacing the old file', async t => {
		const home = await homeWithSecrets(t);
		const folder = join(home, 'out');
		const input = join(home, 'config.tmpl');
		const output = join(home, 'config.env');
		writeFileSync(input, 'PASSWORD={{db.PASSWORD}}\n');
		writeFileSync(output, 'old contents\n', {mode: 0o644});
		const run = await hush(['inject', '--in', input, '--out', output], {home});
		assert.equal(run.code, 0, run.stderr);
		assert.equal(readFileSync(output, 'utf8'), `PASSWORD=${dbPassword}\n`);
		assert.equal(statSync(output).mode & 0o777, 0o600);
		assert.ok(!readdirSync(home).some(name => name.includes('.hush-')), 'no temp file is left behind');
		assert.ok(!existsSync(folder));
		assert.ok(!run.stderr.includes(dbPassword));
	});

	test('unresolvable references: every one listed, exit 1, nothing written, nothing logged', async t => {
		const home = await homeWithSecrets(t);
		const output = join(home, 'result');
		writeFileSync(output, 'keep me\n');
		const before = vaultDigest(home);
		const template = '{{db.PASSWORD}} {{nope.A}} {{db.MISSING}} {{public:deploy.KEY}} {{private:db.USER}}';
		const run = await hush(['inject', '--out', output], {home, input: template});
		assert.equal(run.code, 1);
		assertOneLineError(run, /3 unresolvable references, nothing written: \{\{nope\.A\}\} \(no such secret\), \{\{db\.MISSING\}\} \(secret db has no key MISSING\), \{\{private:db\.USER\}\} \(no such secret\)/);
		assert.equal(readFileSync(output, 'utf8'), 'keep me\n', 'the old --out file is untouched');
		assert.equal(run.stdout, '', 'nothing on stdout either');
		assert.equal(vaultDigest(home), before, 'no read was logged');
		assert.ok(!readdirSync(home).some(name => name.includes('.hush-')));
	});

	test('a missing --in file is a usage error; an unwritable --out is one line and leaves nothing', async t => {
		const home = await homeWithSecrets(t);
		assertOneLineError(await hush(['inject', '--in', join(home, 'absent')], {home}), /template: .*absent: no such file/);
		writeFileSync(join(home, 'binary.tpl'), Buffer.from([0x7b, 0x7b, 0xff, 0xfe, 0x7d, 0x7d]));
		assertOneLineError(await hush(['inject', '--in', join(home, 'binary.tpl')], {home}), /binary\.tpl is not UTF-8 text/);
		const noFolder = await hush(['inject', '--out', join(home, 'missing-folder', 'out')], {home, input: '{{db.USER}}'});
		assert.equal(noFolder.code, 1);
		assertOneLineError(noFolder, /cannot write .*missing-folder\/out: no such folder; nothing written/);
		const folder = await hush(['inject', '--out', home], {home, input: '{{db.USER}}'});
		assert.equal(folder.code, 1);
		assertOneLineError(folder, /cannot write .*: it is a folder; nothing written/);
		assert.ok(!readdirSync(home).some(name => name.includes('.hush-')), 'the temp file was removed');
	});
});

describe('hush check', () => {
	test('SECRET_AND_KEY_EXISTS (the default) checks names and keys; exit 1 when anything is missing', async t => {
		const home = await homeWithSecrets(t);
		const ok = await hush(['check', 'db.PASSWORD', 'deploy.KEY', 'private:api.v2.TOKEN', 'db'], {home});
		assert.equal(ok.code, 0, ok.stderr);
		assert.equal(ok.stdout, 'present  db.PASSWORD\npresent  deploy.KEY\npresent  private:api.v2.TOKEN\npresent  db\n');
		const bad = await hush(['check', 'db.PASSWORD', 'db.NOPE', 'nope', '--json'], {home});
		assert.equal(bad.code, 1);
		assert.deepEqual(JSON.parse(bad.stdout), {
			level: 'SECRET_AND_KEY_EXISTS',
			present: ['db.PASSWORD'],
			missing: [
				{reference: 'db.NOPE', reason: 'secret db has no key NOPE'},
				{reference: 'nope', reason: 'no such secret'},
			],
		});
	});

	test('SECRET_EXISTS checks names only, from --level or HUSH_SECRET_VALIDATION_LEVEL', async t => {
		const home = await homeWithSecrets(t);
		const byFlag = await hush(['check', 'db.NOPE', '--level', 'SECRET_EXISTS'], {home});
		assert.equal(byFlag.code, 0, byFlag.stderr);
		assert.equal(byFlag.stdout, 'present  db.NOPE (key not checked)\n');
		const byEnv = await hush(['check', 'db.NOPE', 'gone'], {home, env: {HUSH_SECRET_VALIDATION_LEVEL: 'SECRET_EXISTS'}});
		assert.equal(byEnv.code, 1);
		assert.match(byEnv.stdout, /^missing {2}gone {2}\(no such secret\)$/m);
		const flagWins = await hush(['check', 'db.NOPE', '--level', 'SECRET_AND_KEY_EXISTS'], {home, env: {HUSH_SECRET_VALIDATION_LEVEL: 'SECRET_EXISTS'}});
		assert.equal(flagWins.code, 1);
	});

	test('NONE skips the check without opening the vault', async t => {
		const home = await initHome(t);
		const run = await hush(['check', 'anything.AT_ALL', '--level', 'NONE'], {home, locked: true});
		assert.equal(run.code, 0, run.stderr);
		assert.match(run.stderr, /validation level NONE: 1 reference not checked/);
		const byEnv = await hush(['check', 'x'], {home: join(home, 'no-vault-here'), env: {HUSH_SECRET_VALIDATION_LEVEL: 'none'}});
		assert.equal(byEnv.code, 0, byEnv.stderr);
	});

	test('checks read metadata only: no value is decrypted, nothing is logged, write-only passes', async t => {
		const home = await homeWithSecrets(t);
		const before = vaultDigest(home);
		assert.equal((await hush(['check', 'deploy.KEY', 'db.PASSWORD'], {home})).code, 0);
		assert.equal(vaultDigest(home), before);
	});

	test('--file and --template gather references', async t => {
		const home = await homeWithSecrets(t);
		writeFileSync(join(home, 'needs.txt'), '# required\ndb.USER\n\n  deploy.KEY  \nmissing.X # comment\n');
		writeFileSync(join(home, 'tmpl'), 'a={{ db.PASSWORD }} b={{ other.Y }}');
		const run = await hush(['check', '--file', join(home, 'needs.txt'), '--template', join(home, 'tmpl')], {home});
		assert.equal(run.code, 1);
		assert.equal(run.stdout, 'present  db.USER\npresent  deploy.KEY\npresent  db.PASSWORD\nmissing  missing.X  (no such secret)\nmissing  other.Y  (no such secret)\n');
	});

	test('bad input: unknown level, bad reference, nothing to check, -i without a terminal', async t => {
		const home = await homeWithSecrets(t);
		assertOneLineError(await hush(['check', 'db', '--level', 'SOME'], {home}), /--level "SOME": use NONE, SECRET_EXISTS or SECRET_AND_KEY_EXISTS/);
		assertOneLineError(await hush(['check', 'db'], {home, env: {HUSH_SECRET_VALIDATION_LEVEL: 'x'}}), /HUSH_SECRET_VALIDATION_LEVEL "x"/);
		assertOneLineError(await hush(['check', 'bad name!'], {home}), /invalid reference "bad name!"/);
		assertOneLineError(await hush(['check'], {home}), /nothing to check/);
		assertOneLineError(await hush(['check', 'nope', '-i'], {home}), /standard input is not a terminal/);
	});
});
