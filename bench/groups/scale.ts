import {execFileSync} from 'node:child_process';
import {mkdtempSync} from 'node:fs';
import {join} from 'node:path';
import {makePassStore, passInstalled} from '../pass-store.js';
import {measureAgainstBaseline} from '../measure.js';
import type {BenchContext, BenchGroup, CommandResult} from '../types.js';
import type {BenchVault} from '../vaults.js';
import {printsTargetValue} from '../vaults.js';

/** Issue 13's sizes and bar: ratios to `node -e 0`, measured alternately in the same run. */
export const scaleSizes = [1000, 10_000, 100_000] as const;
export const scaleGoals = {listRatioAt10k: 6, getRatio: 2, listPeakMiB: 150} as const;

/** A session token for `vault` (as `eval "$(hush unlock)"` would set), so no run pays argon2id. */
function sessionFor(context: BenchContext, vault: BenchVault): string {
	return execFileSync(process.execPath, [context.cli, 'unlock', '--raw'], {env: context.env(vault), encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe']}).trim();
}

/**
 * `hush list --json` and `hush get NAME KEY` unlocked by HUSH_SESSION on vaults of 1,000, 10,000
 * and 100,000 secrets, each paired with `node -e 0`: how listing (sealed metadata pages) and a
 * single read (lookup, the rollback check, one decryption) grow with the vault. Beside them, the
 * same two operations of `pass` (gpg) on 1,000 entries when `pass` is installed.
 */
export const scaleGroup: BenchGroup = {
	name: 'scale',
	description: 'hush list --json and hush get via HUSH_SESSION at 1,000 / 10,000 / 100,000 secrets (and pass at 1,000 when installed)',
	vaults: scaleSizes,
	async run(context) {
		const commands: CommandResult[] = [];
		for (const size of scaleSizes) {
			const vault = context.vault(size);
			const env: NodeJS.ProcessEnv = {...context.env(vault), HUSH_SESSION: sessionFor(context, vault)};
			delete env['HUSH_PASSPHRASE'];
			const count = size.toLocaleString('en-US');
			const list = {executable: context.cli, args: ['list', '--json'], env, cwd: context.workDir};
			context.log(`hush list --json via HUSH_SESSION (${count} secrets): ${context.runs.slow} timed runs beside node -e 0`);
			const listed = await measureAgainstBaseline(list, {
				runs: context.runs.slow,
				rssRuns: context.runs.rss,
				scratchDir: context.workDir,
				validate(stdout) {
					const parsed: unknown = JSON.parse(stdout);
					if (!Array.isArray(parsed) || parsed.length !== size) {
						throw new Error(`hush list --json printed ${Array.isArray(parsed) ? parsed.length : 'no'} secrets, expected ${size}`);
					}
				},
			});
			commands.push({id: `list-session@${size}`, group: 'scale', command: 'hush list --json, HUSH_SESSION', secrets: size, ...listed});

			const get = {executable: context.cli, args: ['get', vault.target.name, vault.target.key], env, cwd: context.workDir};
			context.log(`hush get via HUSH_SESSION (${count} secrets): ${context.runs.fast} timed runs beside node -e 0`);
			const got = await measureAgainstBaseline(get, {
				runs: context.runs.fast,
				rssRuns: context.runs.rss,
				scratchDir: context.workDir,
				validate: printsTargetValue(vault),
			});
			commands.push({id: `get-session@${size}`, group: 'scale', command: 'hush get NAME KEY, HUSH_SESSION', secrets: size, ...got});
		}

		if (passInstalled()) {
			commands.push(...(await passPeer(context)));
		} else {
			context.log('pass is not installed here: the pass (gpg) comparison at 1,000 entries is skipped');
		}

		return {commands};
	},
};

/**
 * The peer: `pass show` (one gpg decryption, like `hush get`) and `pass ls` (names, which pass keeps
 * in clear file names, where `hush list` opens sealed metadata) on 1,000 entries, beside `node -e 0`
 * in the same run. Time only: the peak-memory probe works on Node processes.
 */
async function passPeer(context: BenchContext): Promise<CommandResult[]> {
	const size = 1000;
	const store = makePassStore(mkdtempSync(join(context.workDir, 'pass-')), size, context.env(context.vault(size)));
	try {
		const show = {executable: 'pass', args: ['show', store.entry], env: store.env, cwd: context.workDir};
		context.log(`pass show NAME (1,000 entries): ${context.runs.fast} timed runs beside node -e 0`);
		const shown = await measureAgainstBaseline(show, {
			runs: context.runs.fast,
			rssRuns: 0,
			scratchDir: context.workDir,
			validate(stdout) {
				if (stdout !== store.value) {
					throw new Error('pass show printed something else than the entry it was given');
				}
			},
		});
		const list = {executable: 'pass', args: ['ls'], env: store.env, cwd: context.workDir};
		context.log(`pass ls (1,000 entries): ${context.runs.slow} timed runs beside node -e 0`);
		const listed = await measureAgainstBaseline(list, {
			runs: context.runs.slow,
			rssRuns: 0,
			scratchDir: context.workDir,
			validate(stdout) {
				if ((stdout.match(/secret-\d{6}/g) ?? []).length !== size) {
					throw new Error(`pass ls did not list the ${size} entries`);
				}
			},
		});
		return [
			{id: `pass-show@${size}`, group: 'scale', command: 'pass show NAME (gpg, passphrase-less key)', secrets: size, ...shown},
			{id: `pass-ls@${size}`, group: 'scale', command: 'pass ls (names are clear file names)', secrets: size, ...listed},
		];
	} finally {
		store.close();
	}
}

/** PASS/MISS for issue 13's bar; evaluated by bench/goals.ts. */
export function scaleGoalResults(commands: readonly CommandResult[]): Array<{id: string; description: string; status: 'PASS' | 'MISS' | 'SKIP'; measured: string}> {
	const find = (id: string) => commands.find(command => command.id === id);
	const results: Array<{id: string; description: string; status: 'PASS' | 'MISS' | 'SKIP'; measured: string}> = [];
	const list10k = find('list-session@10000');
	results.push({
		id: 'list-session@10000',
		description: `hush list --json via HUSH_SESSION within ${scaleGoals.listRatioAt10k}× node -e 0 (10,000 secrets)`,
		...(list10k
			? {status: list10k.ratio <= scaleGoals.listRatioAt10k ? 'PASS' : 'MISS', measured: `${list10k.ratio.toFixed(2)}× (${list10k.timing.median.toFixed(0)} ms vs ${list10k.baseline.median.toFixed(0)} ms)`}
			: {status: 'SKIP', measured: 'needs group scale'}),
	});
	const [small, large] = [find('list-session@10000'), find('list-session@100000')];
	results.push({
		id: 'list-linear',
		description: 'hush list --json grows no faster than linearly (10,000 → 100,000: time above node -e 0 at most 10×)',
		...(small && large
			? (() => {
					const growth = (large.timing.median - large.baseline.median) / (small.timing.median - small.baseline.median);
					return {status: growth <= 10 ? 'PASS' : 'MISS', measured: `${growth.toFixed(1)}× for 10× the secrets`} as const;
				})()
			: {status: 'SKIP', measured: 'needs group scale'}),
	});
	for (const size of scaleSizes) {
		const get = find(`get-session@${size}`);
		results.push({
			id: `get-session-ratio@${size}`,
			description: `hush get via HUSH_SESSION within ${scaleGoals.getRatio}× node -e 0 (${size.toLocaleString('en-US')} secrets)`,
			...(get
				? {status: get.ratio <= scaleGoals.getRatio ? 'PASS' : 'MISS', measured: `${get.ratio.toFixed(2)}× (${get.timing.median.toFixed(0)} ms vs ${get.baseline.median.toFixed(0)} ms)`}
				: {status: 'SKIP', measured: 'needs group scale'}),
		});
	}

	const peak = find('list-session@100000');
	results.push({
		id: 'list-peak',
		description: `peak memory of hush list --json under ${scaleGoals.listPeakMiB} MiB (measured at 100,000 secrets, twice the goal's 50,000)`,
		...(peak ? {status: peak.peakMiB.median < scaleGoals.listPeakMiB ? 'PASS' : 'MISS', measured: `${peak.peakMiB.median.toFixed(0)} MiB`} : {status: 'SKIP', measured: 'needs group scale'}),
	});
	return results;
}
