import {spawn} from 'node:child_process';
import {readFileSync, rmSync} from 'node:fs';
import {join} from 'node:path';
import {performance} from 'node:perf_hooks';
import {fileURLToPath, pathToFileURL} from 'node:url';

/** Summary of a set of samples (milliseconds, or MiB for memory). */
export type Stats = {
	runs: number;
	median: number;
	/** Nearest-rank 90th percentile: with 7 runs it is the slowest, with 15 the 14th. */
	p90: number;
	min: number;
	max: number;
	mean: number;
	samples: number[];
};

export function summarize(samples: readonly number[]): Stats {
	if (samples.length === 0) {
		throw new Error('no samples to summarize');
	}

	const sorted = [...samples].sort((a, b) => a - b);
	const at = (index: number): number => sorted[Math.min(sorted.length - 1, Math.max(0, index))]!;
	const middle = Math.floor(sorted.length / 2);
	const median = sorted.length % 2 === 1 ? at(middle) : (at(middle - 1) + at(middle)) / 2;
	return {
		runs: sorted.length,
		median,
		p90: at(Math.ceil(0.9 * sorted.length) - 1),
		min: at(0),
		max: at(sorted.length - 1),
		mean: sorted.reduce((sum, value) => sum + value, 0) / sorted.length,
		samples: [...samples],
	};
}

/** One Node process to start: `process.execPath ...args` (so the bench's own Node 24 runs it). */
export type ProcessSpec = {
	/** The program to start: this bench's own Node when absent (a peer tool such as `pass` otherwise). */
	executable?: string;
	args: readonly string[];
	env: NodeJS.ProcessEnv;
	cwd: string;
};

export type RunOutcome = {
	ms: number;
	stdoutBytes: number;
	/** Only when asked for with `capture`. */
	stdout: string;
	stderr: string;
};

/**
 * Starts the process, drains its output and resolves when it has exited and its pipes are closed.
 * Wall time runs from just before spawn to the 'close' event: what a calling script waits for.
 * A non-zero exit or a signal rejects: a benchmark of a failing command measures nothing.
 */
export function runOnce(spec: ProcessSpec, options: {capture?: boolean} = {}): Promise<RunOutcome> {
	return new Promise((resolve, reject) => {
		const stdoutChunks: Buffer[] = [];
		const stderrChunks: Buffer[] = [];
		let stdoutBytes = 0;
		const started = performance.now();
		const child = spawn(spec.executable ?? process.execPath, spec.args, {cwd: spec.cwd, env: spec.env, stdio: ['ignore', 'pipe', 'pipe']});
		child.stdout.on('data', (chunk: Buffer) => {
			stdoutBytes += chunk.length;
			if (options.capture) {
				stdoutChunks.push(chunk);
			}
		});
		child.stderr.on('data', (chunk: Buffer) => {
			stderrChunks.push(chunk);
		});
		child.on('error', reject);
		child.on('close', (code, signal) => {
			const ms = performance.now() - started;
			const stderr = Buffer.concat(stderrChunks).toString('utf8');
			if (code !== 0) {
				const how = signal ? `was killed by ${signal}` : `exited with ${String(code)}`;
				reject(new Error(`\`${spec.executable ?? 'node'} ${spec.args.join(' ')}\` ${how}${stderr ? `: ${stderr.trim()}` : ''}`));
				return;
			}

			resolve({ms, stdoutBytes, stdout: Buffer.concat(stdoutChunks).toString('utf8'), stderr});
		});
	});
}

const probeUrl = pathToFileURL(fileURLToPath(new URL('peak-rss.mjs', import.meta.url))).href;
let probeCounter = 0;

/**
 * Peak resident memory of one run, in MiB, as the process itself reports it at exit through the
 * bench/peak-rss.mjs probe (VmHWM on Linux, maxRSS elsewhere: see the probe for why). Separate
 * from timed runs, so the probe never skews a time.
 */
export async function peakRssMiB(spec: ProcessSpec, scratchDir: string): Promise<number> {
	const file = join(scratchDir, `peak-rss-${process.pid}-${probeCounter++}.txt`);
	try {
		await runOnce({...spec, env: {...spec.env, NODE_OPTIONS: `--import=${probeUrl}`, BENCH_PEAK_RSS_FILE: file}});
		const [figure] = readFileSync(file, 'utf8').trim().split(' ');
		const kib = Number(figure);
		if (!Number.isFinite(kib) || kib <= 0) {
			throw new Error(`the peak-memory probe wrote no figure for \`node ${spec.args.join(' ')}\``);
		}

		return kib / 1024;
	} finally {
		rmSync(file, {force: true});
	}
}

export type PairedMeasurement = {
	timing: Stats;
	/** `node -e 0`, run interleaved with the command: same runner, same env, same number of runs. */
	baseline: Stats;
	/** median / baseline median. */
	ratio: number;
	peakMiB: Stats;
	baselinePeakMiB: Stats;
	peakRatio: number;
};

export type PairedOptions = {
	runs: number;
	rssRuns: number;
	scratchDir: string;
	/** Checks the warm-up run's output, so a benchmark never times an error or an empty answer. */
	validate?: (stdout: string) => void;
	/**
	 * In-process work timed once in every iteration, right beside the command (e.g. one KDF
	 * derivation), so a figure subtracted from the command's time saw the same machine noise.
	 */
	alongside?: () => Promise<unknown>;
};

/** The bare start-up cost every figure is compared to. */
export function baselineOf(spec: ProcessSpec): ProcessSpec {
	return {...spec, executable: undefined, args: ['-e', '0']};
}

/**
 * Times a command against `node -e 0`. One warm-up of each, then `runs` pairs whose order alternates
 * (command first, then baseline first), so drift on a noisy machine hits both sides alike. Peak
 * memory comes from `rssRuns` further pairs with the probe loaded.
 */
export async function measureAgainstBaseline(spec: ProcessSpec, options: PairedOptions): Promise<PairedMeasurement & {alongside?: Stats}> {
	const baseline = baselineOf(spec);
	const {alongside} = options;
	const warm = await runOnce(spec, {capture: options.validate !== undefined});
	options.validate?.(warm.stdout);
	await runOnce(baseline);
	await alongside?.();

	const times: number[] = [];
	const baselineTimes: number[] = [];
	const alongsideTimes: number[] = [];
	for (let index = 0; index < options.runs; index++) {
		if (index % 2 === 0) {
			times.push((await runOnce(spec)).ms);
			baselineTimes.push((await runOnce(baseline)).ms);
		} else {
			baselineTimes.push((await runOnce(baseline)).ms);
			times.push((await runOnce(spec)).ms);
		}

		if (alongside) {
			const started = performance.now();
			await alongside();
			alongsideTimes.push(performance.now() - started);
		}
	}

	const peaks: number[] = [];
	const baselinePeaks: number[] = [];
	for (let index = 0; index < options.rssRuns; index++) {
		peaks.push(await peakRssMiB(spec, options.scratchDir));
		baselinePeaks.push(await peakRssMiB(baseline, options.scratchDir));
	}

	const timing = summarize(times);
	const baselineTiming = summarize(baselineTimes);
	// Peak memory is read by a probe Node loads; a peer tool that is not Node is timed only.
	const peakMiB = peaks.length > 0 ? summarize(peaks) : notMeasured;
	const baselinePeakMiB = baselinePeaks.length > 0 ? summarize(baselinePeaks) : notMeasured;
	return {
		timing,
		baseline: baselineTiming,
		ratio: timing.median / baselineTiming.median,
		peakMiB,
		baselinePeakMiB,
		peakRatio: peakMiB.median / baselinePeakMiB.median,
		...(alongside ? {alongside: summarize(alongsideTimes)} : {}),
	};
}

const notMeasured: Stats = {runs: 0, median: Number.NaN, p90: Number.NaN, min: Number.NaN, max: Number.NaN, mean: Number.NaN, samples: []};

/** Times an in-process async operation: one warm-up, then `runs` sequential runs. */
export async function measureInProcess(runs: number, work: () => Promise<unknown>): Promise<Stats> {
	await work();
	const times: number[] = [];
	for (let index = 0; index < runs; index++) {
		const started = performance.now();
		await work();
		times.push(performance.now() - started);
	}

	return summarize(times);
}
