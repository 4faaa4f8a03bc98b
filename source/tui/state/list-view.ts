import {Fzf, type FzfResultItem} from 'fzf';
import type {SecretSummary} from '../../vault/model.js';

export const sortOrders = ['name', 'updated', 'used'] as const;
export type SortOrder = (typeof sortOrders)[number];

export const sortLabels: Record<SortOrder, string> = {name: 'name', updated: 'last updated', used: 'last used'};

export function nextSort(sort: SortOrder): SortOrder {
	return sortOrders[(sortOrders.indexOf(sort) + 1) % sortOrders.length]!;
}

const compareText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** The same orders as `hush list --sort`: name (private first on a tie), newest update, most recent use. */
const comparators: Record<SortOrder, (a: SecretSummary, b: SecretSummary) => number> = {
	name: (a, b) => compareText(a.name, b.name) || Number(b.private) - Number(a.private),
	updated: (a, b) => compareText(b.updatedAt, a.updatedAt) || compareText(a.name, b.name),
	used: (a, b) => compareText(b.lastUsedAt ?? '', a.lastUsedAt ?? '') || compareText(a.name, b.name),
};

export function sortSecrets(secrets: readonly SecretSummary[], sort: SortOrder): SecretSummary[] {
	return [...secrets].sort(comparators[sort]);
}

/** What the fuzzy filter searches: name, key names, integration and description. */
export function searchText(secret: SecretSummary): string {
	return `${secret.name} ${secret.keys.join(' ')} ${secret.integration} ${secret.description}`;
}

/**
 * Keeps the secrets that fuzzily match `query` (fzf's algorithm, smart case), in the order given,
 * so the chosen sort still holds while filtering. An empty query keeps everything.
 */
export function filterSecrets(sorted: readonly SecretSummary[], query: string): readonly SecretSummary[] {
	const trimmed = query.trim();
	if (trimmed === '') {
		return sorted;
	}

	const fzf = new Fzf<readonly SecretSummary[]>(sorted, {selector: searchText, sort: false});
	return fzf.find(trimmed).map((result: FzfResultItem<SecretSummary>) => result.item);
}

/** How long ago, compactly: 42s, 5m, 3h, 12d, 8mo, 2y. */
export function formatAge(iso: string | null, now: number): string {
	if (iso === null) {
		return 'never';
	}

	const seconds = Math.max(0, Math.floor((now - Date.parse(iso)) / 1000));
	if (seconds < 60) {
		return `${seconds}s`;
	}

	const minutes = Math.floor(seconds / 60);
	if (minutes < 60) {
		return `${minutes}m`;
	}

	const hours = Math.floor(minutes / 60);
	if (hours < 24) {
		return `${hours}h`;
	}

	const days = Math.floor(hours / 24);
	if (days < 60) {
		return `${days}d`;
	}

	return days < 730 ? `${Math.floor(days / 30)}mo` : `${Math.floor(days / 365)}y`;
}

/** The first row to draw so that `cursor` is on screen, moving the window as little as possible. */
export function scrollOffset(cursor: number, previousOffset: number, height: number, count: number): number {
	if (height <= 0 || count <= height) {
		return 0;
	}

	let offset = Math.min(previousOffset, count - height);
	if (cursor < offset) {
		offset = cursor;
	} else if (cursor >= offset + height) {
		offset = cursor - height + 1;
	}

	return Math.max(0, offset);
}

/** Fits text into exactly `width` columns: cut with an ellipsis, or padded. */
export function fit(text: string, width: number): string {
	if (width <= 0) {
		return '';
	}

	const chars = [...text];
	if (chars.length > width) {
		return width === 1 ? '…' : `${chars.slice(0, width - 1).join('')}…`;
	}

	return text + ' '.repeat(width - chars.length);
}

/** Breaks text into lines of at most `width` columns, at spaces where it can. */
export function wrapLines(text: string, width: number): string[] {
	const lines: string[] = [];
	let line = '';
	for (const word of text.split(' ')) {
		const candidate = line === '' ? word : `${line} ${word}`;
		if ([...candidate].length <= width) {
			line = candidate;
			continue;
		}

		if (line !== '') {
			lines.push(line);
		}

		let rest = [...word];
		while (rest.length > width) {
			lines.push(rest.slice(0, width).join(''));
			rest = rest.slice(width);
		}

		line = rest.join('');
	}

	lines.push(line);
	return lines;
}
