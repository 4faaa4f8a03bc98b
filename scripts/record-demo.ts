// Records media/demo.cast (asciicast v2) and media/demo.svg (animated, for the readme): a real hush
// in a real terminal (a private tmux server), with a real Secret Service (gnome-keyring on a
// private D-Bus) and a real `hush serve` on 127.0.0.1. The journey: set a preference, unlock,
// filter, reveal, create a secret with one value from a file and one from the keychain, sync. Every step waits for what it needs on screen; the only pauses
// are for a viewer to read.
//
// Run with: npm run build && node --import tsx scripts/record-demo.ts
// (needs tmux, dbus, gnome-keyring and secret-tool: bash scripts/ensure-test-tools.sh)
import {execFileSync} from 'node:child_process';
import {randomUUID} from 'node:crypto';
import {chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join, resolve} from 'node:path';
import {writeKeychainPassword} from '../source/keychain/keychain.js';
import {type SecretService, startSecretService} from '../test/helpers/secret-service.js';
import {type RunningServer, serverToken, startServer} from '../test/helpers/sync-server.js';
import {type Frame, animatedTerminalSvg, asciicast} from './animated-svg.js';

const columns = 100;
const rows = 28;
const passphrase = 'demo passphrase';
const cli = resolve('dist/cli.js');
const work = mkdtempSync(join(tmpdir(), 'hush-demo-'));
const home = join(work, 'vault-home');
const socket = `hush-demo-${randomUUID()}`;
const tmux = (...args: string[]) => execFileSync('tmux', ['-L', socket, '-f', '/dev/null', ...args], {encoding: 'utf8'});
const screen = () => tmux('capture-pane', '-p', '-t', 'main');
const pause = async (ms: number) => new Promise(resolve => setTimeout(resolve, ms));

function hush(args: string[], env: NodeJS.ProcessEnv, input = ''): string {
	return execFileSync(process.execPath, [cli, ...args], {env: {...env, HUSH_HOME: home}, input, encoding: 'utf8', stdio: ['pipe', 'pipe', 'pipe']});
}

async function waitFor(expected: string | RegExp | ((text: string) => boolean), timeoutMs = 30_000): Promise<void> {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const text = screen();
		if (typeof expected === 'string' ? text.includes(expected) : expected instanceof RegExp ? expected.test(text) : expected(text)) {
			return;
		}

		if (Date.now() > deadline) {
			throw new Error(`the demo never showed ${String(expected)}; the screen shows:\n${text}`);
		}

		await pause(25);
	}
}

/** Types like a person, a few keys at a time, so the recording shows it happening. */
async function typeSlowly(text: string, msPerKey = 70, keysAtOnce = 1): Promise<void> {
	const characters = [...text];
	for (let index = 0; index < characters.length; index += keysAtOnce) {
		tmux('send-keys', '-t', 'main', '-l', characters.slice(index, index + keysAtOnce).join(''));
		await pause(msPerKey);
	}
}

async function press(key: string, expected?: string | RegExp): Promise<void> {
	tmux('send-keys', '-t', 'main', key);
	if (expected !== undefined) {
		await waitFor(expected);
	}
}

async function shellCommand(line: string, expected: string | RegExp): Promise<void> {
	await typeSlowly(line, 40, 3);
	await press('Enter', expected);
}

let keyring: SecretService | undefined;
let server: RunningServer | undefined;
const frames: Frame[] = [];
let recorder: NodeJS.Timeout | undefined;
try {
	// The world the demo runs in: a keychain item, a key file, a sync server, a vault with secrets.
	keyring = await startSecretService();
	// Stored the way another app would store it through the OS keychain API (keytar), on the private bus.
	process.env['DBUS_SESSION_BUS_ADDRESS'] = keyring.env.DBUS_SESSION_BUS_ADDRESS;
	await writeKeychainPassword('stripe.com', 'demo', 'whsec_demo_9fK2mQ7rXbT4');

	const db = join(work, 'server.db');
	await serverToken(db, ['init']);
	server = await startServer(db);
	const token = await serverToken(db, ['token', 'create', '--user', 'demo', '--perm', 'secrets:read,secrets:write']);
	const env: NodeJS.ProcessEnv = {PATH: process.env['PATH'], HOME: work, ...keyring.env};
	const seedEnv = {...env, HUSH_PASSPHRASE: passphrase};
	hush(['init', '--kdf-memory', '19', '--kdf-passes', '2', '--kdf-parallelism', '1'], seedEnv);
	hush(['set', 'openai-creds', '--type', 'token', '--integration', 'openai', '--values', '{"OPENAI_API_KEY": "sk-proj-demo-8s7Dk2", "ORG_ID": "org-demo"}'], seedEnv);
	hush(['set', 'github', '--type', 'token', '--integration', 'github', '--values', '{"GITHUB_TOKEN": "ghp_demo_Qw3rTy"}'], seedEnv);
	hush(['set', 'prod-db', '--type', 'credentials', '--private', '--write-only', '--values', '{"PGHOST": "db.internal", "PGUSER": "app", "PGPASSWORD": "demo"}'], seedEnv);
	hush(['set', 'sentry-dsn', '--type', 'url', '--integration', 'sentry', '--values', '{"SENTRY_DSN": "https://demo@sentry.example/1"}'], seedEnv);
	hush(['remote', 'add', server.url, '--token-stdin'], seedEnv, token);
	hush(['sync'], seedEnv);
	writeFileSync(join(work, 'stripe-key.txt'), 'sk_test_demo_51HxQ2e\n', {mode: 0o600});
	// `hush` on the PATH, as after npm install -g.
	const bin = join(work, 'bin');
	mkdirSync(bin);
	writeFileSync(join(bin, 'hush'), `#!/bin/sh\nexec '${process.execPath}' '${cli}' "$@"\n`);
	chmodSync(join(bin, 'hush'), 0o755);

	const shellEnv: Record<string, string> = {
		HUSH_HOME: home, HOME: work, PATH: `${bin}:${process.env['PATH'] ?? '/usr/bin:/bin'}`, CI: 'false', FORCE_COLOR: '1', TERM: 'xterm-256color', PS1: '$ ', ...keyring.env,
	};
	tmux('new-session', '-d', '-s', 'main', '-x', String(columns), '-y', String(rows), '-c', work, ...Object.entries(shellEnv).flatMap(([key, value]) => ['-e', `${key}=${value}`]), 'sh');
	await waitFor(/^[#$] ?$/m);
	// The shell's start-up files may set PATH and the prompt again: set them once more, then clear.
	tmux('send-keys', '-t', 'main', '-l', `export PATH='${bin}':"$PATH" PS1='$ '; clear`);
	tmux('send-keys', '-t', 'main', 'Enter');
	await waitFor(text => text.trim() === '$');

	// Frames: the screen, with colours, whenever it changes.
	const started = Date.now();
	let last = '';
	recorder = setInterval(() => {
		const captured = tmux('capture-pane', '-p', '-e', '-t', 'main').replace(/\n$/, '');
		if (captured !== last) {
			last = captured;
			frames.push({at: Date.now() - started, lines: captured.split('\n')});
		}
	}, 40);

	await pause(600);
	await shellCommand('hush config set reveal.seconds 3', 'reveal.seconds = 3');
	await pause(900);
	await shellCommand('hush', 'Unlock the vault');
	await pause(500);
	await typeSlowly(passphrase, 50);
	await press('Enter', 'hush · 4 secrets');
	await pause(1500);

	// Filter, then reveal: the value shows for reveal.seconds, then masks itself.
	await press('/', 'sort: name › /');
	await typeSlowly('open', 160);
	await waitFor('hush · 1 of 4');
	await press('Enter');
	await pause(800);
	await press('r', 'sk-proj-demo-8s7Dk2');
	await waitFor(text => !text.includes('sk-proj-demo-8s7Dk2'));
	await pause(700);
	await press('Escape', 'hush · 4 secrets');
	await pause(600);

	// A new secret: one value read from a file, one from the OS keychain; neither is typed.
	await press('n', 'New secret');
	await typeSlowly('stripe');
	for (let field = 0; field < 4; field++) {
		await press('Tab');
	}

	await typeSlowly('stripe');
	await press('Tab');
	await press('Tab', /› Key/);
	await typeSlowly('STRIPE_SECRET_KEY', 50);
	await press('Tab');
	await press('Right');
	await press('Right', '‹ file ›');
	await press('Tab');
	await typeSlowly('stripe-key.txt', 60);
	await pause(500);
	await press('C-n', /› Key\s+│/);
	await typeSlowly('STRIPE_WEBHOOK_SECRET', 50);
	await press('Tab');
	for (let step = 0; step < 3; step++) {
		await press('Right');
	}

	await waitFor('‹ OS keychain ›');
	await press('Tab');
	await typeSlowly('stripe.com', 60);
	await press('Tab');
	await typeSlowly('demo', 60);
	await pause(600);
	await press('C-s', 'created stripe');
	await pause(1800);

	// Sync with the server on 127.0.0.1.
	await press('s', /synced:/);
	await pause(3000);
} finally {
	clearInterval(recorder);
	try {
		tmux('kill-server');
	} catch {
		// Already gone.
	}

	await server?.stop();
	await keyring?.stop();
	rmSync(work, {recursive: true, force: true});
}

if (frames.length === 0) {
	throw new Error('no frames were recorded');
}

// Long waits (argon2id, a slow machine) are shortened to at most 2 s, as asciinema's idle limit does.
let shift = 0;
const timed = frames.map((frame, index) => {
	const gap = index === 0 ? frame.at : frame.at - frames[index - 1]!.at;
	shift += Math.max(0, gap - 2000);
	return {...frame, at: frame.at - shift};
});
const endMs = timed.at(-1)!.at + 3000;
const title = 'hush — unlock, filter, reveal, create from a file and the keychain, sync';
mkdirSync('media', {recursive: true});
writeFileSync('media/demo.cast', asciicast(timed, {columns, rows, title}));
writeFileSync('media/demo.svg', animatedTerminalSvg(timed, {columns, rows, endMs, title}));
console.log(`wrote media/demo.cast and media/demo.svg: ${timed.length} frames, ${(endMs / 1000).toFixed(1)} s`);
