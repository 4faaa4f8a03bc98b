import {execFileSync} from 'node:child_process';
import {randomUUID} from 'node:crypto';

/** The environment a TUI test's shell starts with: hush's home and passphrase, a plain prompt, colours off unless `extra` says otherwise. */
export function shellEnv(home: string, passphrase: string, extra: Record<string, string> = {}): Record<string, string> {
	return {
		HUSH_HOME: home,
		HUSH_PASSPHRASE: passphrase,
		HOME: process.env['HOME'] ?? '/root',
		PATH: process.env['PATH'] ?? '/usr/bin:/bin',
		CI: 'false',
		PS1: '$ ',
		TERM: 'xterm-256color',
		...extra,
	};
}

/**
 * A shell in a real terminal (a private tmux server), for driving the full-screen TUI: keys with
 * send-keys, the screen with capture-pane (with colours when asked), and the terminal's own
 * state (alternate screen on? cursor visible?) from tmux's format variables. Every wait polls.
 */
export class ShellTerminal {
	readonly #socket = `hush-tui-${randomUUID()}`;

	private constructor() {}

	/** Starts `sh` (dash: no line editor that would hide a terminal left in raw mode). */
	static start(options: {env: Record<string, string>; width?: number; height?: number}): ShellTerminal {
		const terminal = new ShellTerminal();
		const env = Object.entries(options.env).flatMap(([key, value]) => ['-e', `${key}=${value}`]);
		terminal.tmux(['new-session', '-d', '-s', 'main', '-x', String(options.width ?? 80), '-y', String(options.height ?? 24), ...env, 'sh']);
		return terminal;
	}

	screen(options: {colours?: boolean} = {}): string {
		return this.tmux(['capture-pane', '-p', ...(options.colours ? ['-e'] : []), '-t', 'main']);
	}

	type(text: string): void {
		this.tmux(['send-keys', '-t', 'main', '-l', text]);
	}

	press(...keys: string[]): void {
		this.tmux(['send-keys', '-t', 'main', ...keys]);
	}

	/** A tmux format for the pane, e.g. '#{alternate_on}'. */
	display(format: string): string {
		return this.tmux(['display-message', '-p', '-t', 'main', format]).trim();
	}

	async waitFor(expected: string | RegExp | ((screen: string) => boolean), timeoutMs = 30_000): Promise<string> {
		const deadline = Date.now() + timeoutMs;
		let screen = '';
		while (Date.now() < deadline) {
			screen = this.screen();
			if (typeof expected === 'string' ? screen.includes(expected) : expected instanceof RegExp ? expected.test(screen) : expected(screen)) {
				return screen;
			}

			await new Promise(resolve => setTimeout(resolve, 25));
		}

		throw new Error(`timed out waiting for ${String(expected)}; the screen shows:\n${screen}`);
	}

	/** Runs a shell command line and waits for the line it prints last. */
	async run(commandLine: string, marker: string): Promise<string> {
		this.type(commandLine);
		this.press('Enter');
		return this.waitFor(screen => screen.split('\n').some(line => line.trim() === marker));
	}

	close(): void {
		try {
			this.tmux(['kill-server']);
		} catch {
			// Already gone.
		}
	}

	tmux(args: string[]): string {
		return execFileSync('tmux', ['-L', this.#socket, '-f', '/dev/null', ...args], {encoding: 'utf8'});
	}
}
