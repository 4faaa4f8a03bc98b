import type {Loading} from './listing.js';

/** What the screen says about the list while its pages are read, and once they are. */

/**
 * `10000` as `10,000`, as toLocaleString('en-US') writes a count, without it: its first call sets up
 * ICU's number formatting, some 10 ms on the way to the TUI's first frame.
 */
export function count(value: number): string {
	return Number.isSafeInteger(value) ? String(value).replace(/\B(?=(\d{3})+$)/g, ',') : value.toLocaleString('en-US');
}

/**
 * The title's count: `10,000 secrets`; while loading `2,560 of 10,000 secrets`; with a filter
 * `12 of 10,000`, and while loading `12 of 2,560 so far`, so no one takes a filter over half the
 * list for a filter over all of it.
 */
export function countsLabel(total: number, shown: number, query: string, loading: Loading): string {
	if (query !== '') {
		return `${count(shown)} of ${count(total)}${loading ? ' so far' : ''}`;
	}

	if (loading) {
		return `${count(total)} of ${count(loading.total)} secrets`;
	}

	return `${count(total)} secret${total === 1 ? '' : 's'}`;
}

/** The status bar's fact in place of the count: `loading 2,560/10,000…`, or where an error stopped it. */
export function loadingFact(loading: NonNullable<Loading>): string {
	return loading.stopped ? `listed ${count(loading.loaded)} of ${count(loading.total)}, stopped` : `loading ${count(loading.loaded)}/${count(loading.total)}…`;
}

/** The list's line when no row is shown. */
export function emptyListText(total: number, loading: Loading): string {
	if (loading && !loading.stopped) {
		return total === 0 ? 'loading…' : 'nothing matches yet: still loading';
	}

	return total === 0 ? 'no secrets yet: press n to add one' : 'nothing matches: Esc clears the filter';
}
