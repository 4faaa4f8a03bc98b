/**
 * What hush hands a child process (issue 11): no loader variables from a secret unless the command
 * names them, none of hush's own secrets-bearing variables, no NUL bytes, no value in any error.
 */
import assert from 'node:assert/strict';
import {existsSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {describe, test} from 'node:test';
import {Client} from '@modelcontextprotocol/sdk/client/index.js';
import {StdioClientTransport} from '@modelcontextprotocol/sdk/client/stdio.js';
import {assertOneLineError, cliPath, hush, hushOk, initHome, passphrase} from './helpers/hush-cli.js';

/** Loaded when used, so the CLI tests here also run (and fail) against a hush without these functions. */
const runtime = async () => import('../source/runtime/environment.js');

const node = (script: string) => [process.execPath, '-e', script];

describe('hush run refuses variables that change how a program loads or starts', () => {
	test('a secret with NODE_OPTIONS=--require=evil.js is refused without --allow-env, and evil.js never runs', async t => {
		const home = await initHome(t);
		const evil = join(home, 'evil.js');
		const marker = join(home, 'evil-ran');
		writeFileSync(evil, `require("node:fs").writeFileSync(${JSON.stringify(marker)}, "pwned");`);
		await hushOk(['set', 'team-config', `--NODE_OPTIONS=--require=${evil}`, '--API_URL=@@https://api.example.com'], {home});
		const auditBefore = JSON.parse((await hushOk(['audit', '--json'], {home})).stdout) as unknown[];

		const refused = await hush(['run', '--secret', 'team-config', '--', ...node('console.log("child ran")')], {home});
		assert.equal(refused.code, 1, refused.stderr);
		assertOneLineError(refused, /public secret team-config.*NODE_OPTIONS.*--allow-env NODE_OPTIONS/);
		assert.ok(!refused.stderr.includes(evil), 'the value is not in the message');
		assert.equal(refused.stdout, '', 'the child was not started');
		assert.ok(!existsSync(marker), 'evil.js did not run');
		const auditAfter = JSON.parse((await hushOk(['audit', '--json'], {home})).stdout) as unknown[];
		assert.equal(auditAfter.length, auditBefore.length, 'refused before anything was decrypted or logged');

		const all = await hush(['run', '--all', '--', ...node('console.log("child ran")')], {home});
		assert.equal(all.code, 1);
		assertOneLineError(all, /NODE_OPTIONS.*--allow-env NODE_OPTIONS/);
		assert.ok(!existsSync(marker), 'evil.js did not run under --all either');

		// Named on the command line, it is injected: proof that the refusal above is what stopped it.
		const allowed = await hush(['run', '--secret', 'team-config', '--allow-env', 'NODE_OPTIONS', '--', ...node('console.log("child ran")')], {home});
		assert.equal(allowed.code, 0, allowed.stderr);
		assert.equal(allowed.stdout, 'child ran\n');
		assert.ok(existsSync(marker), 'with --allow-env NODE_OPTIONS the variable reached node');
	});

	test('every such key of every secret is named; --allow-env is per name and repeatable', async t => {
		const home = await initHome(t);
		await hushOk(['set', 'a', '--LD_PRELOAD=/tmp/x.so', '--PATH=/tmp/bin', '--OK=fine-value'], {home});
		await hushOk(['set', 'b', '--BASH_ENV=/tmp/rc', '--DYLD_INSERT_LIBRARIES=/tmp/y.dylib', '--npm_config_script_shell=/tmp/sh'], {home});
		const refused = await hush(['run', '--secret', 'a', '--secret', 'b', '--allow-env', 'PATH', '--', 'true'], {home});
		assert.equal(refused.code, 1);
		assertOneLineError(refused, /LD_PRELOAD \(public secret a\).*BASH_ENV \(public secret b\).*DYLD_INSERT_LIBRARIES.*npm_config_script_shell.*--allow-env LD_PRELOAD --allow-env BASH_ENV/);
		assert.ok(!/PATH \(public secret a\)/.test(refused.stderr), 'PATH was allowed');

		const script = 'console.log([process.env.LD_PRELOAD, process.env.BASH_ENV, process.env.OK].join(","))';
		const allowed = await hush(
			['run', '--secret', 'a', '--secret', 'b', '--no-masking', ...['PATH', 'LD_PRELOAD', 'BASH_ENV', 'DYLD_INSERT_LIBRARIES', 'npm_config_script_shell'].flatMap(name => ['--allow-env', name]), '--', ...node(script)],
			{home, env: {PATH: process.env['PATH']}},
		);
		// PATH from the secret is /tmp/bin, so the child is named by absolute path (process.execPath).
		assert.equal(allowed.code, 0, allowed.stderr);
		assert.equal(allowed.stdout, '/tmp/x.so,/tmp/rc,fine-value\n');
		const bad = await hush(['run', '--secret', 'a', '--allow-env', '1BAD', '--', 'true'], {home});
		assert.equal(bad.code, 2);
		assertOneLineError(bad, /--allow-env "1BAD" is not a variable name/);
	});

	test('the list: loaders and interpreters are in it, ordinary keys are not', async () => {
		const {loaderVariable} = await import('../source/runtime/loader-variables.js');
		for (const name of ['NODE_OPTIONS', 'LD_PRELOAD', 'LD_LIBRARY_PATH', 'LD_AUDIT', 'BASH_ENV', 'ENV', 'PYTHONPATH', 'PYTHONSTARTUP', 'PERL5OPT', 'RUBYOPT', 'DYLD_INSERT_LIBRARIES', 'JAVA_TOOL_OPTIONS', 'GIT_SSH_COMMAND', 'PROMPT_COMMAND', 'PATH', 'node_options', 'GIT_CONFIG_KEY_0', 'NPM_CONFIG_SCRIPT_SHELL', 'GCONV_PATH']) {
			assert.ok(loaderVariable(name), name);
		}

		for (const name of ['OPENAI_API_KEY', 'NODE_ENV', 'DATABASE_URL', 'GITHUB_TOKEN', 'ENVIRONMENT', 'PYTHON_VERSION', 'LDAP_PASSWORD', 'NPM_TOKEN', 'JAVA_HOME']) {
			assert.ok(!loaderVariable(name), name);
		}
	});
});

describe('hush run does not hand hush’s own secrets to the child', () => {
	test('hush run -- env shows no HUSH_SESSION, HUSH_PASSPHRASE, HUSH_NEW_PASSPHRASE or HUSH_SERVER_DB; --keep-hush-env keeps them', async t => {
		const home = await initHome(t);
		await hushOk(['set', 'x', '--KEY=@@value-from-vault'], {home});
		const session = (await hushOk(['unlock', '--raw'], {home})).stdout.trim();
		assert.ok(session.length > 0);
		const env = {HUSH_SESSION: session, HUSH_NEW_PASSPHRASE: 'next passphrase 1', HUSH_SERVER_DB: 'postgres://hush:pw@db/hush', HUSH_SECRET_VALIDATION_LEVEL: 'NONE'};
		const run = await hush(['run', '--secret', 'x', '--', 'env'], {home, env});
		assert.equal(run.code, 0, run.stderr);
		const names = run.stdout.split('\n').map(line => line.split('=')[0]);
		for (const name of ['HUSH_SESSION', 'HUSH_PASSPHRASE', 'HUSH_NEW_PASSPHRASE', 'HUSH_SERVER_DB']) {
			assert.ok(!names.includes(name), `${name} reached the child`);
		}

		assert.ok(!run.stdout.includes(session) && !run.stdout.includes(passphrase));
		assert.ok(names.includes('HUSH_HOME') && names.includes('HUSH_SECRET_VALIDATION_LEVEL'), 'settings that hold no secret are passed on');
		assert.ok(names.includes('KEY'));

		const kept = await hush(['run', '--secret', 'x', '--keep-hush-env', '--no-masking', '--', 'env'], {home, env});
		assert.equal(kept.code, 0, kept.stderr);
		assert.ok(kept.stdout.includes(`HUSH_SESSION=${session}\n`));
		assert.ok(kept.stdout.includes(`HUSH_PASSPHRASE=${passphrase}\n`));
		assert.ok(kept.stdout.includes('HUSH_NEW_PASSPHRASE=next passphrase 1\n'));
		assert.match((await hush(['run', '--help'], {home})).stdout, /--keep-hush-env/);
	});

	test('childEnvironment strips them and injects the values', async () => {
		const {childEnvironment} = await runtime();
		const env = childEnvironment({HUSH_PASSPHRASE: 'p', HUSH_SESSION: 's', HUSH_HOME: '/h', PATH: '/bin'}, new Map([['KEY', 'v']]), {keepHushEnv: false});
		assert.deepEqual(env, {HUSH_HOME: '/h', PATH: '/bin', KEY: 'v'});
	});
});

describe('NUL bytes in values', () => {
	test('are refused at set (stdin, @FILE, --values) with one line, exit 2, never the value', async t => {
		const home = await initHome(t);
		const value = 'before\0after-canary';
		const stdin = await hush(['set', 'n', '--stdin', 'TOKEN'], {home, input: value});
		assert.equal(stdin.code, 2);
		assertOneLineError(stdin, /value for TOKEN contains a NUL byte/);
		writeFileSync(join(home, 'v'), value);
		const file = await hush(['create', 'n', `--TOKEN=@${join(home, 'v')}`], {home});
		assert.equal(file.code, 2);
		assertOneLineError(file, /value for TOKEN contains a NUL byte/);
		const values = await hush(['set', 'n', '--values', JSON.stringify({TOKEN: value})], {home});
		assert.equal(values.code, 2);
		assertOneLineError(values, /value for TOKEN contains a NUL byte/);
		await hushOk(['set', 'n', '--TOKEN=@@fine'], {home});
		const update = await hush(['update', 'n', '--stdin', 'TOKEN'], {home, input: value});
		assert.equal(update.code, 2);
		for (const run of [stdin, file, values, update]) {
			assert.ok(!run.stderr.includes('after-canary') && !run.stderr.includes('before'), run.stderr);
		}

		assert.equal((await hush(['get', 'n', 'TOKEN'], {home})).stdout, '@fine');
	});

	test('are refused by MCP create_secret, and the reply holds no value', async t => {
		const home = await initHome(t);
		const transport = new StdioClientTransport({command: process.execPath, args: [cliPath, 'mcp'], env: {PATH: process.env['PATH']!, HUSH_HOME: home, HUSH_PASSPHRASE: passphrase}, stderr: 'pipe'});
		const client = new Client({name: 'hush-test', version: '1.0.0'});
		await client.connect(transport);
		t.after(async () => client.close());
		const result = await client.callTool({name: 'create_secret', arguments: {name: 'agent', values: {API_KEY: 'x\0nul-canary'}}});
		assert.equal(result.isError, true);
		const text = (result.content as Array<{text: string}>)[0]!.text;
		assert.match(text, /value for API_KEY contains a NUL byte/);
		assert.ok(!text.includes('nul-canary'));
		assert.equal((await hush(['list', '--json'], {home})).stdout.trim(), '[]');
	});

	test('a NUL value already in a vault is refused by run naming the key, never printing it', async () => {
		const {childEnvironment} = await runtime();
		assert.throws(
			() => childEnvironment({}, new Map([['TOKEN', 'a\0secret-canary']]), {keepHushEnv: false}),
			(error: Error) => /TOKEN/.test(error.message) && /NUL/.test(error.message) && !error.message.includes('secret-canary'),
		);
	});
});
