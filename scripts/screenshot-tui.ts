// Makes media/hush-tui.svg: the real TUI, driven in tmux over a throwaway vault, captured with its
// colours. Run with: node --import tsx scripts/screenshot-tui.ts (after npm run build; needs tmux).
import {execFileSync} from 'node:child_process';
import {randomUUID} from 'node:crypto';
import {mkdtempSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join, resolve} from 'node:path';
import {ansiTerminalSvg} from './terminal-svg.js';

const columns = 120;
const rows = 30;
const home = mkdtempSync(join(tmpdir(), 'hush-shot-'));
const passphrase = 'demo passphrase';
const env: NodeJS.ProcessEnv = {...process.env, HUSH_HOME: home, HUSH_PASSPHRASE: passphrase};
const cli = resolve('dist/cli.js');
const socket = `hush-shot-${randomUUID()}`;
const tmux = (...args: string[]) => execFileSync('tmux', ['-L', socket, '-f', '/dev/null', ...args], {encoding: 'utf8'});

function set(name: string, values: string, flags: string[]): void {
	execFileSync(process.execPath, [cli, 'set', name, '--values', values, ...flags], {env, stdio: ['ignore', 'ignore', 'ignore']});
}

async function waitFor(text: string): Promise<void> {
	const deadline = Date.now() + 30_000;
	while (!tmux('capture-pane', '-p', '-t', 'main').includes(text)) {
		if (Date.now() > deadline) {
			throw new Error(`the TUI never showed ${JSON.stringify(text)}`);
		}

		await new Promise(resolve => setTimeout(resolve, 25));
	}
}

try {
	execFileSync(process.execPath, [cli, 'init', '--kdf-memory', '19', '--kdf-passes', '2', '--kdf-parallelism', '1'], {env, stdio: 'ignore'});
	set('openai-creds', '{"OPENAI_API_KEY": "sk-proj-demo-0000", "ORG_ID": "org-demo"}', ['--type', 'token', '--integration', 'openai', '--description', 'team account']);
	set('github', '{"GITHUB_TOKEN": "ghp_demo"}', ['--type', 'token', '--integration', 'github']);
	set('prod-db', '{"PGHOST": "db.internal", "PGUSER": "app", "PGPASSWORD": "demo"}', ['--type', 'credentials', '--private', '--write-only']);
	set('stripe', '{"STRIPE_SECRET_KEY": "sk_test_demo"}', ['--type', 'token', '--integration', 'stripe', '--private']);
	set('tls-cert', '{"CERT_PEM": "-----BEGIN CERTIFICATE-----", "KEY_PEM": "-----BEGIN PRIVATE KEY-----"}', ['--type', 'certificate']);
	set('sentry-dsn', '{"SENTRY_DSN": "https://demo@sentry.example/1"}', ['--type', 'url', '--integration', 'sentry']);
	const vars = ['HUSH_HOME', 'HUSH_PASSPHRASE', 'PATH', 'HOME'].flatMap(key => ['-e', `${key}=${env[key] ?? ''}`]);
	tmux('new-session', '-d', '-s', 'main', '-x', String(columns), '-y', String(rows), ...vars, '-e', 'CI=false', '-e', 'FORCE_COLOR=1', '-e', 'TERM=xterm-256color', process.execPath, cli);
	await waitFor('6 secrets');
	tmux('send-keys', '-t', 'main', 'j');
	await waitFor('› openai-creds');
	tmux('send-keys', '-t', 'main', 'Enter');
	await waitFor('↑↓ key');
	const lines = tmux('capture-pane', '-p', '-e', '-t', 'main').replace(/\n$/, '').split('\n');
	const out = resolve('media/hush-tui.svg');
	writeFileSync(out, ansiTerminalSvg(lines, {title: 'hush — the full-screen TUI', columns}));
	console.log(`wrote ${out}`);
} finally {
	try {
		tmux('kill-server');
	} catch {
		// Already gone.
	}

	rmSync(home, {recursive: true, force: true});
}
