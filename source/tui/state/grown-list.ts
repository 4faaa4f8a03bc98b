import type {SecretSummary} from '../../vault/model.js';

/**
 * Lists that only grow: while the vault's pages arrive, the listing is the last one with a page's
 * secrets appended. Sorting 100,000 summaries again for every page would cost about a tenth of a
 * second each time; merging the few hundred new ones (sorted) into the last sorted list costs a
 * linear pass. So an append is remembered, and the sorter asks what was added since its last list.
 */
type Growth = {base: readonly SecretSummary[]; added: readonly SecretSummary[]};

const grownFrom = new WeakMap<readonly SecretSummary[], Growth>();

/** `base` with `added` after it; the new list remembers how it was made. */
export function appendSecrets(base: readonly SecretSummary[], added: readonly SecretSummary[]): readonly SecretSummary[] {
	const grown = base.concat(added);
	grownFrom.set(grown, {base, added});
	return grown;
}

/**
 * What was appended to `earlier` to make `later`, through any number of appends; undefined when
 * `later` was not made that way (a reload, an edit). The links walked are forgotten, so the
 * earlier lists are not kept alive by the later ones.
 */
export function addedSince(later: readonly SecretSummary[], earlier: readonly SecretSummary[]): SecretSummary[] | undefined {
	const parts: Array<readonly SecretSummary[]> = [];
	const walked: Array<readonly SecretSummary[]> = [];
	let list = later;
	while (list !== earlier) {
		const growth = grownFrom.get(list);
		if (growth === undefined) {
			return undefined;
		}

		parts.push(growth.added);
		walked.push(list);
		list = growth.base;
	}

	for (const done of walked) {
		grownFrom.delete(done);
	}

	return parts.reverse().flat();
}

/** Two lists sorted by `compare`, merged; on a tie the item of `first` comes first, as a stable sort of first-then-second would place it. */
export function mergeSorted<T>(first: readonly T[], second: readonly T[], compare: (a: T, b: T) => number): T[] {
	const merged = new Array<T>(first.length + second.length);
	let a = 0;
	let b = 0;
	let at = 0;
	while (a < first.length && b < second.length) {
		merged[at++] = compare(first[a]!, second[b]!) <= 0 ? first[a++]! : second[b++]!;
	}

	while (a < first.length) {
		merged[at++] = first[a++]!;
	}

	while (b < second.length) {
		merged[at++] = second[b++]!;
	}

	return merged;
}

/**
 * A sorter that remembers its last answer: the same list and order cost nothing, a list grown by
 * {@link appendSecrets} since then is merged, anything else is sorted afresh. The result is the
 * same as sorting the whole list (stably) every time.
 */
export function growingSort<O extends string>(
	sort: (secrets: readonly SecretSummary[], order: O) => SecretSummary[],
	comparators: Record<O, (a: SecretSummary, b: SecretSummary) => number>,
): (secrets: readonly SecretSummary[], order: O) => readonly SecretSummary[] {
	let last: {secrets: readonly SecretSummary[]; order: O; sorted: readonly SecretSummary[]} | undefined;
	return (secrets, order) => {
		if (last?.secrets === secrets && last.order === order) {
			return last.sorted;
		}

		const added = last?.order === order ? addedSince(secrets, last.secrets) : undefined;
		const sorted = added === undefined ? sort(secrets, order) : mergeSorted(last!.sorted, sort(added, order), comparators[order]);
		last = {secrets, order, sorted};
		return sorted;
	};
}
