/** hush run: injection, write-only, clashes, exit codes, signals, masking, nothing in argv. */
import assert from 'node:assert/strict';
import {spawn} from 'node:child_process';
import {randomBytes} from 'node:crypto';
import {writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {describe, test, type TestContext} from 'node:test';
import {openVault} from '../source/unlock/open-vault.js';
import {assertOneLineError, cliPath, hush, hushOk, initHome, passphrase} from './helpers/hush-cli.js';

const apiKey = 'sk-live-7f3a9c1e5b';
const token = 'ghp_writeonly_2d8e6f';

async function homeWithSecrets(t: TestContext): Promise<string> {
	const home = await initHome(t);
	writeFileSync(join(home, 'api'), apiKey);
	writeFileSync(join(home, 'tok'), token);
	assert.equal((await hush(['set', 'openai', `--OPENAI_API_KEY=@${join(home, 'api')}`, '--ORG_ID=@@org-1'], {home})).code, 0);
	assert.equal((await hush(['set', 'github', `--GITHUB_TOKEN=@${join(home, 'tok')}`, '--write-only'], {home})).code, 0);
	return home;
}

const node = (script: string) => [process.execPath, '-e', script];

describe('hush run', () => {
	test('injects every key of the named secrets, write-only included, and not HUSH_PASSPHRASE', async t => {
		const home = await homeWithSecrets(t);
		const script = 'const e = process.env; console.log(JSON.stringify([e.OPENAI_API_KEY, e.ORG_ID, e.GITHUB_TOKEN, e.HUSH_PASSPHRASE ?? null]))';
		const run = await hush(['run', '--secret', 'openai', '--secret', 'github', '--no-masking', '--', ...node(script)], {home});
		assert.equal(run.code, 0, run.stderr);
		assert.deepEqual(JSON.parse(run.stdout), [apiKey, '@org-1', token, null]);
	});

	test('private:NAME and public:NAME pick between two secrets that share a name', async t => {
		const home = await homeWithSecrets(t);
		await hushOk(['set', 'shared', '--WHICH=@@public-one'], {home});
		await hushOk(['create', 'shared', '--WHICH=@@private-one', '--private'], {home});
		const script = 'console.log(process.env.WHICH)';
		for (const [selector, expected] of [['shared', '@private-one'], ['private:shared', '@private-one'], ['public:shared', '@public-one']]) {
			const run = await hush(['run', '--secret', selector!, '--no-masking', '--', ...node(script)], {home});
			assert.equal(run.stdout, `${expected}\n`, selector);
		}
	});

	test('--all injects every secret', async t => {
		const home = await homeWithSecrets(t);
		const run = await hush(['run', '--all', '--', ...node('console.log(Object.keys(process.env).filter(k => /^(OPENAI|ORG|GITHUB)/.test(k)).sort().join(","))')], {home});
		assert.equal(run.code, 0, run.stderr);
		assert.equal(run.stdout, 'GITHUB_TOKEN,OPENAI_API_KEY,ORG_ID\n');
	});

	test('a key in two secrets is refused, naming both, before anything runs or is logged', async t => {
		const home = await homeWithSecrets(t);
		await hushOk(['set', 'openai-work', '--OPENAI_API_KEY=@@other'], {home});
		const before = await hush(['audit', '--json'], {home});
		const run = await hush(['run', '--secret', 'openai', '--secret', 'openai-work', '--', ...node('console.log("ran")')], {home});
		assert.equal(run.code, 2);
		assertOneLineError(run, /key OPENAI_API_KEY is in both public secret openai and public secret openai-work/);
		assert.equal(run.stdout, '');
		const after = await hush(['audit', '--json'], {home});
		assert.equal(JSON.parse(after.stdout).length, JSON.parse(before.stdout).length, 'no inject was logged');
	});

	test('usage mistakes are one line and exit 2', async t => {
		const home = await homeWithSecrets(t);
		assertOneLineError(await hush(['run', '--secret', 'openai'], {home}), /give the command to run after --/);
		assertOneLineError(await hush(['run', '--', 'true'], {home}), /at least one --secret NAME, or --all/);
		const missing = await hush(['run', '--secret', 'nope', '--', 'true'], {home});
		assert.equal(missing.code, 1);
		assertOneLineError(missing, /no secret named "nope"/);
		const notFound = await hush(['run', '--secret', 'openai', '--', 'no-such-command-hush-test'], {home});
		assert.equal(notFound.code, 127);
		assertOneLineError(notFound, /cannot start no-such-command-hush-test: command not found/);
	});

	test('an environment over the system’s limit is one line that says what to do, and shows no value', async t => {
		const home = await initHome(t);
		const vault = await openVault({home, passphrase});
		// 120 values of 60,000 characters: 7.2 MB, over Linux's limit for arguments and environment
		// together (a quarter of the stack limit, 6 MB at most).
		const values = Array.from({length: 120}, () => randomBytes(45_000).toString('base64'));
		vault.createSecrets(values.map((value, index) => ({name: `bundle-${index}`, values: {[`BUNDLE_${index}`]: value}})));
		vault.close();
		const run = await hush(['run', '--all', '--', 'true'], {home});
		assert.notEqual(run.code, 0);
		assertOneLineError(run, /^hush: cannot start true: its environment and arguments are over the system's limit \(E2BIG\): inject fewer secrets \(--secret NAME\) or smaller values\n$/);
		assert.ok(values.every(value => !run.stderr.includes(value.slice(0, 40))));
	});

	test('the child’s exit code is hush’s exit code', async t => {
		const home = await homeWithSecrets(t);
		for (const code of [0, 1, 3, 42, 255]) {
			const run = await hush(['run', '--secret', 'openai', '--', ...node(`process.exit(${code})`)], {home});
			assert.equal(run.code, code);
		}
	});

	test('a child killed by a signal makes hush die of the same signal', async t => {
		const home = await homeWithSecrets(t);
		for (const masking of [[], ['--no-masking']]) {
			const run = await hush(['run', '--secret', 'openai', ...masking, '--', ...node('process.kill(process.pid, "SIGKILL")')], {home});
			assert.equal(run.signal, 'SIGKILL', `masking flags ${masking.join(' ')}`);
		}
	});

	for (const signal of ['SIGINT', 'SIGTERM'] as const) {
		test(`${signal} sent to hush reaches the child`, async t => {
			const home = await homeWithSecrets(t);
			const script = `process.on(${JSON.stringify(signal)}, () => { console.log("child got ${signal}"); process.exit(7); }); console.log("ready"); setInterval(() => {}, 1000);`;
			const child = spawn(process.execPath, [cliPath, 'run', '--secret', 'openai', '--', ...node(script)], {
				env: {PATH: process.env['PATH'], HUSH_HOME: home, HUSH_PASSPHRASE: passphrase},
				stdio: ['ignore', 'pipe', 'pipe'],
			});
			let stdout = '';
			const exited = new Promise<number | null>(resolve => child.on('close', code => resolve(code)));
			await new Promise<void>(resolve => {
				child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
					stdout += chunk;
					if (stdout.includes('ready\n')) {
						resolve();
					}
				});
			});
			child.kill(signal);
			assert.equal(await exited, 7);
			assert.equal(stdout, `ready\nchild got ${signal}\n`);
		});
	}

	test('values are masked in stdout and stderr, even split across two writes', async t => {
		const home = await homeWithSecrets(t);
		const half = Math.floor(apiKey.length / 2);
		const script = `
			const key = process.env.OPENAI_API_KEY, token = process.env.GITHUB_TOKEN;
			process.stdout.write("key=" + key + "\\n");
			process.stdout.write("split=" + key.slice(0, ${half}), () => {
				process.stdout.write(key.slice(${half}) + " end\\n", () => {
					process.stderr.write("err " + token.slice(0, 3), () => process.stderr.write(token.slice(3) + "\\n"));
				});
			});`;
		const run = await hush(['run', '--secret', 'openai', '--secret', 'github', '--', ...node(script)], {home});
		assert.equal(run.code, 0, run.stderr);
		assert.equal(run.stdout, 'key=***\nsplit=*** end\n');
		assert.equal(run.stderr, 'err ***\n');
	});

	test('encoded forms of a value are masked too: base64, base64url, hex, percent-encoding, inside Basic auth', async t => {
		const home = await homeWithSecrets(t);
		const script = `
			const key = process.env.OPENAI_API_KEY, b = Buffer.from(key);
			console.log([b.toString("base64"), b.toString("base64url"), b.toString("hex"), b.toString("hex").toUpperCase(), encodeURIComponent(key + "/")].join(" "));
			console.log("Basic " + Buffer.from("user:" + key).toString("base64"));`;
		const run = await hush(['run', '--secret', 'openai', '--', ...node(script)], {home});
		assert.equal(run.code, 0, run.stderr);
		const [encodings, basic] = run.stdout.split('\n');
		assert.equal(encodings, '*** *** *** *** ***%2F');
		assert.match(basic!, /^Basic [A-Za-z0-9+/]{0,8}\*\*\*[A-Za-z0-9+/=]{0,3}$/);
	});

	test('a value under four characters: set warns in one line, and run masks it only as a whole word', async t => {
		const home = await homeWithSecrets(t);
		const set = await hush(['set', 'short', '--stdin', 'PIN'], {home, input: 'x'});
		assert.equal(set.code, 0, set.stderr);
		const warnings = set.stderr.split('\n').filter(line => line.startsWith('hush: warning:'));
		assert.equal(warnings.length, 1, set.stderr);
		assert.match(warnings[0]!, /PIN.*under 4 characters.*masked only where it stands alone/);
		assert.ok(!warnings[0]!.includes("'x'"));
		const run = await hush(['run', '--secret', 'short', '--', ...node('console.log("xerox max x " + process.env.PIN + ".")')], {home});
		assert.equal(run.code, 0, run.stderr);
		assert.equal(run.stdout, 'xerox max *** ***.\n');
		const long = await hush(['update', 'short', '--stdin', 'PIN'], {home, input: 'long-enough'});
		assert.ok(!long.stderr.includes('warning'), long.stderr);
	});

	test('--no-masking hands the child hush’s own streams', async t => {
		const home = await homeWithSecrets(t);
		const run = await hush(['run', '--secret', 'openai', '--no-masking', '--', ...node('console.log(process.env.OPENAI_API_KEY)')], {home});
		assert.equal(run.code, 0);
		assert.equal(run.stdout, `${apiKey}\n`);
	});

	test('values are in no command line: neither hush’s nor the child’s', async t => {
		const home = await homeWithSecrets(t);
		const script = `const fs = require("node:fs");
			const cmdline = pid => fs.readFileSync("/proc/" + pid + "/cmdline", "utf8");
			console.log(JSON.stringify([cmdline(process.ppid), cmdline(process.pid)]));`;
		const run = await hush(['run', '--secret', 'openai', '--no-masking', '--', ...node(script)], {home});
		assert.equal(run.code, 0, run.stderr);
		const [parent, own] = JSON.parse(run.stdout) as [string, string];
		assert.match(parent, /run\0--secret\0openai/);
		assert.ok(!parent.includes(apiKey) && !own.includes(apiKey));
	});
});
