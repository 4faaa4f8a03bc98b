import type {PairedMeasurement, ProcessSpec, Stats} from './measure.js';
import type {BenchVault} from './vaults.js';

/** What every benchmark group gets: where things are, how many runs, the prepared vaults. */
export type BenchContext = {
	/** The project root; `dist/cli.js` lives under it. */
	root: string;
	/** Absolute path of the built CLI. */
	cli: string;
	/** A private temporary folder, removed at the end. */
	workDir: string;
	runs: {
		/** Timed runs for quick commands (default 15, or BENCH_RUNS). */
		fast: number;
		/** Timed runs for slow ones, such as list at 10,000 (default 7, or BENCH_RUNS). */
		slow: number;
		/** Extra runs with the peak-memory probe (default 3, or BENCH_RSS_RUNS). */
		rss: number;
	};
	/** A vault the group declared in {@link BenchGroup.vaults}, built before any group ran. */
	vault(size: number): BenchVault;
	/** Environment for a hush child process: HUSH_HOME, HUSH_PASSPHRASE, NO_COLOR, no NODE_OPTIONS. */
	env(vault?: BenchVault): NodeJS.ProcessEnv;
	/** `node dist/cli.js ...args` with that environment. */
	hush(args: readonly string[], vault?: BenchVault): ProcessSpec;
	/** Progress, on stderr. */
	log(message: string): void;
};

/** One row of the main table: a command timed against `node -e 0`. */
export type CommandResult = PairedMeasurement & {
	/** Stable id, e.g. `get@10000`, used by goals and in the JSON. */
	id: string;
	group: string;
	/** As a user would type it, e.g. `hush get NAME KEY`. */
	command: string;
	/** Secrets in the vault, or null when the command does not open one. */
	secrets: number | null;
};

/** Something timed inside the bench process, such as one key derivation. */
export type InProcessResult = {
	id: string;
	group: string;
	label: string;
	timing: Stats;
	/** `node -e 0`, when the group timed it alternately with this measure: the report prints the ratio. */
	baseline?: Stats;
};

export type GroupResult = {
	commands?: CommandResult[];
	inProcess?: InProcessResult[];
};

export type BenchGroup = {
	name: string;
	description: string;
	/** Vault sizes this group needs; built (once, shared) before measuring starts. */
	vaults?: readonly number[];
	run(context: BenchContext): Promise<GroupResult>;
};
