import type {SecretSummary} from '../../vault/model.js';
import {type Term, asciiMask, isBoundary, tier} from './filter-terms.js';

/**
 * A list's search texts laid end to end, for ranking 100,000 secrets within a keystroke. One
 * object and a few strings per secret meant a cache miss or more per secret per key, about half
 * a microsecond each; here every secret's texts sit in one string, in list order, and the
 * per-secret numbers in typed arrays, so a keystroke reads memory front to back (at 100,000
 * secrets the p90 from a key to its frame went from 62 ms to 16).
 *
 * Each row is `name rest` (rest: the key names, integration and description), rows joined by a
 * line break. A term holds no whitespace (queryTerms splits on it), so a match never crosses from
 * a name into its rest or from one row into the next, and the first match at or after a row's
 * start tells in which part of which row the term is.
 */
export type SearchIndex = {
	size: number;
	lower: Side;
	exact: Side;
	maskLow: Int32Array;
	maskHigh: Int32Array;
};

/** One case of the texts: the joined string, and per row where it starts and where its name ends (the space). Row `size` starts one past the end. */
type Side = {text: string; starts: Int32Array; nameEnds: Int32Array};

type RowText = {exact: string; exactName: number; lower: string; lowerName: number; maskLow: number; maskHigh: number};

const rowTexts = new WeakMap<SecretSummary, RowText>();

/**
 * A secret's searchable text, made once per secret. Line breaks become spaces, since rows are
 * joined by them. The row is lower-cased whole: the space after the name bounds the context that
 * lower-casing looks at, so it lower-cases as the name and the rest would apart.
 */
function rowText(secret: SecretSummary): RowText {
	let found = rowTexts.get(secret);
	if (found === undefined) {
		const exact = `${secret.name} ${secret.keys.join(' ')} ${secret.integration} ${secret.description}`.replaceAll('\n', ' ');
		const lower = exact.toLowerCase();
		const [maskLow, maskHigh] = asciiMask(lower);
		found = {exact, exactName: secret.name.length, lower, lowerName: secret.name.toLowerCase().length, maskLow, maskHigh};
		rowTexts.set(secret, found);
	}

	return found;
}

/** Makes each secret's search text ahead of the first keystroke (pages arriving are prepared one batch at a time). */
export function prepareRows(secrets: readonly SecretSummary[]): void {
	for (const secret of secrets) {
		rowText(secret);
	}
}

function side(rows: readonly RowText[], lower: boolean): Side {
	const texts = new Array<string>(rows.length);
	const starts = new Int32Array(rows.length + 1);
	const nameEnds = new Int32Array(rows.length);
	let at = 0;
	for (let row = 0; row < rows.length; row++) {
		const found = rows[row]!;
		const text = lower ? found.lower : found.exact;
		texts[row] = text;
		starts[row] = at;
		nameEnds[row] = at + (lower ? found.lowerName : found.exactName);
		at += text.length + 1;
	}

	starts[rows.length] = at;
	return {text: texts.join('\n'), starts, nameEnds};
}

const indexes = new WeakMap<readonly SecretSummary[], SearchIndex>();

/** The index of a list (sorted as shown), made once per list. */
export function searchIndex(secrets: readonly SecretSummary[]): SearchIndex {
	let index = indexes.get(secrets);
	if (index === undefined) {
		const rows = secrets.map(secret => rowText(secret));
		const maskLow = new Int32Array(rows.length);
		const maskHigh = new Int32Array(rows.length);
		for (let row = 0; row < rows.length; row++) {
			maskLow[row] = rows[row]!.maskLow;
			maskHigh[row] = rows[row]!.maskHigh;
		}

		index = {
			size: rows.length,
			lower: side(rows, true),
			exact: side(rows, false),
			maskLow,
			maskHigh,
		};
		indexes.set(secrets, index);
	}

	return index;
}

/** Past every position: what a search that found nothing remembers. */
const nowhere = 2 ** 31 - 1;

/**
 * One term scored against rows taken in ascending order. It remembers the first match at or
 * after the last row asked about, and for each of its characters the first place at or after
 * where the last search for it began: rows only move forward, so a remembered place that is not
 * behind the new row is still the first, and a term found nowhere near is searched for once,
 * not once per row.
 */
export class TermScorer {
	readonly #term: string;
	readonly #side: Side;
	#match = -1;
	readonly #charsAt: Int32Array;

	constructor(term: Term, index: SearchIndex) {
		this.#term = term.text;
		this.#side = term.exact ? index.exact : index.lower;
		this.#charsAt = new Int32Array(term.text.length).fill(-1);
	}

	/** The score of `row` (lower is better; filter.ts describes the tiers), or -1 when the term is not in it. */
	score(row: number): number {
		const {text, starts, nameEnds} = this.#side;
		const start = starts[row]!;
		const nameEnd = nameEnds[row]!;
		const end = starts[row + 1]! - 1;
		if (this.#match < start) {
			const found = text.indexOf(this.#term, start);
			this.#match = found === -1 ? nowhere : found;
		}

		const match = this.#match;
		if (match < nameEnd) {
			const offset = match - start;
			if (offset === 0) {
				return nameEnd - start === this.#term.length ? 0 : tier;
			}

			return isBoundary(text.charCodeAt(match - 1)) ? 2 * tier + offset : 3 * tier + offset;
		}

		const last = this.#spread(start, end);
		if (last < nameEnd) {
			return 4 * tier + last - this.#spreadStart(last) + 1;
		}

		if (match < end) {
			return 5 * tier + Math.min(match - nameEnd - 1, tier - 1);
		}

		return last < end ? 6 * tier : -1;
	}

	/** Where the last character lands when each is taken at its first place after the one before (the earliest it can), from `start`; `nowhere` when one is missing before `end`. */
	#spread(start: number, end: number): number {
		const {text} = this.#side;
		const term = this.#term;
		const charsAt = this.#charsAt;
		let from = start;
		for (let index = 0; index < charsAt.length; index++) {
			if (charsAt[index]! < from) {
				const found = text.indexOf(term[index]!, from);
				charsAt[index] = found === -1 ? nowhere : found;
			}

			const at = charsAt[index]!;
			if (at >= end) {
				return nowhere;
			}

			from = at + 1;
		}

		return from - 1;
	}

	/** Back from the last character to the latest start, as fzf does: the window the term spreads over is then as tight as it gets. */
	#spreadStart(last: number): number {
		const {text} = this.#side;
		const term = this.#term;
		let start = last;
		for (let index = term.length - 2; index >= 0; index--) {
			start = text.lastIndexOf(term[index]!, start - 1);
		}

		return start;
	}
}

/** Whether a row can hold every term, by character sets: most rows are refused here without reading any text. */
export function mayMatch(index: SearchIndex, row: number, terms: readonly Term[]): boolean {
	const low = index.maskLow[row]!;
	const high = index.maskHigh[row]!;
	for (const term of terms) {
		if ((term.maskLow & ~low) !== 0 || (term.maskHigh & ~high) !== 0) {
			return false;
		}
	}

	return true;
}
