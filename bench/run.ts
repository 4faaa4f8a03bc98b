// hush benchmarks. `npm run bench` builds, then runs every group; `node --import tsx bench/run.ts
// get kdf` runs a subset. Prints a Markdown report on stdout (progress goes to stderr) and writes
// the same figures to .bench/results.json. Goals print PASS or MISS; the exit status is 0 either
// way, because a slow machine must never fail a build. It is non-zero only when the bench itself
// cannot run (no build, a command fails, a bad argument).
//
// Environment: BENCH_RUNS overrides every timed run count (default 15, and 7 for list at 10,000),
// BENCH_RSS_RUNS the peak-memory runs (default 3), BENCH_KEEP=1 keeps the temporary vaults.
import {existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {delimiter, dirname, join} from 'node:path';
import {fileURLToPath} from 'node:url';
import {derive, evaluateGoals} from './goals.js';
import type {ProcessSpec} from './measure.js';
import {groups, findGroup} from './registry.js';
import {type Report, describeMachine, oneMinuteLoad, renderMarkdown} from './report.js';
import type {BenchContext, BenchGroup, CommandResult, InProcessResult} from './types.js';
import {type BenchVault, benchPassphrase, cachedVault, vaultHome} from './vaults.js';
import {defaultKdfParams} from '../source/vault/kdf.js';

const root = fileURLToPath(new URL('..', import.meta.url));

function usage(): string {
	const width = Math.max(...groups.map(group => group.name.length));
	return `Usage: node --import tsx bench/run.ts [GROUP...]   (npm run bench runs them all, after a build)

Groups:
${groups.map(group => `  ${group.name.padEnd(width)}  ${group.description}`).join('\n')}

Environment: BENCH_RUNS (timed runs, default 15; 7 for list at 10,000), BENCH_RSS_RUNS (peak-memory
runs, default 3), BENCH_KEEP=1 (keep the temporary vaults).
`;
}

function positiveInteger(name: string, fallback: number): number {
	const raw = process.env[name];
	if (raw === undefined || raw === '') {
		return fallback;
	}

	const value = Number(raw);
	if (!Number.isInteger(value) || value < 1) {
		throw new UsageError(`${name} must be a positive integer, not ${JSON.stringify(raw)}`);
	}

	return value;
}

class UsageError extends Error {}

function selectGroups(argv: readonly string[]): BenchGroup[] {
	if (argv.length === 0) {
		return [...groups];
	}

	const selected: BenchGroup[] = [];
	for (const name of argv) {
		const group = findGroup(name);
		if (!group) {
			throw new UsageError(`unknown benchmark group ${JSON.stringify(name)}\n\n${usage()}`);
		}

		if (!selected.includes(group)) {
			selected.push(group);
		}
	}

	// Keep the registry's order, whatever order they were named in.
	return groups.filter(group => selected.includes(group));
}

function log(message: string): void {
	process.stderr.write(`bench: ${message}\n`);
}

async function main(argv: readonly string[]): Promise<number> {
	if (argv.includes('--help') || argv.includes('-h') || argv.includes('--list')) {
		process.stdout.write(usage());
		return 0;
	}

	const major = Number(process.versions.node.split('.')[0]);
	if (major < 24) {
		throw new UsageError(`Node ${process.version} is too old: hush needs Node 24 (run through npm run bench, which uses the project's node)`);
	}

	const cli = join(root, 'dist', 'cli.js');
	if (!existsSync(cli)) {
		throw new UsageError(`${cli} is missing: run npm run build first (npm run bench does)`);
	}

	const loadAtStart = oneMinuteLoad();
	const selected = selectGroups(argv);
	const runs = {
		fast: positiveInteger('BENCH_RUNS', 15),
		slow: positiveInteger('BENCH_RUNS', 7),
		rss: positiveInteger('BENCH_RSS_RUNS', 3),
	};

	const workDir = mkdtempSync(join(tmpdir(), 'hush-bench-'));
	const cleanUp = (): void => {
		if (process.env['BENCH_KEEP']) {
			log(`kept ${workDir}`);
		} else {
			rmSync(workDir, {recursive: true, force: true});
		}
	};

	const onSignal = (signal: NodeJS.Signals): void => {
		cleanUp();
		process.exit(signal === 'SIGINT' ? 130 : 143);
	};

	process.once('SIGINT', onSignal);
	process.once('SIGTERM', onSignal);
	try {
		const vaults = new Map<number, BenchVault>();
		const sizes = [...new Set(selected.flatMap(group => group.vaults ?? []))].sort((a, b) => a - b);
		for (const size of sizes) {
			log(`preparing a vault of ${size.toLocaleString('en-US')} secrets…`);
			const vault = await cachedVault(root, vaultHome(workDir, size), size);
			log(`  ${vault.cached ? 'copied from .bench/vaults (built' : 'built'} in ${(vault.buildMs / 1000).toFixed(1)} s${vault.cached ? ')' : ''}`);
			vaults.set(size, vault);
		}

		// hush is started as its users start it: dist/cli.js as a program, through its shebang (which
		// carries hush's V8 flags), on this bench's Node 24, first on PATH.
		const baseEnv: NodeJS.ProcessEnv = {...process.env, NO_COLOR: '1', PATH: `${dirname(process.execPath)}${delimiter}${process.env['PATH'] ?? ''}`};
		// Nothing from the caller's NODE_OPTIONS (or a leftover passphrase) may change what is measured.
		delete baseEnv['NODE_OPTIONS'];
		delete baseEnv['HUSH_PASSPHRASE'];
		delete baseEnv['HUSH_DEBUG'];
		const env = (vault?: BenchVault): NodeJS.ProcessEnv => ({
			...baseEnv,
			HUSH_HOME: vault?.home ?? join(workDir, 'no-vault'),
			HUSH_PASSPHRASE: vault?.passphrase ?? benchPassphrase,
		});

		const context: BenchContext = {
			root,
			cli,
			workDir,
			runs,
			vault(size) {
				const vault = vaults.get(size);
				if (!vault) {
					throw new Error(`no vault of ${size} secrets was built: list the size in the group's vaults`);
				}

				return vault;
			},
			env,
			hush(args: readonly string[], vault?: BenchVault): ProcessSpec {
				return {executable: cli, args, env: env(vault), cwd: workDir};
			},
			log,
		};

		const commands: CommandResult[] = [];
		const inProcess: InProcessResult[] = [];
		for (const group of selected) {
			log(`group ${group.name}`);
			const result = await group.run(context);
			commands.push(...(result.commands ?? []));
			inProcess.push(...(result.inProcess ?? []));
		}

		const derived = derive({commands, inProcess});
		const goals = evaluateGoals({commands, inProcess}, derived);
		const packageJson = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {version: string};
		const report: Report = {
			machine: describeMachine(loadAtStart),
			hushVersion: packageJson.version,
			groups: selected.map(group => group.name),
			runs,
			kdf: {algorithm: defaultKdfParams.algorithm, memoryKiB: defaultKdfParams.memory, passes: defaultKdfParams.passes, parallelism: defaultKdfParams.parallelism},
			vaults: [...vaults.values()].map(vault => ({secrets: vault.size, buildMs: vault.buildMs})),
			commands,
			inProcess,
			derived,
			goals,
		};

		const resultsDir = join(root, '.bench');
		mkdirSync(resultsDir, {recursive: true});
		const resultsFile = join(resultsDir, 'results.json');
		writeFileSync(resultsFile, `${JSON.stringify(report, null, 2)}\n`);
		process.stdout.write(`\n${renderMarkdown(report)}\n`);
		log(`results written to ${resultsFile}`);
		return 0;
	} finally {
		process.off('SIGINT', onSignal);
		process.off('SIGTERM', onSignal);
		cleanUp();
	}
}

try {
	process.exitCode = await main(process.argv.slice(2));
} catch (error) {
	if (error instanceof UsageError) {
		process.stderr.write(`bench: ${error.message}\n`);
		process.exitCode = 2;
	} else {
		process.stderr.write(`bench: failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
		process.exitCode = 1;
	}
}
