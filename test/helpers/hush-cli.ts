import {spawn} from 'node:child_process';
import {createHash} from 'node:crypto';
import {mkdtempSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join, resolve} from 'node:path';
import {DatabaseSync} from 'node:sqlite';
import type {TestContext} from 'node:test';

export const cliPath = resolve('dist/cli.js');
export const passphrase = 'correct horse battery';

export type Run = {code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string};

export type RunOptions = {
	home: string;
	input?: string | Buffer;
	env?: Record<string, string | undefined>;
	/** Leave HUSH_PASSPHRASE unset. */
	locked?: boolean;
	cwd?: string;
	/** Run as another user (needs root), e.g. to meet a file that user cannot read. */
	user?: {uid: number; gid: number};
	/** Another node binary and CLI bundle, e.g. copies that user can reach. */
	node?: string;
	cli?: string;
};

/** Runs the built `hush` as a user would, with stdin a pipe (never a terminal). */
export function hush(args: readonly string[], options: RunOptions): Promise<Run> {
	const env: Record<string, string | undefined> = {
		PATH: process.env['PATH'],
		HOME: process.env['HOME'],
		HUSH_HOME: options.home,
		HUSH_PASSPHRASE: options.locked ? undefined : passphrase,
		...options.env,
	};
	return new Promise((resolvePromise, reject) => {
		const child = spawn(options.node ?? process.execPath, [options.cli ?? cliPath, ...args], {
			env: Object.fromEntries(Object.entries(env).filter(([, value]) => value !== undefined)) as NodeJS.ProcessEnv,
			cwd: options.cwd,
			uid: options.user?.uid,
			gid: options.user?.gid,
			stdio: ['pipe', 'pipe', 'pipe'],
			// A session of its own, without a controlling terminal: run from a terminal, a locked hush
			// would otherwise ask for the passphrase there (source/unlock/ask-on-terminal.ts).
			detached: true,
		});
		let stdout = '';
		let stderr = '';
		child.stdout.setEncoding('utf8').on('data', chunk => (stdout += chunk));
		child.stderr.setEncoding('utf8').on('data', chunk => (stderr += chunk));
		child.on('error', reject);
		child.on('close', (code, signal) => resolvePromise({code, signal, stdout, stderr}));
		child.stdin.on('error', () => {});
		child.stdin.end(options.input ?? '');
	});
}

/** Runs hush for a set-up step: the test fails there, with hush's message, unless it exits 0. */
export async function hushOk(args: readonly string[], options: RunOptions): Promise<Run> {
	const run = await hush(args, options);
	if (run.code !== 0) {
		throw new Error(`hush ${args.join(' ')} exited ${run.code ?? run.signal}: ${run.stderr}`);
	}

	return run;
}

/** Environment for a hush that measures ages from `at` (HUSH_NOW, read by source/commands/shared/clock.ts). */
export function clockAt(at: number): {HUSH_NOW: string} {
	return {HUSH_NOW: new Date(at).toISOString()};
}

/** stderr is exactly one line, from hush, with no stack trace. */
export function assertOneLineError(run: Run, pattern: RegExp): void {
	if (!/^hush: [^\n]+\n$/.test(run.stderr) || !pattern.test(run.stderr)) {
		throw new Error(`expected one line matching ${String(pattern)} on stderr, got: ${JSON.stringify(run.stderr)}`);
	}
}

/** A fresh HUSH_HOME, removed after the test. */
export function tempHome(t: TestContext, prefix = 'hush-cli-'): string {
	const home = mkdtempSync(join(tmpdir(), prefix));
	t.after(() => rmSync(home, {recursive: true, force: true}));
	return home;
}

/** A fresh vault made by `hush init`, with argon2id at hush's floor so tests stay quick. */
export async function initHome(t: TestContext): Promise<string> {
	const home = tempHome(t);
	const run = await hush(['init', '--kdf-memory', '19', '--kdf-passes', '2', '--kdf-parallelism', '1'], {home});
	if (run.code !== 0) {
		throw new Error(`hush init failed: ${run.stderr}`);
	}

	return home;
}

/** A digest of everything stored (records, key slots, audit), to prove a failed command changed nothing. */
export function vaultDigest(home: string): string {
	const db = new DatabaseSync(join(home, 'vault.db'), {readOnly: true});
	try {
		const hash = createHash('sha256');
		for (const table of ['header', 'keyslots', 'records', 'audit']) {
			for (const row of db.prepare(`SELECT * FROM ${table} ORDER BY 1`).all()) {
				hash.update(JSON.stringify(row, (_key, value: unknown) => (value instanceof Uint8Array ? Buffer.from(value).toString('hex') : value)));
			}
		}

		return hash.digest('hex');
	} finally {
		db.close();
	}
}

export async function listJson(home: string): Promise<Array<Record<string, unknown>>> {
	const run = await hush(['list', '--json'], {home});
	if (run.code !== 0) {
		throw new Error(`hush list failed: ${run.stderr}`);
	}

	return JSON.parse(run.stdout) as Array<Record<string, unknown>>;
}
