/** hush export and hush import dotenv: formats, eval round trip, write-only refusal. */
import assert from 'node:assert/strict';
import {execFileSync} from 'node:child_process';
import {writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {describe, test} from 'node:test';
import {assertOneLineError, hush, hushOk, initHome, vaultDigest} from './helpers/hush-cli.js';

/** Values a naive quoting gets wrong. */
const awkward: Record<string, string> = {
	SINGLE: "it's a 'quoted' value",
	DOUBLE: 'say "hi" \\ back\\slash',
	DOLLAR: '$HOME ${PATH} $(echo pwned) `echo pwned`',
	NEWLINES: 'line one\nline two\n\nline four',
	UNICODE: 'clé 🔑 日本語 \u00a0nbsp',
	MIXED: `'"$\n\\'\t!*?[a]{b}~#;&|<>`,
};

async function homeWithAwkward(t: Parameters<typeof initHome>[0]): Promise<string> {
	const home = await initHome(t);
	const file = join(home, 'values.json');
	writeFileSync(file, JSON.stringify(awkward));
	const created = await hush(['set', 'awkward', '--values', `@${file}`], {home});
	assert.equal(created.code, 0, created.stderr);
	return home;
}

describe('hush export', () => {
	test('--format shell round-trips through eval: quotes, $, newlines, unicode', async t => {
		const home = await homeWithAwkward(t);
		const run = await hush(['export', 'awkward', '--format', 'shell'], {home});
		assert.equal(run.code, 0, run.stderr);
		const script = `eval "$HUSH_EXPORT"; node -e 'const keys = process.argv.slice(1); console.log(JSON.stringify(Object.fromEntries(keys.map(k => [k, process.env[k]]))))' ${Object.keys(awkward).join(' ')}`;
		for (const shell of ['sh', 'bash']) {
			const output = execFileSync(shell, ['-c', script], {env: {PATH: process.env['PATH'], HUSH_EXPORT: run.stdout}, encoding: 'utf8'});
			assert.deepEqual(JSON.parse(output), awkward, shell);
		}
	});

	test('--format json and the dotenv default, which hush import reads back exactly', async t => {
		const home = await homeWithAwkward(t);
		const json = await hush(['export', 'awkward', '--format', 'json'], {home});
		assert.deepEqual(JSON.parse(json.stdout), awkward);
		assert.equal((await hush(['export', 'awkward', '--json'], {home})).stdout, json.stdout);
		const dotenv = await hush(['export', 'awkward'], {home});
		assert.equal(dotenv.code, 0);
		assert.match(dotenv.stdout, /^DOLLAR='\$HOME \$\{PATH\} \$\(echo pwned\) `echo pwned`'$/m);
		const imported = await hush(['import', 'dotenv', '-', '--name', 'copy'], {home, input: dotenv.stdout});
		assert.equal(imported.code, 0, imported.stderr);
		const back = await hush(['export', 'copy', '--format', 'json'], {home});
		assert.deepEqual(JSON.parse(back.stdout), awkward);
	});

	test('write-only secrets are refused; a bad format is a usage error; both log nothing', async t => {
		const home = await initHome(t);
		await hushOk(['set', 'deploy', '--KEY=@@hidden-value', '--write-only'], {home});
		const before = vaultDigest(home);
		const refused = await hush(['export', 'deploy'], {home});
		assert.equal(refused.code, 1);
		assertOneLineError(refused, /secret deploy is write-only/);
		assert.equal(refused.stdout, '');
		const bad = await hush(['export', 'deploy', '--format', 'yaml'], {home});
		assert.equal(bad.code, 2);
		assertOneLineError(bad, /--format "yaml": use dotenv, json or shell/);
		assert.equal(vaultDigest(home), before);
	});
});

describe('hush import dotenv', () => {
	test('reads export prefixes, comments, quotes and multi-line values from a file', async t => {
		const home = await initHome(t);
		const file = join(home, '.env');
		writeFileSync(
			file,
			[
				'# app settings',
				'export API_URL=https://api.example.com  # inline comment',
				'EMPTY_LOOKING=  spaced value  ',
				"SINGLE='literal $HOME \\n'",
				'DOUBLE="tab\\there\\nnext"',
				'MULTI="-----BEGIN KEY-----',
				'abc',
				'-----END KEY-----"',
				'',
			].join('\n'),
		);
		const run = await hush(['import', 'dotenv', file, '--name', 'app', '--json'], {home});
		assert.equal(run.code, 0, run.stderr);
		const summary = JSON.parse(run.stdout) as {type: string; keys: string[]};
		assert.equal(summary.type, 'env_var');
		assert.deepEqual(summary.keys, ['API_URL', 'EMPTY_LOOKING', 'SINGLE', 'DOUBLE', 'MULTI']);
		const values = JSON.parse((await hush(['export', 'app', '--format', 'json'], {home})).stdout) as Record<string, string>;
		assert.deepEqual(values, {
			API_URL: 'https://api.example.com',
			EMPTY_LOOKING: 'spaced value',
			SINGLE: 'literal $HOME \\n',
			// dotenv expands only \n and \r in double quotes: \t stays as written.
			DOUBLE: 'tab\\there\nnext',
			MULTI: '-----BEGIN KEY-----\nabc\n-----END KEY-----',
		});
	});

	test('bad files are one line naming the line, never a value, and store nothing', async t => {
		const home = await initHome(t);
		const before = vaultDigest(home);
		const cases: Array<[string, RegExp]> = [
			['GOOD=1\nnot an assignment secret-ish\n', /dotenv line 2: expected KEY=value/],
			['A="unclosed-secret-value\nB=2\n', /dotenv line 1: the double quote opened here is never closed/],
			['9BAD=secret-ish\n', /invalid key name "9BAD"/],
			['# only a comment\n', /holds no KEY=value lines/],
			["A='secret-ish' and more\n", /dotenv line 1: unexpected text after the closing single quote/],
		];
		for (const [text, pattern] of cases) {
			const run = await hush(['import', 'dotenv', '-', '--name', 'x'], {home, input: text});
			assert.equal(run.code, 2, text);
			assertOneLineError(run, pattern);
			assert.ok(!run.stderr.includes('secret-ish') && !run.stderr.includes('unclosed-secret-value'));
		}

		assertOneLineError(await hush(['import', 'dotenv', '-'], {home, input: 'A=1'}), /--name NAME/);
		assertOneLineError(await hush(['import', 'vault', 'x', '--name', 'n'], {home}), /unknown import source "vault"/);
		assert.equal(vaultDigest(home), before);
	});
});
