// A real install: `npm pack`, then `npm install -g` of the tarball into a temporary prefix, run by
// the machine's own (older) Node from a folder outside the checkout, as a new user would. The
// slowest test file (about 40 seconds): npm unpacks every dependency and the Node 24 binary.
// Loopback only: npm resolves against a registry on 127.0.0.1 (test/helpers/local-registry.ts) and
// takes every tarball from its cache, and its proxy is a dead port, so reaching for anything else
// (registry.npmjs.org included) fails the install instead of quietly going online.
// The one thing it leaves in the user's npm cache is what any `npm install ./x.tgz` does: the packed
// hushvault tarball, filed under its path.
import assert from 'node:assert/strict';
import {execFileSync, spawn, spawnSync} from 'node:child_process';
import {copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {delimiter, dirname, join, resolve} from 'node:path';
import {after, before, describe, test} from 'node:test';
import {archNodePackage, type LocalRegistry, startLocalRegistry} from './helpers/local-registry.js';

const root = resolve('.');
const version = (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {version: string}).version;

/** The first `node` on PATH outside any node_modules: the machine's own Node, not the project's 24. */
function systemNode(): {path: string; major: number} {
	for (const folder of (process.env['PATH'] ?? '').split(delimiter)) {
		const candidate = join(folder, 'node');
		if (folder !== '' && !folder.includes('node_modules') && existsSync(candidate)) {
			const output = execFileSync(candidate, ['--version'], {encoding: 'utf8'});
			return {path: candidate, major: Number(/^v(\d+)/.exec(output)?.[1])};
		}
	}

	throw new Error('no node on PATH outside node_modules');
}

type Run = {code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string};

const work = mkdtempSync(join(tmpdir(), 'hush-install-'));
const prefix = join(work, 'prefix');
const elsewhere = join(work, 'elsewhere');
const home = join(work, 'home');
const node = systemNode();
// The machine's Node first: `hush` (a `#!/usr/bin/env -S node …` script) starts on it, and so does npm.
const path = [join(prefix, 'bin'), dirname(node.path), '/usr/bin', '/bin'].join(delimiter);

function run(command: string, args: readonly string[], options: {input?: string; env?: Record<string, string>; signalWhen?: {text: string; signal: NodeJS.Signals}} = {}): Promise<Run> {
	return new Promise((resolvePromise, reject) => {
		const child = spawn(command, args, {
			cwd: elsewhere,
			env: {PATH: path, HOME: process.env['HOME'] ?? work, HUSH_HOME: home, ...options.env},
			stdio: ['pipe', 'pipe', 'pipe'],
		});
		let stdout = '';
		let stderr = '';
		child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
			stdout += chunk;
			if (options.signalWhen && stdout.includes(options.signalWhen.text)) {
				child.kill(options.signalWhen.signal);
			}
		});
		child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
		child.on('error', reject);
		child.on('close', (code, signal) => resolvePromise({code, signal, stdout, stderr}));
		child.stdin.end(options.input ?? '');
	});
}

/** npm's settings for talking to nothing but the local registry; its children (the `node` package's
 * preinstall runs `npm install` itself) inherit them through the environment. */
function loopbackOnly(registry: string): Record<string, string> {
	const dead = 'http://127.0.0.1:9';
	return {
		npm_config_registry: registry,
		npm_config_proxy: dead,
		npm_config_https_proxy: dead,
		npm_config_noproxy: '127.0.0.1',
		HTTP_PROXY: dead,
		HTTPS_PROXY: dead,
		http_proxy: dead,
		https_proxy: dead,
		NO_PROXY: '127.0.0.1',
		no_proxy: '127.0.0.1',
		// A refused connection fails at once rather than after minutes of retrying.
		npm_config_fetch_retries: '0',
		npm_config_update_notifier: 'false',
		npm_config_audit: 'false',
		npm_config_fund: 'false',
	};
}

const hush = (args: readonly string[], options: Parameters<typeof run>[2] = {}) => run(join(prefix, 'bin', 'hush'), args, {...options, env: {HUSH_PASSPHRASE: 'install test passphrase', ...options.env}});

describe('npm install -g of the packed tarball', {timeout: 600_000}, () => {
	let registry: LocalRegistry | undefined;

	before(async () => {
		assert.ok(existsSync(join(root, 'dist', 'cli.js')), 'build first: npm run build');
		mkdirSync(elsewhere);
		mkdirSync(home);
		// dist/ is already built (the tests drive it); packing must not rebuild it.
		// A throwaway cache: packing needs none, and npm would file the tarball in the user's.
		const packed = execFileSync('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', work, '--cache', join(work, 'pack-cache')], {cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe']});
		const [{filename}] = JSON.parse(packed) as [{filename: string}];
		// The user's own cache, filled by `npm ci`: every tarball is in it. The package documents are
		// not (a lockfile install never fetches them), so the local registry makes them up.
		const cache = execFileSync('npm', ['config', 'get', 'cache'], {cwd: elsewhere, encoding: 'utf8'}).trim();
		registry = await startLocalRegistry({root, cache});
		// Not spawnSync: the registry answers on this process's event loop.
		const install = await run('npm', ['install', '-g', '--prefix', prefix, '--registry', registry.url, '--prefer-offline', '--no-audit', '--no-fund', '--loglevel=error', join(work, filename)], {
			env: {...process.env, PATH: path, npm_config_cache: cache, ...loopbackOnly(registry.url)},
		});
		assert.equal(install.code, 0, `npm install -g failed: ${install.stderr}\nnot served by the local registry: ${registry.misses.join(', ')}`);
		assert.deepEqual(registry.misses, []);
		// The arch-specific Node came through it: the `node` package's own `npm install` used it too.
		assert.ok(registry.requests.includes(`/${archNodePackage(root).name}`), registry.requests.join(', '));
	});

	after(async () => {
		await registry?.close();
		rmSync(work, {recursive: true, force: true});
	});

	test('puts hush on the PATH; it runs on the machine\'s own Node', async () => {
		const result = await run('sh', ['-c', 'command -v hush && node --version && hush --version']);
		assert.equal(result.code, 0, result.stderr);
		const [where, nodeVersion, hushVersion] = result.stdout.trim().split('\n');
		assert.equal(where, join(prefix, 'bin', 'hush'));
		assert.equal(Number(/^v(\d+)/.exec(nodeVersion!)?.[1]), node.major);
		assert.equal(hushVersion, version);
		assert.equal(result.stderr, '');
	});

	test('the readme quick start works from a folder outside the checkout', async () => {
		assert.equal((await hush(['init', '--kdf-memory', '19', '--kdf-passes', '2', '--kdf-parallelism', '1'])).code, 0);
		writeFileSync(join(elsewhere, 'key.txt'), 'sk-install-test\n');
		const set = await hush(['set', 'openai-creds', '--OPENAI_API_KEY=@key.txt', '--type', 'token', '--integration', 'openai']);
		assert.equal(set.code, 0, set.stderr);
		const piped = await hush(['set', 'github', '--stdin', 'GITHUB_TOKEN'], {input: 'ghp_from_a_pipe\n'});
		assert.equal(piped.code, 0, piped.stderr);
		const list = await hush(['list']);
		assert.match(list.stdout, /openai-creds/);
		assert.match(list.stdout, /github/);
		const show = await hush(['show', 'openai-creds']);
		assert.equal(show.code, 0, show.stderr);
		assert.doesNotMatch(show.stdout, /sk-install-test/);
		assert.match((await hush(['get', 'openai-creds', 'OPENAI_API_KEY'])).stdout, /^sk-install-test\n?$/);
		assert.equal((await hush(['get', 'github', 'GITHUB_TOKEN'])).stdout, 'ghp_from_a_pipe');
	});

	test('exit codes pass through the launcher', async () => {
		const missing = await hush(['get', 'no-such-secret', 'KEY']);
		assert.equal(missing.code, 1);
		assert.match(missing.stderr, /^hush: [^\n]+\n$/);
		const usage = await hush(['get']);
		assert.equal(usage.code, 2);
		const inner = await hush(['run', '--secret', 'github', '--', 'sh', '-c', 'exit 7']);
		assert.equal(inner.code, 7);
	});

	test('a signal sent to hush reaches the program it runs, and hush dies of it too', async () => {
		const result = await hush(['run', '--secret', 'github', '--', 'sh', '-c', 'trap "echo got-term; exit 143" TERM; echo ready; while :; do sleep 0.05; done'], {signalWhen: {text: 'ready', signal: 'SIGTERM'}});
		assert.match(result.stdout, /got-term/);
		assert.ok(result.signal === 'SIGTERM' || result.code === 143, `exited ${result.code ?? result.signal}`);
	});
});

test('without any Node 24 to hand over to, one clear line and exit 1', t => {
	// The launcher alone, far from any node_modules: an old Node with nothing to re-run hush with.
	const lonely = mkdtempSync(join(tmpdir(), 'hush-lonely-'));
	t.after(() => rmSync(lonely, {recursive: true, force: true}));
	copyFileSync(join(root, 'dist', 'cli.js'), join(lonely, 'cli.js'));
	const result = spawnSync(node.path, [join(lonely, 'cli.js'), '--version'], {encoding: 'utf8', cwd: lonely});
	if (node.major >= 24) {
		// This machine's own Node is new enough; the launcher then imports the CLI beside it (absent here).
		assert.notEqual(result.status, 0);
		return;
	}

	assert.equal(result.status, 1);
	assert.equal(result.stdout, '');
	assert.match(result.stderr, /^hush: needs Node\.js 24 or newer \(this is Node \d+[^\n]*\n$/);
});

test('node dist/cli.js on the machine\'s own Node runs hush with the project\'s Node 24', () => {
	const result = spawnSync(node.path, [join(root, 'dist', 'cli.js'), '--version'], {encoding: 'utf8', cwd: tmpdir()});
	assert.equal(result.status, 0, result.stderr);
	assert.equal(result.stdout, `${version}\n`);
	assert.equal(result.stderr, '');
});

test('npm install -g from the checkout links it; hush runs on the machine\'s own Node', t => {
	const linked = mkdtempSync(join(tmpdir(), 'hush-linked-'));
	t.after(() => rmSync(linked, {recursive: true, force: true}));
	// --ignore-scripts: `prepare` would rebuild the dist/ the other tests are driving.
	const install = spawnSync('npm', ['install', '-g', '--prefix', linked, '--offline', '--ignore-scripts', '--no-audit', '--no-fund', '--loglevel=error', root], {
		cwd: tmpdir(),
		env: {...process.env, PATH: [dirname(node.path), '/usr/bin', '/bin'].join(delimiter)},
		encoding: 'utf8',
	});
	assert.equal(install.status, 0, install.stderr);
	const result = spawnSync(join(linked, 'bin', 'hush'), ['--version'], {cwd: tmpdir(), env: {PATH: [dirname(node.path), '/usr/bin', '/bin'].join(delimiter)}, encoding: 'utf8'});
	assert.equal(result.stderr, '');
	assert.equal(result.stdout, `${version}\n`);
});
