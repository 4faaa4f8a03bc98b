import type {SecretSummary} from '../../vault/model.js';
import {visible} from '../../text/visible.js';
import {prepareFilter, prepareRanking, rankSecrets, rankedFilter} from './filter.js';
import {growingSort} from './grown-list.js';

export const sortOrders = ['name', 'updated', 'used'] as const;
export type SortOrder = (typeof sortOrders)[number];

export const sortLabels: Record<SortOrder, string> = {name: 'name', updated: 'last updated', used: 'last used'};

export function nextSort(sort: SortOrder): SortOrder {
	return sortOrders[(sortOrders.indexOf(sort) + 1) % sortOrders.length]!;
}

const compareText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** The same orders as `hush list --sort`: name (private first on a tie), newest update, most recent use. */
export const comparators: Record<SortOrder, (a: SecretSummary, b: SecretSummary) => number> = {
	name: (a, b) => compareText(a.name, b.name) || Number(b.private) - Number(a.private),
	updated: (a, b) => compareText(b.updatedAt, a.updatedAt) || compareText(a.name, b.name),
	used: (a, b) => compareText(b.lastUsedAt ?? '', a.lastUsedAt ?? '') || compareText(a.name, b.name),
};

export function sortSecrets(secrets: readonly SecretSummary[], sort: SortOrder): SecretSummary[] {
	return [...secrets].sort(comparators[sort]);
}

/** Builds the filter's search texts ahead of the first keystroke. */
export const prepareSearch = prepareFilter;

/** Builds the search texts of the list as sorted on screen (prepareSearch's, and the list of them the ranking walks). */
export const prepareSorted = prepareRanking;

/**
 * Remembers the last result of `compute` for the same inputs (compared by identity), so the
 * sorted and filtered list is worked out again only when the secrets, the sort or the query change.
 */
export function lastResult<I extends readonly unknown[], R>(compute: (...inputs: I) => R): (...inputs: I) => R {
	let lastInputs: I | undefined;
	let last: R;
	return (...inputs) => {
		if (!lastInputs || inputs.length !== lastInputs.length || inputs.some((input, index) => input !== lastInputs![index])) {
			last = compute(...inputs);
			lastInputs = inputs;
		}

		return last;
	};
}

/**
 * The list as shown: sorted, then filtered and ranked. Each call makes its own memory of the last answer, so
 * a key that changes neither the secrets, the sort nor the query costs nothing, and a list that
 * only grew (pages arriving, see grown-list.ts) is merged into the last sorted one, not sorted again.
 */
export function listViewer(): (secrets: readonly SecretSummary[], sort: SortOrder, query: string) => readonly SecretSummary[] {
	const sorted = growingSort((secrets, sort) => sortSecrets(secrets, sort), comparators);
	const filtered = lastResult(rankedFilter());
	return (secrets, sort, query) => filtered(sorted(secrets, sort), query);
}

/**
 * Keeps the secrets that fuzzily match `query`, best match first (see state/filter.ts): the whole
 * name, then its start, then a word in it, and so on; equal matches keep the chosen sort.
 */
export const filterSecrets = rankSecrets;

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

/**
 * Fits text into exactly `width` columns: cut with an ellipsis, or padded. Control characters
 * (a planted OSC 8 link or OSC 52 clipboard write, a line break) are first made visible (see
 * text/visible.ts): every line the TUI draws goes through here or {@link wrapLines}.
 */
export function fit(unsafeText: string, width: number): string {
	if (width <= 0) {
		return '';
	}

	const text = visible(unsafeText);
	const chars = [...text];
	if (chars.length > width) {
		return width === 1 ? '…' : `${chars.slice(0, width - 1).join('')}…`;
	}

	return text + ' '.repeat(width - chars.length);
}

/** Breaks text into lines of at most `width` columns, at spaces where it can; control characters made visible first. */
export function wrapLines(unsafeText: string, width: number): string[] {
	const text = visible(unsafeText);
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
