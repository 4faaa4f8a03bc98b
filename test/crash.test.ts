/**
 * kill -9 in the middle of writing: a child process writes in a tight loop and is killed at a
 * random point (chosen by how many commits it has reported, not by time). Every time, the vault
 * must open with each secret wholly in its old or its new state, nothing reported as committed
 * lost, SQLite's integrity check clean and the audit chain intact.
 */
import {type ChildProcess, spawn} from 'node:child_process';
import {join, resolve} from 'node:path';
import {test} from 'node:test';
import assert from 'node:assert/strict';
import {openVault} from '../source/unlock/open-vault.js';
import {pageStats} from '../source/vault/pages.js';
import {generationOf, valueFor, writerKeys, writerNames} from './fixtures/crash-writer.js';
import {makeHome, newVault, openRaw, passphrase} from './helpers/vault-fixtures.js';

const projectRoot = resolve(import.meta.dirname, '..');
const writer = join(import.meta.dirname, 'fixtures', 'crash-writer.ts');
const rounds = 8;

type Run = {commits: Array<{name: string; generation: number}>; target: number};

/** Starts the writer, waits until it has reported `target` commits, then SIGKILLs it. */
async function runUntilKilled(home: string, startGeneration: number, target: number): Promise<Run> {
	const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', writer, home, String(startGeneration)], {
		cwd: projectRoot,
		env: {...process.env, HUSH_PASSPHRASE: passphrase},
		stdio: ['ignore', 'pipe', 'pipe'],
	});
	const commits: Run['commits'] = [];
	let stderr = '';
	let pending = '';
	let killed = false;
	child.stderr!.setEncoding('utf8').on('data', (chunk: string) => {
		stderr += chunk;
	});
	child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
		pending += chunk;
		const lines = pending.split('\n');
		pending = lines.pop() ?? '';
		for (const line of lines) {
			const match = /^(\S+) (\d+)$/.exec(line);
			if (match) {
				commits.push({name: match[1]!, generation: Number(match[2])});
			}
		}

		if (!killed && commits.length >= target) {
			killed = true;
			child.kill('SIGKILL');
		}
	});
	const {code, signal} = await new Promise<{code: number | null; signal: NodeJS.Signals | null}>(resolveExit => {
		child.on('close', (exitCode, exitSignal) => {
			resolveExit({code: exitCode, signal: exitSignal});
		});
	});
	assert.ok(killed && signal === 'SIGKILL', `the writer stopped on its own (code ${code}, signal ${signal}) after ${commits.length} of ${target} commits:\n${stderr}`);
	return {commits, target};
}

test(`a writer killed with SIGKILL ${rounds} times at random points leaves a consistent vault`, {timeout: 120_000}, async t => {
	const home = makeHome(t);
	(await newVault(home)).close();

	const lastSeen = new Map<string, number>();
	let committedBefore = 0;
	for (let round = 1; round <= rounds; round++) {
		const target = 1 + Math.floor(Math.random() * 60);
		const run = await runUntilKilled(home, round * 1_000_000, target);
		t.diagnostic(`round ${round}: killed after ${run.commits.length} reported commits (target ${target})`);
		assert.ok(run.commits.length >= target);

		// SQLite's own view of the file first.
		const raw = openRaw(home);
		const integrity = raw.prepare('PRAGMA integrity_check').all() as Array<{integrity_check: string}>;
		raw.close();
		assert.deepEqual(
			integrity.map(row => row.integrity_check),
			['ok'],
			`round ${round}: integrity_check`,
		);

		const vault = await openVault({home, passphrase, command: 'crash-check'});
		try {
			const summaries = vault.listSecrets();
			// The metadata pages were written in the same transactions: every summary came from a current page.
			assert.deepEqual(
				[pageStats.fromRecords, pageStats.failedPages, pageStats.outdatedPages, pageStats.fromPages],
				[0, 0, 0, summaries.length],
				`round ${round}: pages and records agree`,
			);
			for (const summary of summaries) {
				const label = `round ${round}, ${summary.name}`;
				assert.ok(writerNames.includes(summary.name), label);
				const values = vault.getSecret(summary.id).values;
				assert.deepEqual([...summary.keys].sort(), [...writerKeys], `${label}: meta keys`);
				assert.deepEqual(Object.keys(values).sort(), [...writerKeys], `${label}: value keys`);
				const generations = new Set(Object.values(values).map(value => generationOf(value)));
				assert.equal(generations.size, 1, `${label}: keys from different writes: ${[...generations].join(', ')}`);
				const [generation] = generations as Set<number>;
				assert.ok(Number.isInteger(generation), `${label}: unreadable generation`);
				for (const value of Object.values(values)) {
					assert.equal(value, valueFor(generation!), `${label}: value torn`);
				}

				// Nothing reported as committed was lost, and nothing went backwards.
				const reported = run.commits.filter(commit => commit.name === summary.name).at(-1)?.generation ?? lastSeen.get(summary.name) ?? 0;
				assert.ok(generation! >= reported, `${label}: generation ${generation} is older than the reported ${reported}`);
				lastSeen.set(summary.name, generation!);
			}

			for (const {name} of run.commits) {
				assert.ok(lastSeen.has(name), `round ${round}: reported write to ${name} is missing`);
			}

			// Every reported write committed, plus at most one more (killed between commit and report).
			const writes = vault.auditLog().filter(entry => entry.command === 'crash-writer' && (entry.action === 'create' || entry.action === 'update')).length;
			const roundWrites = writes - committedBefore;
			assert.ok(
				roundWrites >= run.commits.length && roundWrites <= run.commits.length + 1,
				`round ${round}: ${roundWrites} writes in the audit log for ${run.commits.length} reported commits`,
			);
			committedBefore = writes;

			const verification = vault.verifyAuditLog();
			assert.equal(verification.ok, true, `round ${round}: audit chain ${JSON.stringify(verification)}`);
		} finally {
			vault.close();
		}
	}
});
