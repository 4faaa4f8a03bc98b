/** hush export --all --format json and hush import json: the backup document, round trips, bad files. */
import assert from 'node:assert/strict';
import {spawn} from 'node:child_process';
import {writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {describe, test} from 'node:test';
import {assertOneLineError, cliPath, hush, hushOk, initHome, listJson, passphrase, vaultDigest} from './helpers/hush-cli.js';

type Backup = {format: string; version: number; includesWriteOnly: boolean; secrets: Array<Record<string, unknown> & {name: string; private: boolean}>; leftOut: unknown[]};

async function exportAll(home: string, extra: string[] = []): Promise<{backup: Backup; stderr: string}> {
	const run = await hushOk(['export', '--all', '--format', 'json', ...extra], {home});
	return {backup: JSON.parse(run.stdout) as Backup, stderr: run.stderr};
}

/** One secret as an export holds it, with plain defaults; `extra` overrides any field. */
function exportedSecret(name: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
	return {
		name,
		private: false,
		type: 'generic',
		description: '',
		integration: '',
		writeOnly: false,
		expiresAt: null,
		createdAt: '2025-01-01T00:00:00.000Z',
		createdBy: 'me',
		createdByAgent: false,
		updatedAt: '2025-01-01T00:00:00.000Z',
		values: {K: 'secret-ish'},
		...extra,
	};
}

/** A hush export (format 1) of `secrets`; `top` overrides its top-level fields. */
const document = (secrets: unknown[], top: Record<string, unknown> = {}) => JSON.stringify({format: 'hush-export', version: 1, exportedAt: '', includesWriteOnly: false, secrets, leftOut: [], ...top});

const byName = (secrets: Backup['secrets']) => [...secrets].sort((a, b) => `${a.name} ${a.private}`.localeCompare(`${b.name} ${b.private}`));

describe('hush export --all / hush import json', () => {
	test('every secret with its metadata round-trips into a fresh vault; write-only values only on request', async t => {
		const home = await initHome(t);
		const pem = '-----BEGIN KEY-----\nabc\n-----END KEY-----\n';
		writeFileSync(join(home, 'cert.pem'), pem);
		await hushOk(['set', 'api', '--TOKEN=@@tok-value-1', '--type', 'token', '--description', 'the API', '--integration', 'github', '--expires', '2031-01-31'], {home});
		await hushOk(['create', 'api', '--private', '--TOKEN=@@private-twin-value'], {home});
		await hushOk(['set', 'tls', `--CERT=@${join(home, 'cert.pem')}`, '--type', 'certificate'], {home});
		await hushOk(['set', 'deploy', '--KEY=@@write-only-value', '--write-only'], {home});

		const {backup, stderr} = await exportAll(home);
		assert.equal(backup.format, 'hush-export');
		assert.equal(backup.version, 1);
		assert.equal(backup.includesWriteOnly, false);
		assert.deepEqual(backup.leftOut, [{name: 'deploy', private: false, reason: 'write-only'}]);
		assert.match(stderr, /warning: left out 1 write-only secret \(deploy\): add --include-write-only/);
		assert.ok(!JSON.stringify(backup).includes('write-only-value'));
		const api = backup.secrets.find(secret => secret.name === 'api' && !secret.private)!;
		assert.deepEqual(
			{type: api['type'], description: api['description'], integration: api['integration'], values: api['values']},
			{type: 'token', description: 'the API', integration: 'github', values: {TOKEN: '@tok-value-1'}},
		);
		assert.match(String(api['expiresAt']), /^2031-01-31/);
		assert.equal((backup.secrets.find(secret => secret.name === 'tls')!['values'] as Record<string, string>)['CERT'], pem);

		const full = await exportAll(home, ['--include-write-only']);
		assert.equal(full.backup.secrets.length, 4);
		assert.match(full.stderr, /Exported 4 secrets, write-only values included/);

		const fresh = await initHome(t);
		const file = join(fresh, 'backup.json');
		writeFileSync(file, JSON.stringify(full.backup));
		const imported = await hush(['import', 'json', file], {home: fresh});
		assert.equal(imported.code, 0, imported.stderr);
		assert.match(imported.stderr, /Imported 4 secrets from/);
		assert.ok(!imported.stderr.includes('\r'), 'no progress bar when stderr is not a terminal');
		const again = await exportAll(fresh, ['--include-write-only']);
		assert.deepEqual(byName(again.backup.secrets), byName(full.backup.secrets), 'same secrets, values, metadata and history');
		assert.equal((await hushOk(['get', 'api', 'TOKEN', '--private=true'], {home: fresh})).stdout, '@private-twin-value');
		const refused = await hush(['get', 'deploy', 'KEY'], {home: fresh});
		assert.equal(refused.code, 1, 'still write-only after the move');
	});

	test('10,000 secrets round-trip: import json, then export --all gives the same secrets and values', async t => {
		const home = await initHome(t);
		const secrets = Array.from({length: 10_000}, (_, index) => ({
			name: `svc-${index}`,
			private: index % 3 === 0,
			type: index % 2 === 0 ? 'token' : 'env_var',
			description: `service ${index}`,
			integration: 'bulk',
			writeOnly: index % 11 === 0,
			expiresAt: null,
			createdAt: '2025-01-02T03:04:05.000Z',
			createdBy: 'someone-else',
			createdByAgent: false,
			updatedAt: '2025-06-07T08:09:10.000Z',
			values: {API_KEY: `key-${index}-${'k'.repeat(index % 40)}`, ...(index % 5 === 0 ? {NOTE: `line one ${index}\nline two`} : {})},
		}));
		const file = join(home, 'big.json');
		writeFileSync(file, JSON.stringify({format: 'hush-export', version: 1, exportedAt: '2025-06-07T08:09:10.000Z', includesWriteOnly: true, secrets, leftOut: []}));
		const imported = await hush(['import', 'json', file], {home});
		assert.equal(imported.code, 0, imported.stderr);
		assert.match(imported.stderr, /Imported 10000 secrets/);
		const {backup} = await exportAll(home, ['--include-write-only']);
		assert.deepEqual(byName(backup.secrets), byName(secrets));
	});

	test('bad files: one line naming the secret or line, never a value; nothing imported', async t => {
		const home = await initHome(t);
		await hushOk(['set', 'taken', '--K=@@existing-value'], {home});
		const before = vaultDigest(home);
		const cases: Array<[string, RegExp, number]> = [
			['{\n"format": "hush-export",\n"secrets": [secret-ish\n', /standard input: invalid JSON at line 3/, 2],
			[JSON.stringify({K: 'secret-ish'}), /not a hush export \(its "format" is not "hush-export"\)/, 2],
			[document([], {version: 2}), /export version 2 is not one this hush reads/, 2],
			[document([exportedSecret('ok'), exportedSecret('bad name!')]), /secret 2 \("bad name!"\): invalid secret name/, 2],
			[document([exportedSecret('ok'), exportedSecret('typed', {type: 'password'})]), /secret 2 \("typed"\): invalid type "password"/, 2],
			[document([exportedSecret('ok'), exportedSecret('numbers', {values: {K: 42}})]), /secret 2 \("numbers"\): the value of K must be text/, 2],
			[document([exportedSecret('ok'), exportedSecret('empty', {values: {K: ''}})]), /secret 2 \("empty"\): empty value for K/, 2],
			[document([exportedSecret('dup'), exportedSecret('ok'), exportedSecret('dup')]), /secret 3 \("dup"\): the public name dup is also taken by .*secret 1/, 2],
			[document([exportedSecret('fresh'), exportedSecret('taken')]), /a public secret named taken already exists: nothing imported/, 1],
			[document([]), /holds no secrets: nothing imported/, 2],
		];
		for (const [input, pattern, code] of cases) {
			const run = await hush(['import', 'json', '-'], {home, input});
			assert.equal(run.code, code, `${input}: ${run.stderr}`);
			assertOneLineError(run, pattern);
			assert.ok(!run.stderr.includes('secret-ish'), 'no value in the message');
		}

		assert.equal(vaultDigest(home), before);
		assertOneLineError(await hush(['import', 'json', '-', '--name', 'x'], {home, input: document([exportedSecret('a')])}), /'hush import json' takes that from the file: drop --name/);
		assertOneLineError(await hush(['export', '--all'], {home}), /--all exports every secret as one JSON document/);
		assertOneLineError(await hush(['export', 'taken', '--include-write-only'], {home}), /--include-write-only goes with --all/);
	});

	test('on a terminal, a progress bar runs on stderr and is erased at the end', async t => {
		const home = await initHome(t);
		const secrets = Array.from({length: 300}, (_, index) => exportedSecret(`tty-${index}`, {values: {K: `value-${index}`}}));
		const file = join(home, 'tty.json');
		writeFileSync(file, document(secrets));
		// script(1) gives the command a pseudo-terminal, so stderr is a terminal as at a prompt.
		const output = await new Promise<string>((resolve, reject) => {
			const child = spawn('script', ['-qfec', `'${process.execPath}' '${cliPath}' import json '${file}'`, '/dev/null'], {
				env: {PATH: process.env['PATH'], HOME: process.env['HOME'], HUSH_HOME: home, HUSH_PASSPHRASE: passphrase, TERM: 'xterm'},
				stdio: ['pipe', 'pipe', 'pipe'],
			});
			let text = '';
			child.stdout.setEncoding('utf8').on('data', chunk => (text += chunk));
			child.on('error', reject);
			child.on('close', code => (code === 0 ? resolve(text) : reject(new Error(`script exited ${code}: ${text}`))));
			child.stdin.end();
		});
		assert.match(output, /\rimporting \[#{30}\] 300\/300/);
		assert.match(output, /\rimporting \[-{30}\] 0\/300|\rimporting \[#*-+\] \d+\/300/, 'drawn while it runs, not only at the end');
		assert.match(output, /\r\u001B\[K/, 'erased before the summary');
		assert.match(output, /Imported 300 secrets/);
		assert.equal((await listJson(home)).length, 300);
	});
});
