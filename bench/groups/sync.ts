import {spawn} from 'node:child_process';
import {once} from 'node:events';
import {copyFileSync, mkdirSync, mkdtempSync, rmSync} from 'node:fs';
import {join} from 'node:path';
import {performance} from 'node:perf_hooks';
import {baselineOf, runOnce, summarize} from '../measure.js';
import type {BenchGroup, InProcessResult} from '../types.js';
import {casLoad} from '../load-cas.js';
import {addRemote, clone, sync} from '../../source/sync/index.js';
import {RemoteClient} from '../../source/sync/client.js';
import {openVault} from '../../source/unlock/open-vault.js';
import {serverToken, startPostgresCluster, startServer} from '../../test/helpers/sync-server.js';

const size = 10_000;
const kib = (bytes: number) => `${(bytes / 1024).toFixed(1)} KiB`;
/** This process's CPU since `start`, in ms: the client's own work (the server is another process), steadier than wall time on a busy machine. */
const cpuMs = (start: NodeJS.CpuUsage) => {
	const {user, system} = process.cpuUsage(start);
	return ((user + system) / 1000).toFixed(0);
};

/** Runs `hush clone URL --token-stdin` (the built CLI, through its shebang) to the end; its wall time in ms. */
async function cliClone(cli: string, env: NodeJS.ProcessEnv, url: string, token: string): Promise<number> {
	const started = performance.now();
	const child = spawn(cli, ['clone', url, '--token-stdin'], {env, stdio: ['pipe', 'pipe', 'pipe']});
	let output = '';
	child.stdout.on('data', (chunk: Buffer) => {
		output += chunk.toString('utf8');
	});
	child.stderr.on('data', (chunk: Buffer) => {
		output += chunk.toString('utf8');
	});
	child.stdin.end(token);
	const [code] = (await once(child, 'close')) as [number | null];
	const ms = performance.now() - started;
	if (code !== 0 || !output.includes(`${size} pulled`)) {
		throw new Error(`hush clone exited with ${String(code)}: ${output.trim()}`);
	}

	return ms;
}

/**
 * Sync on loopback: initial sync of 10,000 secrets (push from A; clones on B in process and as the
 * CLI in a cold process, alternately), then syncs with 10 changed secrets (time, and request + response body
 * bytes), then CAS write throughput with 16 concurrent clients against SQLite and PostgreSQL
 * (bench/load-cas.ts).
 */
export const syncGroup: BenchGroup = {
	name: 'sync',
	description: 'sync on loopback: initial 10,000 (push; clones in process and as the CLI, alternately), then 10 changed (time, bytes), CAS throughput x16 on SQLite and PostgreSQL',
	vaults: [size],
	async run(context) {
		const inProcess: InProcessResult[] = [];
		const dir = mkdtempSync(join(context.workDir, 'sync-'));
		const cleanups: Array<() => void | Promise<void>> = [];
		try {
			const db = join(dir, 'server.db');
			await serverToken(db, ['init']);
			const token = await serverToken(db, ['token', 'create', '--user', 'bench', '--perm', 'secrets:read,secrets:write']);
			const server = await startServer(db);
			cleanups.push(() => server.stop().then(() => undefined));

			const source = context.vault(size);
			const home = join(dir, 'a');
			mkdirSync(home, {mode: 0o700});
			copyFileSync(join(source.home, 'vault.db'), join(home, 'vault.db'));
			const vault = await openVault({home, passphrase: source.passphrase, command: 'bench'});
			cleanups.push(() => vault.close());
			addRemote(vault, {url: server.url, token, insecure: false});

			context.log(`sync: initial push of ${size.toLocaleString('en-US')} secrets`);
			let client = new RemoteClient(server.url, token);
			let cpu = process.cpuUsage();
			let started = performance.now();
			const first = await sync(vault, client);
			const initialMs = performance.now() - started;
			const initialCpu = cpuMs(cpu);
			if (first.pushed !== size) {
				throw new Error(`initial sync pushed ${first.pushed}, expected ${size}`);
			}

			inProcess.push({id: 'sync-initial@10000', group: 'sync', label: `initial sync, 10,000 secrets pushed (${kib(client.bytes.sent + client.bytes.received)} of bodies; client CPU ${initialCpu} ms)`, timing: summarize([initialMs])});

			// One clone is a single sample of a noisy 2-core machine: the two ways are timed alternately with
			// `node -e 0` (the floor every goal of issue 13 is a ratio to), each into a fresh folder removed
			// after it, and reported by their median like every other row.
			const cloneRuns = Math.min(context.runs.slow, 5);
			context.log(`sync: ${cloneRuns} clones of 10,000 secrets on a second device, in process and as the CLI, alternately with node -e 0`);
			const inProcessMs: number[] = [];
			const inProcessCpu: number[] = [];
			const cliMs: number[] = [];
			const floorMs: number[] = [];
			const floor = baselineOf(context.hush([]));
			for (let run = 0; run < cloneRuns; run++) {
				floorMs.push((await runOnce(floor)).ms);
				const cloneHome = join(dir, `b${run}`);
				cpu = process.cpuUsage();
				started = performance.now();
				await clone({home: cloneHome, url: server.url, token, insecure: false, passphrase: async () => source.passphrase, command: 'bench'});
				inProcessMs.push(performance.now() - started);
				inProcessCpu.push(Number(cpuMs(cpu)));
				rmSync(cloneHome, {recursive: true, force: true});

				const cliHome = join(dir, `c${run}`);
				mkdirSync(cliHome, {mode: 0o700});
				cliMs.push(await cliClone(context.cli, {...context.env(), HUSH_HOME: cliHome, HUSH_PASSPHRASE: source.passphrase}, server.url, token));
				rmSync(cliHome, {recursive: true, force: true});
			}

			const baseline = summarize(floorMs);
			inProcess.push({
				id: 'sync-clone@10000',
				group: 'sync',
				label: `hush clone: 10,000 secrets pulled (incl. one argon2id unlock; client CPU ${summarize(inProcessCpu).median.toFixed(0)} ms, median)`,
				timing: summarize(inProcessMs),
				baseline,
			});
			inProcess.push({id: 'sync-clone-cli@10000', group: 'sync', label: 'hush clone as a user runs it: the CLI, a cold process (token on stdin), 10,000 secrets', timing: summarize(cliMs), baseline});

			const runs = Math.min(context.runs.fast, 7);
			context.log(`sync: ${runs} syncs of 10 changed secrets`);
			const samples: number[] = [];
			const bytes: number[] = [];
			const names = vault.listSecrets().slice(0, 200).map(summary => summary.name);
			// One sync first so the initial push's echo is already pulled.
			await sync(vault);
			for (let run = 0; run < runs; run++) {
				for (const name of names.slice(run * 10, run * 10 + 10)) {
					vault.setSecret(name, {BENCH_ROTATED: `rotated-${run}-${name}`});
				}

				client = new RemoteClient(server.url, token);
				started = performance.now();
				const report = await sync(vault, client);
				samples.push(performance.now() - started);
				bytes.push(client.bytes.sent + client.bytes.received);
				if (report.pushed !== 10) {
					throw new Error(`a sync of 10 changes pushed ${report.pushed}`);
				}
			}

			const maxBytes = Math.max(...bytes);
			inProcess.push({
				id: 'sync-10-changed@10000',
				group: 'sync',
				label: `sync with 10 changed secrets in 10,000 (≤ ${kib(maxBytes)} of bodies on the wire; goal < 64 KiB, < 1 s)`,
				timing: summarize(samples),
			});

			context.log('sync: CAS throughput, 16 clients, SQLite');
			const sqlite = await casLoad(server.url, token, {clients: 16, writes: 50});
			inProcess.push({
				id: 'cas-sqlite',
				group: 'sync',
				label: `CAS writes, 16 clients, SQLite: ${sqlite.writesPerSecond.toFixed(0)} writes/s (${sqlite.writes} writes, ${sqlite.conflicts} 409s)`,
				timing: summarize([sqlite.seconds * 1000]),
			});

			context.log('sync: CAS throughput, 16 clients, PostgreSQL (throwaway cluster)');
			const pg = await startPostgresCluster();
			cleanups.push(pg.stop);
			await serverToken(pg.url, ['init']);
			const pgToken = await serverToken(pg.url, ['token', 'create', '--user', 'bench', '--perm', 'secrets:read,secrets:write']);
			const pgServer = await startServer(pg.url);
			cleanups.push(() => pgServer.stop().then(() => undefined));
			const postgres = await casLoad(pgServer.url, pgToken, {clients: 16, writes: 50});
			inProcess.push({
				id: 'cas-postgres',
				group: 'sync',
				label: `CAS writes, 16 clients, PostgreSQL (throwaway cluster, fsync off): ${postgres.writesPerSecond.toFixed(0)} writes/s (${postgres.writes} writes, ${postgres.conflicts} 409s)`,
				timing: summarize([postgres.seconds * 1000]),
			});
		} finally {
			for (const cleanup of cleanups.reverse()) {
				await cleanup();
			}

			rmSync(dir, {recursive: true, force: true});
		}

		return {inProcess};
	},
};

/**
 * Issue 13's clone bar: 2 s on a quiet machine. Its goals are ratios to `node -e 0` ("absolute
 * times are noisy here"), and it pairs 6× with 0.3 s for the listing, a quiet `node -e 0` of 50 ms:
 * so 2 s is 40×, as the TUI's 0.3 s and 0.6 s are 6× and 12×. Checked on both medians, in process
 * and the CLI as a user runs it; the absolute times are printed beside.
 */
export const cloneGoal = {ratio: 40, quietMs: 2000} as const;

export function syncGoalResults(inProcess: readonly InProcessResult[]): Array<{id: string; description: string; status: 'PASS' | 'MISS' | 'SKIP'; measured: string}> {
	return [
		['sync-clone@10000', `hush clone of 10,000 secrets, in process (argon2id included), within ${cloneGoal.ratio}× node -e 0 (${cloneGoal.quietMs / 1000} s on a quiet machine)`],
		['sync-clone-cli@10000', `hush clone of 10,000 secrets as the CLI, a cold process, within ${cloneGoal.ratio}× node -e 0 (${cloneGoal.quietMs / 1000} s on a quiet machine)`],
	].map(([id, description]) => {
		const result = inProcess.find(entry => entry.id === id);
		if (!result?.baseline) {
			return {id: id!, description: description!, status: 'SKIP', measured: 'needs group sync'};
		}

		const ratio = result.timing.median / result.baseline.median;
		return {
			id: id!,
			description: description!,
			status: ratio <= cloneGoal.ratio ? 'PASS' : 'MISS',
			measured: `${ratio.toFixed(1)}× (median ${result.timing.median.toFixed(0)} ms of ${result.timing.runs}, p90 ${result.timing.p90.toFixed(0)} ms, vs ${result.baseline.median.toFixed(0)} ms; ${result.timing.median <= cloneGoal.quietMs ? 'within' : 'over'} 2 s in absolute terms)`,
		};
	});
}
