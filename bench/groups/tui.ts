import {execFileSync, spawnSync} from 'node:child_process';
import {randomUUID} from 'node:crypto';
import {performance} from 'node:perf_hooks';
import {summarize} from '../measure.js';
import type {BenchContext, BenchGroup, InProcessResult} from '../types.js';
import {LockedVault} from '../../source/vault/vault.js';

/**
 * The TUI measured as a person sees it: through a real terminal. Each run starts the built `hush`
 * in a private tmux server and polls `capture-pane` until the expected text is on screen, so the
 * figure includes Node start-up, loading the Ink chunk, unlock and drawing, and tmux's own
 * rendering. Polling costs ~2–4 ms per capture on this machine, so figures carry that granularity;
 * a pseudo-terminal library would be finer but adds a native dependency for the bench alone.
 *
 * The list is progressive (source/tui/load-pages.ts): the first metadata page is drawn before the
 * rest are opened. So at 1,000, 10,000 and 100,000 secrets, unlocked by a session (no argon2id,
 * as `eval "$(hush unlock)"` leaves it), two moments are timed: the first frame with names in the
 * list, and the full list (the title's count with nothing left loading). Each is printed beside
 * `node -e 0` timed alternately in the same run, as the other groups' ratios are.
 */
const size = 10_000;
export const tuiSizes = [1000, 10_000, 100_000] as const;
/** Issue 13's bar at 10,000 secrets, on a quiet machine. */
export const tuiGoals = {firstNamesMs: 300, fullListMs: 600} as const;

class Terminal {
	readonly socket = `hush-bench-${randomUUID()}`;

	constructor(command: string[], env: NodeJS.ProcessEnv) {
		const vars = Object.entries(env).flatMap(([key, value]) => (value === undefined ? [] : ['-e', `${key}=${value}`]));
		this.tmux(['new-session', '-d', '-s', 'main', '-x', '120', '-y', '40', ...vars, ...command]);
	}

	screen(): string {
		return this.tmux(['capture-pane', '-p', '-t', 'main']);
	}

	/** Milliseconds from `start` until the screen satisfies `done`. */
	until(done: (screen: string) => boolean, start: number, timeoutMs = 60_000): number {
		for (;;) {
			const screen = this.screen();
			const now = performance.now();
			if (done(screen)) {
				return now - start;
			}

			if (now - start > timeoutMs) {
				throw new Error(`the TUI did not show what the bench waited for; the screen shows:\n${screen}`);
			}
		}
	}

	send(...keys: string[]): void {
		this.tmux(['send-keys', '-t', 'main', ...keys]);
	}

	close(): void {
		try {
			this.tmux(['kill-server']);
		} catch {
			// Gone already.
		}
	}

	tmux(args: string[]): string {
		return execFileSync('tmux', ['-L', this.socket, '-f', '/dev/null', ...args], {encoding: 'utf8'});
	}
}

/** dist/cli.js as a program, as a person starts it: through its shebang, on the Node 24 first on the bench's PATH. */
function hushCommand(context: BenchContext): string[] {
	return [context.cli];
}

/** A session token for the vault, so a start pays no argon2id. */
function sessionFor(context: BenchContext, size: number): string {
	return execFileSync(process.execPath, [context.cli, 'unlock', '--raw'], {env: context.env(context.vault(size)), encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe']}).trim();
}

/** Until the unlock screen is drawn: start-up, the Ink chunk, opening the file. */
function unlockScreen(context: BenchContext): number {
	const vault = context.vault(size);
	const env = {...context.env(vault), HUSH_PASSPHRASE: undefined, CI: 'false'};
	const start = performance.now();
	const terminal = new Terminal(hushCommand(context), env);
	try {
		return terminal.until(screen => screen.includes('Unlock the vault'), start);
	} finally {
		terminal.close();
	}
}

const fullTitle = (count: number) => `hush · ${count.toLocaleString('en-US')} secrets`;
/** A list row: the cursor's row, drawn as soon as one secret is listed. */
const namedRow = /│› \S/;

/** Until the list of 10,000 is drawn, unlocking with HUSH_PASSPHRASE (argon2id included). */
function listScreen(context: BenchContext): {ms: number; terminal: Terminal} {
	const vault = context.vault(size);
	const start = performance.now();
	const terminal = new Terminal(hushCommand(context), {...context.env(vault), CI: 'false'});
	try {
		return {ms: terminal.until(screen => screen.includes(fullTitle(size)) && !screen.includes('loading'), start), terminal};
	} catch (error) {
		terminal.close();
		throw error;
	}
}

/** From start (unlocked by a session) to the first names, then to the full list; and the terminal, still open. */
function progressiveStart(context: BenchContext, count: number, session: string): {names: number; full: number; terminal: Terminal} {
	const env = {...context.env(context.vault(count)), HUSH_PASSPHRASE: undefined, HUSH_SESSION: session, CI: 'false'};
	const start = performance.now();
	const terminal = new Terminal(hushCommand(context), env);
	try {
		const names = terminal.until(screen => namedRow.test(screen), start);
		const full = terminal.until(screen => screen.includes(fullTitle(count)) && !screen.includes('loading'), start);
		return {names, full, terminal};
	} catch (error) {
		terminal.close();
		throw error;
	}
}

/** `node -e 0` as a spawned process: the floor every start above shares. */
function nodeFloor(): number {
	const start = performance.now();
	spawnSync(process.execPath, ['-e', '0'], {stdio: 'ignore'});
	return performance.now() - start;
}

/** One keystroke into the filter until the list shows its result, and back. */
function keystrokes(terminal: Terminal, runs: number, count = size): number[] {
	const samples: number[] = [];
	const title = fullTitle(count);
	const of = ` of ${count.toLocaleString('en-US')}`;
	terminal.send('/');
	terminal.until(screen => /› \/\s*$/m.test(screen.split('\n')[0]!), performance.now());
	const letters = 'abcdefghijklmnopqrstuvwxyz0123456789';
	for (let run = 0; run < runs + 1; run++) {
		const letter = letters[run % letters.length]!;
		const before = performance.now();
		terminal.send('-l', letter);
		const ms = terminal.until(screen => screen.split('\n')[0]!.includes(`› / ${letter}`) && screen.split('\n')[0]!.includes(of), before);
		if (run > 0) {
			samples.push(ms);
		}

		terminal.send('C-u');
		terminal.until(screen => screen.split('\n')[0]!.includes(title), performance.now());
	}

	return samples;
}

function verdict(ms: number, goal: number): string {
	return ms <= goal ? 'PASS' : 'MISS';
}

/**
 * The page reader alone, in process (no start-up, no unlock, no drawing): the first step (what the
 * first frame waits for) and every step (what the full list waits for), a fresh reader each run.
 */
async function pageReads(context: BenchContext, count: number, runs: number): Promise<{first: number[]; all: number[]}> {
	const bench = context.vault(count);
	const vault = await LockedVault.open({home: bench.home}).unlockWithPassphrase(bench.passphrase, {command: 'bench'});
	const first: number[] = [];
	const all: number[] = [];
	try {
		for (let run = 0; run <= runs; run++) {
			const start = performance.now();
			const reader = vault.readSecretsByPage();
			let step = reader.next();
			const firstMs = performance.now() - start;
			while (!step.done) {
				step = reader.next();
			}

			if (step.loaded !== count) {
				throw new Error(`the page reader listed ${step.loaded} secrets, expected ${count}`);
			}

			if (run > 0) {
				first.push(firstMs);
				all.push(performance.now() - start);
			}
		}
	} finally {
		vault.close();
	}

	return {first, all};
}

export const tuiGroup: BenchGroup = {
	name: 'tui',
	description: 'the TUI in a real terminal (tmux): first frame, first names and full list at 1,000 / 10,000 / 100,000, one filter keystroke',
	vaults: tuiSizes,
	async run(context) {
		const runs = Math.min(context.runs.slow, 10);
		context.log(`TUI at ${size.toLocaleString('en-US')} secrets in tmux: ${runs} cold starts to the unlock screen, ${runs} to the list, ${runs * 2} filter keystrokes`);
		unlockScreen(context);
		const firstFrame: number[] = [];
		const list: number[] = [];
		const keys: number[] = [];
		for (let run = 0; run < runs; run++) {
			firstFrame.push(unlockScreen(context));
			const {ms, terminal} = listScreen(context);
			list.push(ms);
			try {
				if (run < 2) {
					keys.push(...keystrokes(terminal, runs));
				}
			} finally {
				terminal.close();
			}
		}

		const results: InProcessResult[] = [
			{id: 'tui-first-frame@10000', group: 'tui', label: 'TUI first frame (unlock screen), 10,000 secrets; goal ≤ 1 s', timing: summarize(firstFrame)},
			{id: 'tui-list@10000', group: 'tui', label: 'TUI start to full list (argon2id unlock + 10,000 listed)', timing: summarize(list)},
			{id: 'tui-keystroke@10000', group: 'tui', label: 'TUI one filter keystroke rendered, 10,000 secrets; goal ≤ 50 ms', timing: summarize(keys)},
		];
		for (const result of results) {
			context.log(`${result.label}: median ${result.timing.median.toFixed(1)} ms, p90 ${result.timing.p90.toFixed(1)} ms`);
		}

		for (const count of tuiSizes) {
			const session = sessionFor(context, count);
			const starts = count >= 100_000 ? Math.min(runs, 3) : runs;
			const label = count.toLocaleString('en-US');
			context.log(`TUI via HUSH_SESSION at ${label} secrets: ${starts} cold starts to the first names and the full list, each beside node -e 0`);
			const names: number[] = [];
			const full: number[] = [];
			const floor: number[] = [];
			const bigKeys: number[] = [];
			progressiveStart(context, count, session).terminal.close();
			for (let run = 0; run < starts; run++) {
				floor.push(nodeFloor());
				const started = progressiveStart(context, count, session);
				try {
					names.push(started.names);
					full.push(started.full);
					if (count >= 100_000 && run === 0) {
						bigKeys.push(...keystrokes(started.terminal, 10, count));
					}
				} finally {
					started.terminal.close();
				}
			}

			const node = summarize(floor).median;
			const goalAt10k = count === 10_000;
			const figures: InProcessResult[] = [
				{
					id: `tui-first-names@${count}`,
					group: 'tui',
					label: `TUI start to first names, HUSH_SESSION, ${label} secrets${goalAt10k ? `; goal ≤ ${tuiGoals.firstNamesMs} ms quiet` : ''}`,
					timing: summarize(names),
				},
				{
					id: `tui-full-list@${count}`,
					group: 'tui',
					label: `TUI start to full list, HUSH_SESSION, ${label} secrets${goalAt10k ? `; goal ≤ ${tuiGoals.fullListMs} ms quiet` : ''}`,
					timing: summarize(full),
				},
				...(bigKeys.length > 0 ? [{id: `tui-keystroke@${count}`, group: 'tui', label: `TUI one filter keystroke rendered, ${label} secrets`, timing: summarize(bigKeys)}] : []),
			];
			for (const figure of figures) {
				const goal = figure.id === 'tui-first-names@10000' ? tuiGoals.firstNamesMs : figure.id === 'tui-full-list@10000' ? tuiGoals.fullListMs : undefined;
				const ratio = figure.id.startsWith('tui-keystroke') ? '' : `, ${(figure.timing.median / node).toFixed(1)}× node -e 0 (${node.toFixed(0)} ms)`;
				context.log(`${figure.label}: median ${figure.timing.median.toFixed(1)} ms, p90 ${figure.timing.p90.toFixed(1)} ms${ratio}${goal === undefined ? '' : ` · ${verdict(figure.timing.median, goal)}`}`);
			}

			results.push(...figures);
			const reads = await pageReads(context, count, count >= 100_000 ? 3 : runs);
			for (const [id, what, samples] of [
				[`pages-first@${count}`, 'first page read (names for the first frame)', reads.first],
				[`pages-all@${count}`, 'every page read (the full list)', reads.all],
			] as const) {
				const timing = summarize(samples);
				const text = `TUI page reader in process, ${label} secrets: ${what}`;
				results.push({id, group: 'tui', label: text, timing});
				context.log(`${text}: median ${timing.median.toFixed(1)} ms, p90 ${timing.p90.toFixed(1)} ms`);
			}
		}

		return {inProcess: results};
	},
};
