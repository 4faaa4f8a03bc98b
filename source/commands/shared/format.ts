import {once} from 'node:events';
import {visible} from '../../text/visible.js';
import type {SecretSummary} from '../../vault/model.js';

/** How long before `now` (see clock.ts) `iso` was, in the largest whole unit: "3d ago", "5h ago", "just now". */
export function age(iso: string | null, now: number): string {
	if (!iso) {
		return 'never';
	}

	const seconds = Math.max(0, Math.round((now - Date.parse(iso)) / 1000));
	const units: Array<[string, number]> = [['y', 365 * 86_400], ['mo', 30 * 86_400], ['d', 86_400], ['h', 3600], ['m', 60]];
	for (const [unit, size] of units) {
		if (seconds >= size) {
			return `${Math.floor(seconds / size)}${unit} ago`;
		}
	}

	return 'just now';
}

export function visibility(summary: Pick<SecretSummary, 'private'>): string {
	return summary.private ? 'private' : 'public';
}

/**
 * Left-aligned columns separated by two spaces; the last column is not padded. Every cell is one
 * line with its control characters made visible (see text/visible.ts), so a planted escape or line
 * break can neither reach the terminal nor forge a row.
 */
export function table(header: string[], unsafeRows: string[][]): string {
	const rows = unsafeRows.map(row => row.map(cell => visible(cell)));
	const widths = header.map((title, column) => Math.max(title.length, ...rows.map(row => (row[column] ?? '').length)));
	const line = (cells: string[]) =>
		cells
			.map((cell, column) => (column === cells.length - 1 ? cell : cell.padEnd(widths[column]!)))
			.join('  ')
			.trimEnd();
	return [line(header), ...rows.map(row => line(row))].join('\n') + '\n';
}

export const mask = '••••••••';

/**
 * `--json` output: indented for a person at a terminal, compact (one line, no padding) for a pipe or
 * a file, where it is read by a program and indentation only costs bytes and time.
 */
export function jsonText(value: unknown, forTerminal: boolean): string {
	return `${forTerminal ? JSON.stringify(value, null, 2) : JSON.stringify(value)}\n`;
}

/** Items per write of {@link writeJsonArray}: a slice's text is tens of KB. */
const jsonSlice = 256;

/**
 * {@link jsonText} of an array, for a pipe or a file written a slice at a time, waiting for the
 * stream to drain between slices: memory holds one slice of output, not the text of 100,000
 * summaries plus the stream's copy of it. The bytes are exactly those of {@link jsonText}.
 */
export async function writeJsonArray(stream: NodeJS.WritableStream & {isTTY?: boolean}, items: readonly unknown[]): Promise<void> {
	const forTerminal = stream.isTTY === true;
	if (forTerminal || items.length <= jsonSlice) {
		stream.write(jsonText(items, forTerminal));
		return;
	}

	for (let start = 0; start < items.length; start += jsonSlice) {
		const text = JSON.stringify(items.slice(start, start + jsonSlice));
		const last = start + jsonSlice >= items.length;
		if (!stream.write(`${start === 0 ? '[' : ','}${text.slice(1, -1)}${last ? ']\n' : ''}`) && !last) {
			// Rejects if the stream fails (a closed pipe), which ends the listing like any write error.
			await once(stream, 'drain');
		}
	}
}
