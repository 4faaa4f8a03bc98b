import {arch, availableParallelism, cpus, loadavg, platform, release, totalmem} from 'node:os';
import type {DerivedResult, GoalResult} from './goals.js';
import type {CommandResult, InProcessResult} from './types.js';

export type Machine = {
	date: string;
	node: string;
	platform: string;
	osRelease: string;
	arch: string;
	cpus: number;
	cpuModel: string;
	memoryGiB: number;
	/** One-minute load average when the bench started and when it ended: a busy machine shows here. */
	load: {start: number; end: number};
};

export type Report = {
	machine: Machine;
	hushVersion: string;
	groups: string[];
	runs: {fast: number; slow: number; rss: number};
	kdf: {algorithm: string; memoryKiB: number; passes: number; parallelism: number};
	vaults: Array<{secrets: number; buildMs: number}>;
	commands: CommandResult[];
	inProcess: InProcessResult[];
	derived: DerivedResult[];
	goals: GoalResult[];
};

export function oneMinuteLoad(): number {
	return Math.round((loadavg()[0] ?? 0) * 100) / 100;
}

export function describeMachine(loadAtStart: number): Machine {
	return {
		date: new Date().toISOString(),
		node: process.version,
		platform: platform(),
		osRelease: release(),
		arch: arch(),
		cpus: availableParallelism(),
		cpuModel: cpus()[0]?.model.trim() ?? 'unknown',
		memoryGiB: Math.round((totalmem() / 1024 ** 3) * 10) / 10,
		load: {start: loadAtStart, end: oneMinuteLoad()},
	};
}

const ms = (value: number): string => value.toFixed(1);
const mib = (value: number): string => (Number.isNaN(value) ? '—' : value.toFixed(1));
const times = (value: number): string => (Number.isNaN(value) ? '—' : `${value.toFixed(2)}×`);
const count = (value: number): string => value.toLocaleString('en-US');

function table(header: readonly string[], align: readonly ('l' | 'r')[], rows: ReadonlyArray<readonly string[]>): string {
	const lines = [`| ${header.join(' | ')} |`, `|${align.map(side => (side === 'r' ? ' --: ' : ' :-- ')).join('|')}|`];
	for (const row of rows) {
		lines.push(`| ${row.join(' | ')} |`);
	}

	return lines.join('\n');
}

/** The whole report as Markdown, ready to paste into the readme. */
export function renderMarkdown(report: Report): string {
	const {machine} = report;
	const out: string[] = [];
	out.push('## hush benchmarks', '');
	out.push(
		`${machine.date.slice(0, 16).replace('T', ' ')} UTC · Node ${machine.node} · ${machine.platform} ${machine.arch} (${machine.osRelease}) · ` +
			`${machine.cpus} CPUs (${machine.cpuModel}) · ${machine.memoryGiB} GiB RAM · ` +
			`load ${machine.load.start.toFixed(2)} → ${machine.load.end.toFixed(2)} · hush ${report.hushVersion}`,
		'',
	);
	if (report.vaults.length > 0) {
		const {kdf} = report;
		out.push(
			`Vaults built by the bench through the SDK with the default KDF (argon2id ${kdf.memoryKiB / 1024} MiB, t=${kdf.passes}, p=${kdf.parallelism}), ` +
				`2–3 keys per secret, mixed types, about a third private: ${report.vaults.map(vault => `${count(vault.secrets)} secrets in ${(vault.buildMs / 1000).toFixed(1)} s`).join(', ')}.`,
			'',
		);
	}

	if (report.commands.length > 0) {
		out.push(
			'Each command runs as `dist/cli.js …` in a fresh process, started as a program as its users start it (through its shebang, on Node 24 first on PATH; HUSH_HOME and HUSH_PASSPHRASE set, output piped and drained), ' +
				'timed from spawn to exit after one warm-up. Every row is paired with `node -e 0` started by the same runner with the same ' +
				'environment and the same number of runs, interleaved. Peak memory is the process’s own peak RSS ' +
				`(${machine.platform === 'linux' ? 'VmHWM' : 'maxRSS'}), median of separate runs with a probe loaded.`,
			'',
		);
		out.push(
			table(
				['Command', 'Secrets', 'Runs', 'Median ms', 'p90 ms', 'Min–max ms', 'node -e 0 ms', '× node -e 0', 'Peak MiB', 'node -e 0 MiB', '× node -e 0'],
				['l', 'r', 'r', 'r', 'r', 'r', 'r', 'r', 'r', 'r', 'r'],
				report.commands.map(row => [
					`\`${row.command}\``,
					row.secrets === null ? '—' : count(row.secrets),
					String(row.timing.runs),
					ms(row.timing.median),
					ms(row.timing.p90),
					`${ms(row.timing.min)}–${ms(row.timing.max)}`,
					ms(row.baseline.median),
					times(row.ratio),
					mib(row.peakMiB.median),
					mib(row.baselinePeakMiB.median),
					times(row.peakRatio),
				]),
			),
			'',
		);
	}

	if (report.inProcess.length > 0 || report.derived.length > 0) {
		out.push('### Timed by the bench itself: the KDF, the TUI, sync, import, teams', '');
		out.push(
			table(
				['Measure', 'Runs', 'Median ms', 'p90 ms', 'node -e 0 ms', '× node -e 0'],
				['l', 'r', 'r', 'r', 'r', 'r'],
				[
					...report.inProcess.map(row => [row.label, String(row.timing.runs), ms(row.timing.median), ms(row.timing.p90), row.baseline ? ms(row.baseline.median) : '—', row.baseline ? times(row.timing.median / row.baseline.median) : '—']),
					...report.derived.map(row => [row.label, '—', ms(row.ms), '—', ms(row.baselineMs), times(row.ratio)]),
				],
			),
			'',
		);
		if (report.derived.length > 0) {
			out.push(
				'“Minus KDF” is the `hush get` median less the median of the in-process derivations timed beside those same runs ' +
					'(one per iteration), so both saw the same machine noise.',
				'',
			);
		}
	}

	if (report.goals.length > 0) {
		out.push('### Goals', '');
		for (const goal of report.goals) {
			out.push(`- **${goal.status}** ${goal.description}: ${goal.measured}`);
		}

		out.push('');
	}

	return out.join('\n');
}
