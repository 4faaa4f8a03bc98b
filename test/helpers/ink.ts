import {stripVTControlCharacters} from 'node:util';
import {render} from 'ink-testing-library';
import type {ReactElement} from 'react';
import {type Clipboard, clipboardPlaceholder} from '../../source/tui/clipboard.js';
import type {TuiServices} from '../../source/tui/services.js';
import {moduleSync} from '../../source/tui/sync-service.js';
import type {ValueReaders} from '../../source/tui/state/form-submit.js';

export type Rendered = ReturnType<typeof render> & {
	/** The last frame without colour codes. */
	screen(): string;
	/** Types text (or escape sequences) into the app. */
	keys(...chunks: string[]): void;
	/** Polls the frame until `predicate` holds; never a fixed wait. */
	waitFor(expected: string | RegExp | ((screen: string) => boolean), timeoutMs?: number): Promise<string>;
	resize(columns: number, rows: number): void;
};

export const keys = {
	up: '\u001B[A',
	down: '\u001B[B',
	right: '\u001B[C',
	left: '\u001B[D',
	enter: '\r',
	escape: '\u001B',
	tab: '\t',
	backspace: '\u007F',
	ctrl: (letter: string) => String.fromCharCode(letter.toUpperCase().charCodeAt(0) - 64),
};

/**
 * Renders with ink-testing-library at a given window size (its fake stdout has no rows, so the
 * size is set and announced with a resize event, as a terminal would).
 */
export function renderAt(tree: ReactElement, columns = 80, rows = 24): Rendered {
	const instance = render(tree);
	const stdout = instance.stdout as unknown as {rows: number; emit(event: string): void};
	const resize = (newColumns: number, newRows: number) => {
		Object.defineProperty(instance.stdout, 'columns', {get: () => newColumns, configurable: true});
		stdout.rows = newRows;
		stdout.emit('resize');
	};

	resize(columns, rows);
	const screen = () => stripVTControlCharacters(instance.lastFrame() ?? '');
	return {
		...instance,
		screen,
		resize,
		keys(...chunks) {
			for (const chunk of chunks) {
				instance.stdin.write(chunk);
			}
		},
		async waitFor(expected, timeoutMs = 10_000) {
			const matches = (text: string) =>
				typeof expected === 'string' ? text.includes(expected) : expected instanceof RegExp ? expected.test(text) : expected(text);
			const deadline = Date.now() + timeoutMs;
			while (Date.now() < deadline) {
				const text = screen();
				if (matches(text)) {
					return text;
				}

				await new Promise(resolve => setTimeout(resolve, 5));
			}

			throw new Error(`timed out waiting for ${String(expected)}; the frame shows:\n${screen()}`);
		},
	};
}

/** A clipboard that remembers what it holds, so tests can see copies and clears (overwrites with the placeholder). */
export function recordingClipboard({viaTerminal = false} = {}): Clipboard & {contents: string | null; copies: number} {
	const clipboard = {
		method: 'test clipboard',
		viaTerminal,
		contents: null as string | null,
		copies: 0,
		async copy(text: string) {
			clipboard.contents = text;
			clipboard.copies++;
		},
		async clearIfUnchanged(text: string) {
			if (clipboard.contents !== text) {
				return false;
			}

			clipboard.contents = clipboardPlaceholder;
			return true;
		},
	};
	return clipboard;
}

export function testServices(overrides: Partial<Omit<TuiServices, "readers">> & {readers?: Partial<ValueReaders>} = {}): TuiServices & {clipboard: ReturnType<typeof recordingClipboard>} {
	const {readers, ...rest} = overrides;
	return {
		clipboard: recordingClipboard(),
		now: () => Date.now(),
		revealMs: 60_000,
		clipboardClearMs: 60_000,
		idleLockMs: 0,
		listSort: 'name',
		sync: moduleSync,
		...rest,
		readers: {
			env: {},
			readFile: () => {
				throw new Error('no files in this test');
			},
			readKeychain: async () => {
				throw new Error('no keychain in this test');
			},
			...readers,
		},
	} as TuiServices & {clipboard: ReturnType<typeof recordingClipboard>};
}

/** Every line of the frame fits the window. */
export function frameFits(screen: string, columns: number, rows: number): boolean {
	const lines = screen.split('\n');
	return lines.length <= rows && lines.every(line => [...line].length <= columns);
}
