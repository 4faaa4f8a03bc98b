/**
 * A real `hush serve` on 127.0.0.1 for the sync suites, and a throwaway PostgreSQL cluster.
 * Everything waits on conditions (the server's ready line, pg_ctl -w), never on a timer.
 */
import {type ChildProcess, execFileSync, spawn} from 'node:child_process';
import {chmodSync, existsSync, mkdtempSync, readdirSync, rmSync} from 'node:fs';
import {createServer} from 'node:net';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import type {TestContext} from 'node:test';
import {cliPath, hush} from './hush-cli.js';

export type RunningServer = {
	url: string;
	port: number;
	process: ChildProcess;
	stderr(): string;
	/** Resolves when the process exits (for whatever reason). */
	exited: Promise<{code: number | null; signal: NodeJS.Signals | null}>;
	/** SIGTERM and wait for exit. */
	stop(): Promise<{code: number | null; signal: NodeJS.Signals | null}>;
	kill(): Promise<void>;
};

export async function startServer(db: string, options: {port?: number; extra?: string[]} = {}): Promise<RunningServer> {
	const child = spawn(process.execPath, [cliPath, 'serve', '--db', db, '--port', String(options.port ?? 0), '--rate-limit', '0', ...(options.extra ?? [])], {
		env: {PATH: process.env['PATH'], HOME: process.env['HOME'], HUSH_HOME: tmpdir()},
		stdio: ['ignore', 'pipe', 'pipe'],
	});
	let stdout = '';
	let stderr = '';
	child.stderr.setEncoding('utf8').on('data', chunk => (stderr += chunk));
	const exited = new Promise<{code: number | null; signal: NodeJS.Signals | null}>(resolve => child.on('exit', (code, signal) => resolve({code, signal})));
	const url = await new Promise<string>((resolve, reject) => {
		child.stdout.setEncoding('utf8').on('data', chunk => {
			stdout += chunk;
			const match = /listening on (https?:\/\/127\.0\.0\.1:\d+)/.exec(stdout);
			if (match) {
				resolve(match[1]!);
			}
		});
		void exited.then(({code}) => reject(new Error(`hush serve exited (${code}) before it was ready: ${stderr}`)));
	});
	return {
		url,
		port: Number(new URL(url).port),
		process: child,
		exited,
		stderr: () => stderr,
		async stop() {
			if (child.exitCode === null && child.signalCode === null) {
				child.kill('SIGTERM');
			}

			return exited;
		},
		async kill() {
			child.kill('SIGKILL');
			await exited;
		},
	};
}

export async function serverToken(db: string, args: string[]): Promise<string> {
	const run = await hush(['server', ...args, '--db', db], {home: tmpdir()});
	if (run.code !== 0) {
		throw new Error(`hush server ${args.join(' ')} failed: ${run.stderr}`);
	}

	return run.stdout.trim().split('\n').at(-1)!;
}

/** A fresh SQLite server database with an admin token. */
export async function initServerDb(t: TestContext, db?: string): Promise<{db: string; admin: string}> {
	const target = db ?? join(mkdtempSync(join(tmpdir(), 'hush-server-')), 'server.db');
	if (!db) {
		t.after(() => rmSync(join(target, '..'), {recursive: true, force: true}));
	}

	const admin = await serverToken(target, ['init']);
	return {db: target, admin};
}

/** A fresh SQLite server on 127.0.0.1, stopped after the test, and a read-write token for user `team`. */
export async function runningServer(t: TestContext): Promise<{db: string; server: RunningServer; token: string}> {
	const {db} = await initServerDb(t);
	const server = await startServer(db);
	t.after(() => server.stop());
	const token = await serverToken(db, ['token', 'create', '--user', 'team', '--perm', 'secrets:read,secrets:write']);
	return {db, server, token};
}

function findPgBin(): string {
	for (const candidate of ['/usr/lib/postgresql']) {
		if (existsSync(candidate)) {
			const versions = readdirSync(candidate).sort((a, b) => Number(b) - Number(a));
			for (const version of versions) {
				const bin = join(candidate, version, 'bin');
				if (existsSync(join(bin, 'initdb'))) {
					return bin;
				}
			}
		}
	}

	throw new Error('PostgreSQL is not installed: run bash scripts/ensure-test-tools.sh (as root) or apt-get install postgresql');
}

export async function freePort(): Promise<number> {
	return new Promise((resolve, reject) => {
		const server = createServer();
		server.listen(0, '127.0.0.1', () => {
			const {port} = server.address() as {port: number};
			server.close(() => resolve(port));
		});
		server.on('error', reject);
	});
}

/**
 * A throwaway PostgreSQL cluster in a temp folder, listening on 127.0.0.1 only, trust auth for
 * local connections, stopped and removed after the test. As root it runs as the `postgres` user
 * (PostgreSQL refuses to run as root).
 */
export async function startPostgres(t: TestContext): Promise<string> {
	const cluster = await startPostgresCluster();
	t.after(cluster.stop);
	return cluster.url;
}

/** {@link startPostgres} without a test context (the bench uses it): call `stop` when done. */
export async function startPostgresCluster(): Promise<{url: string; stop(): void}> {
	const bin = findPgBin();
	const dir = mkdtempSync(join(tmpdir(), 'hush-pg-'));
	chmodSync(dir, 0o755);
	const data = join(dir, 'data');
	const asRoot = process.getuid?.() === 0;
	const run = (command: string, args: string[]) => {
		const [file, argv] = asRoot ? ['runuser', ['-u', 'postgres', '--', join(bin, command), ...args]] : [join(bin, command), args];
		execFileSync(file as string, argv as string[], {stdio: ['ignore', 'ignore', 'pipe'], cwd: dir});
	};

	if (asRoot) {
		execFileSync('chown', ['postgres:postgres', dir]);
	}

	const port = await freePort();
	run('initdb', ['-D', data, '-U', 'hush', '--auth=trust', '--no-sync', '-E', 'UTF8']);
	run('pg_ctl', ['-D', data, '-w', '-t', '120', '-l', join(dir, 'log'), '-o', `-h 127.0.0.1 -p ${port} -k ${dir} -c fsync=off`, 'start']);
	return {
		url: `postgres://hush@127.0.0.1:${port}/postgres`,
		stop() {
			try {
				run('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']);
			} finally {
				rmSync(dir, {recursive: true, force: true});
			}
		},
	};
}
