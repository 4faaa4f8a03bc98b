/**
 * Two client homes of one vault on a real `hush serve` (127.0.0.1), left with the same key edited
 * on both: A has synced its edit, B has not yet. B's next sync turns it into a conflict.
 */
import assert from 'node:assert/strict';
import type {TestContext} from 'node:test';
import {hush, initHome, tempHome} from './hush-cli.js';
import {initServerDb, type RunningServer, serverToken, startServer} from './sync-server.js';

export type ConflictSetup = {server: RunningServer; a: string; b: string};

export async function ok(args: string[], home: string, input?: string): Promise<string> {
	const run = await hush(args, {home, input});
	assert.equal(run.code, 0, `hush ${args.join(' ')} failed (${run.code}): ${run.stderr}`);
	return run.stdout;
}

/**
 * `db` holds PASS (edited on both: `canaries.a` on A, `canaries.b` on B), USER (unchanged) and a
 * description edited on both. Values go in on stdin, never in argv.
 */
export async function conflictOnB(t: TestContext, canaries: {a: string; b: string}): Promise<ConflictSetup> {
	const {db} = await initServerDb(t);
	const server = await startServer(db);
	t.after(() => server.stop());
	const token = await serverToken(db, ['token', 'create', '--user', 'alice', '--perm', 'secrets:read,secrets:write']);
	const a = await initHome(t);
	await ok(['remote', 'add', server.url, '--token-stdin'], a, token);
	await ok(['set', 'db', '--stdin', 'PASS'], a, 'base-pass-value');
	await ok(['update', 'db', '--stdin', 'USER'], a, 'app');
	await ok(['set', 'other', '--stdin', 'TOKEN'], a, 'other-value');
	await ok(['sync'], a);
	const b = tempHome(t);
	await ok(['clone', server.url, '--token-stdin'], b, token);
	await ok(['update', 'db', '--stdin', 'PASS', '--description', 'from A'], a, canaries.a);
	await ok(['update', 'db', '--stdin', 'PASS', '--description', 'from B'], b, canaries.b);
	await ok(['sync'], a);
	return {server, a, b};
}
