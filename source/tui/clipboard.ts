import {spawn, spawnSync} from 'node:child_process';
import {delimiter, join} from 'node:path';
import {accessSync, constants} from 'node:fs';

/**
 * Copies text to the clipboard: through a system clipboard tool when one is on the PATH
 * (wl-copy, xclip, xsel, pbcopy), else with the OSC 52 escape sequence that most terminals (and
 * tmux, and ssh sessions) turn into a clipboard write. The value goes to the tool on its standard
 * input, never in its arguments.
 *
 * "Clearing" overwrites the clipboard with {@link clipboardPlaceholder}: an empty OSC 52 is ignored
 * by many terminals (tmux among them), which would leave the value where it was.
 */
export type Clipboard = {
	/** How the copy was made, for the status bar. */
	readonly method: string;
	/**
	 * True when the copy is an escape sequence sent to the terminal (OSC 52): hush cannot tell whether
	 * the terminal honoured it, so the status bar says "sent", not "copied".
	 */
	readonly viaTerminal: boolean;
	copy(text: string): Promise<void>;
	/**
	 * Overwrites the clipboard with {@link clipboardPlaceholder} if it still holds `text` (or, over
	 * OSC 52, if hush copied nothing since); true when it did.
	 */
	clearIfUnchanged(text: string): Promise<boolean>;
};

/** What the clipboard holds once hush has cleared it: one space, harmless wherever it is pasted. */
export const clipboardPlaceholder = ' ';

type Tool = {name: string; copy: string[]; paste: string[] | null};

const tools: Tool[] = [
	{name: 'wl-copy', copy: ['wl-copy'], paste: ['wl-paste', '--no-newline']},
	{name: 'xclip', copy: ['xclip', '-selection', 'clipboard'], paste: ['xclip', '-selection', 'clipboard', '-o']},
	{name: 'xsel', copy: ['xsel', '--clipboard', '--input'], paste: ['xsel', '--clipboard', '--output']},
	{name: 'pbcopy', copy: ['pbcopy'], paste: ['pbpaste']},
];

function onPath(command: string, env: NodeJS.ProcessEnv): boolean {
	return (env['PATH'] ?? '').split(delimiter).some(folder => {
		try {
			accessSync(join(folder, command), constants.X_OK);
			return true;
		} catch {
			return false;
		}
	});
}

function needsDisplay(tool: Tool, env: NodeJS.ProcessEnv): boolean {
	if (tool.name === 'wl-copy') {
		return !env['WAYLAND_DISPLAY'];
	}

	return (tool.name === 'xclip' || tool.name === 'xsel') && !env['DISPLAY'];
}

function pipeInto(command: string[], text: string, env: NodeJS.ProcessEnv): Promise<void> {
	return new Promise((resolve, reject) => {
		const child = spawn(command[0]!, command.slice(1), {env, stdio: ['pipe', 'ignore', 'ignore'], detached: false});
		child.on('error', reject);
		child.on('close', code => (code === 0 ? resolve() : reject(new Error(`${command[0]} exited with status ${code}`))));
		child.stdin.end(text);
	});
}

/**
 * The OSC 52 sequence that sets the clipboard ("c") to `text`. Never send it empty to clear: tmux
 * and other terminals ignore an empty payload. Overwrite with {@link clipboardPlaceholder}.
 */
export function osc52(text: string): string {
	return `\u001B]52;c;${Buffer.from(text, 'utf8').toString('base64')}\u0007`;
}

export function systemClipboard(env: NodeJS.ProcessEnv, terminal: {write(data: string): unknown}): Clipboard {
	// Chosen on first use, not at start: probing every PATH folder for every tool is on the way to
	// the TUI's first frame, and most sessions never copy.
	let chosen: Clipboard | undefined;
	const choose = () => (chosen ??= chooseClipboard(env, terminal));
	return {
		get method() {
			return choose().method;
		},
		get viaTerminal() {
			return choose().viaTerminal;
		},
		copy: async text => choose().copy(text),
		clearIfUnchanged: async text => choose().clearIfUnchanged(text),
	};
}

function chooseClipboard(env: NodeJS.ProcessEnv, terminal: {write(data: string): unknown}): Clipboard {
	const tool = tools.find(candidate => onPath(candidate.copy[0]!, env) && !needsDisplay(candidate, env));
	if (tool) {
		return {
			method: tool.name,
			viaTerminal: false,
			copy: text => pipeInto(tool.copy, text, env),
			async clearIfUnchanged(text) {
				if (tool.paste) {
					const current = spawnSync(tool.paste[0]!, tool.paste.slice(1), {env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore']});
					if (current.status !== 0 || current.stdout !== text) {
						return false;
					}
				}

				await pipeInto(tool.copy, clipboardPlaceholder, env);
				return true;
			},
		};
	}

	let last: string | null = null;
	return {
		method: 'the terminal (OSC 52)',
		viaTerminal: true,
		async copy(text) {
			last = text;
			terminal.write(osc52(text));
		},
		async clearIfUnchanged(text) {
			// A terminal will not say what its clipboard holds: clear unless hush copied something newer.
			if (last !== text) {
				return false;
			}

			last = null;
			terminal.write(osc52(clipboardPlaceholder));
			forgetTmuxBuffers(text, env);
			return true;
		},
	};
}

/**
 * Inside tmux (with set-clipboard on), every OSC 52 becomes a new paste buffer and older ones stay
 * in its buffer list (prefix =), so overwriting the clipboard leaves the value one buffer down.
 * Deletes the buffers that hold exactly `text`; does nothing outside tmux or if tmux is not there.
 * Synchronous, so it also runs when the app is quitting.
 */
function forgetTmuxBuffers(text: string, env: NodeJS.ProcessEnv): void {
	if (!env['TMUX'] || !onPath('tmux', env)) {
		return;
	}

	const tmux = (args: string[]) => spawnSync('tmux', args, {env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], timeout: 2000});
	const listed = tmux(['list-buffers', '-F', '#{buffer_name}']);
	if (listed.status !== 0) {
		return;
	}

	for (const name of listed.stdout.split('\n').filter(Boolean)) {
		if (tmux(['show-buffer', '-b', name]).stdout === text) {
			tmux(['delete-buffer', '-b', name]);
		}
	}
}
