import {execFileSync} from 'node:child_process';
import {randomUUID} from 'node:crypto';
import {performance} from 'node:perf_hooks';
import {summarize} from '../measure.js';
import type {BenchContext, BenchGroup, InProcessResult} from '../types.js';

/**
 * The TUI measured as a person sees it: through a real terminal. Each run starts the built `hush`
 * in a private tmux server and polls `capture-pane` until the expected text is on screen, so the
 * figure includes Node start-up, loading the Ink chunk, unlock and drawing, and tmux's own
 * rendering. Polling costs ~2–4 ms per capture on this machine, so figures carry that granularity;
 * a pseudo-terminal library would be finer but adds a native dependency for the bench alone.
 */
const size = 10_000;

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

function hushCommand(context: BenchContext): string[] {
	return [process.execPath, context.cli];
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

/** Until the list of 10,000 is drawn, unlocking with HUSH_PASSPHRASE (argon2id included). */
function listScreen(context: BenchContext): {ms: number; terminal: Terminal} {
	const vault = context.vault(size);
	const start = performance.now();
	const terminal = new Terminal(hushCommand(context), {...context.env(vault), CI: 'false'});
	try {
		return {ms: terminal.until(screen => screen.includes(`hush · ${size.toLocaleString('en-US')} secrets`), start), terminal};
	} catch (error) {
		terminal.close();
		throw error;
	}
}

/** One keystroke into the filter until the list shows its result, and back. */
function keystrokes(terminal: Terminal, runs: number): number[] {
	const samples: number[] = [];
	terminal.send('/');
	terminal.until(screen => /› \/\s*$/m.test(screen.split('\n')[0]!), performance.now());
	const letters = 'abcdefghijklmnopqrstuvwxyz0123456789';
	for (let run = 0; run < runs + 1; run++) {
		const letter = letters[run % letters.length]!;
		const before = performance.now();
		terminal.send('-l', letter);
		const ms = terminal.until(screen => screen.split('\n')[0]!.includes(`› / ${letter}`) && / of 10,000/.test(screen.split('\n')[0]!), before);
		if (run > 0) {
			samples.push(ms);
		}

		terminal.send('C-u');
		terminal.until(screen => screen.split('\n')[0]!.includes(`hush · ${size.toLocaleString('en-US')} secrets`), performance.now());
	}

	return samples;
}

export const tuiGroup: BenchGroup = {
	name: 'tui',
	description: 'the TUI in a real terminal (tmux): first frame, list of 10,000 drawn, one filter keystroke',
	vaults: [size],
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
			{id: 'tui-list@10000', group: 'tui', label: 'TUI start to list drawn (argon2id unlock + 10,000 decrypted)', timing: summarize(list)},
			{id: 'tui-keystroke@10000', group: 'tui', label: 'TUI one filter keystroke rendered, 10,000 secrets; goal ≤ 50 ms', timing: summarize(keys)},
		];
		for (const result of results) {
			context.log(`${result.label}: median ${result.timing.median.toFixed(1)} ms, p90 ${result.timing.p90.toFixed(1)} ms`);
		}

		return {inProcess: results};
	},
};
