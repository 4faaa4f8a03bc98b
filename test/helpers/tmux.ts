import {execFileSync} from 'node:child_process';
import {randomUUID} from 'node:crypto';

/**
 * Drives a program in a real terminal: a private tmux server per session, keys sent with
 * send-keys, the screen read with capture-pane. Every wait polls the screen for a condition;
 * nothing waits a fixed time.
 */
export class TerminalSession {
	readonly #socket = `hush-test-${randomUUID()}`;

	private constructor() {}

	static start(command: string, options: {env?: Record<string, string>; width?: number; height?: number} = {}): TerminalSession {
		assertTmux();
		const session = new TerminalSession();
		const env = Object.entries(options.env ?? {}).flatMap(([key, value]) => ['-e', `${key}=${value}`]);
		session.#tmux(['new-session', '-d', '-s', 'main', '-x', String(options.width ?? 100), '-y', String(options.height ?? 30), ...env, command]);
		return session;
	}

	/** The visible screen as text. */
	screen(): string {
		return this.#tmux(['capture-pane', '-p', '-t', 'main']);
	}

	/** Types text literally (no key names interpreted). */
	type(text: string): void {
		this.#tmux(['send-keys', '-t', 'main', '-l', text]);
	}

	/** Sends named keys: Enter, Escape, C-c, Up… */
	press(...keys: string[]): void {
		this.#tmux(['send-keys', '-t', 'main', ...keys]);
	}

	async waitFor(expected: string | RegExp, timeoutMs = 20_000): Promise<string> {
		const deadline = Date.now() + timeoutMs;
		let screen = '';
		while (Date.now() < deadline) {
			screen = this.screen();
			if (typeof expected === 'string' ? screen.includes(expected) : expected.test(screen)) {
				return screen;
			}

			await new Promise(resolve => setTimeout(resolve, 25));
		}

		throw new Error(`timed out waiting for ${String(expected)}; the screen shows:\n${screen}`);
	}

	close(): void {
		try {
			this.#tmux(['kill-server']);
		} catch {
			// Already gone: the program exited and took the server with it.
		}
	}

	#tmux(args: string[]): string {
		return execFileSync('tmux', ['-L', this.#socket, '-f', '/dev/null', ...args], {encoding: 'utf8'});
	}
}

function assertTmux(): void {
	try {
		execFileSync('tmux', ['-V'], {stdio: 'ignore'});
	} catch {
		throw new Error('these tests drive a real terminal and need tmux: run `bash .ci/run`, or `apt-get install tmux`');
	}
}

/** Quotes one word for sh. */
export function shellQuote(word: string): string {
	return `'${word.replaceAll("'", `'\\''`)}'`;
}
