import type {SecretSummary} from '../../vault/model.js';
import {type Term, maxScore, queryTerms} from './filter-terms.js';
import {TermScorer, mayMatch, searchIndex} from './filter-index.js';

export {queryTerms} from './filter-terms.js';
export {prepareRows as prepareFilter} from './filter-index.js';

/**
 * The `/` filter: which secrets match a query, best first, as fzf ranks them. Each term (split on
 * whitespace) must match; smart case, as in fzf: an all-lower-case term ignores case, a term with
 * a capital matches case exactly. A term scores by where and how it matches, best first:
 *
 *   0. the whole name        `github` in github
 *   1. the start of the name `git` in github-prod
 *   2. a word in the name    `prod` in github-prod (after - _ . / : or a space)
 *   3. inside the name       `hub` in github-prod (earlier is better)
 *   4. spread over the name  `ghp` in github-prod (a tighter spread is better)
 *   5. inside a key name, the integration or the description
 *   6. spread over all of them
 *
 * A secret's rank is the sum over the terms; equal ranks keep the order given (the chosen sort,
 * by name unless the user picked another). Written here rather than taken from fuzzysort or
 * uFuzzy, both measured at 10,000 secrets: fuzzysort was slower per keystroke and ranks by its
 * own character score (for `str`, stripe-dev-db above stripe-ci-admin, and for `ghtok` a gcp
 * secret first); uFuzzy was quicker but in its default mode finds no spread-out matches at all
 * (`ghtok`: nothing), and neither ranks the name before the keys and description. Scoring a row
 * of the list's search index is filter-index.ts's; ranking the whole list is this file's.
 */

/** Builds the search index of a list as shown (sorted), so the first keystroke over it does not. */
export function prepareRanking(secrets: readonly SecretSummary[]): void {
	searchIndex(secrets);
}

/** Working arrays kept between keystrokes: typed arrays of 100,000 made on every key keep the collector busy. */
const buckets = new Uint32Array(65_536);
let spareRows = new Uint32Array(0);
let spareScores = new Uint32Array(0);

function scratch(count: number): {rows: Uint32Array; scores: Uint32Array} {
	if (spareRows.length < count) {
		spareRows = new Uint32Array(count);
		spareScores = new Uint32Array(count);
	}

	return {rows: spareRows.subarray(0, count), scores: spareScores.subarray(0, count)};
}

/** Below this many matches a comparison sort is quicker than two counting passes over 65,536 buckets. */
const radixFrom = 4096;

/**
 * `rows` (ascending) ordered by `scores`, stably, so equal scores keep the given order. Many
 * matches are sorted by LSD radix on the score, 16 bits a pass: at 100,000 secrets a typed-array
 * sort of packed score-and-row keys took tens of milliseconds, most of a keystroke; two counting
 * passes take two or three.
 */
function byScore(rows: Uint32Array, scores: Uint32Array): Uint32Array {
	const count = rows.length;
	if (count < radixFrom) {
		const order = Array.from(rows.keys()).sort((a, b) => scores[a]! - scores[b]! || a - b);
		return Uint32Array.from(order, at => rows[at]!);
	}

	const spare = scratch(count);
	let fromRows: Uint32Array = rows;
	let fromScores: Uint32Array = scores;
	let toRows: Uint32Array = spare.rows;
	let toScores: Uint32Array = spare.scores;
	for (let shift = 0; shift < 32; shift += 16) {
		buckets.fill(0);
		for (let at = 0; at < count; at++) {
			buckets[(fromScores[at]! >>> shift) & 0xff_ff]!++;
		}

		let sum = 0;
		for (let digit = 0; digit < 65_536; digit++) {
			const size = buckets[digit]!;
			buckets[digit] = sum;
			sum += size;
		}

		for (let at = 0; at < count; at++) {
			const score = fromScores[at]!;
			const to = buckets[(score >>> shift) & 0xff_ff]!++;
			toScores[to] = score;
			toRows[to] = fromRows[at]!;
		}

		[fromRows, toRows] = [toRows, fromRows];
		[fromScores, toScores] = [toScores, fromScores];
	}

	// Two passes: the order is back in `rows`, the caller's own array.
	return fromRows;
}


/** Ranks the rows at `candidates` (ascending; all rows when undefined), best first. */
function rankRows(secrets: readonly SecretSummary[], candidates: Uint32Array | undefined, terms: readonly Term[]): Uint32Array {
	const index = searchIndex(secrets);
	const scorers = terms.map(term => new TermScorer(term, index));
	const count = candidates ? candidates.length : secrets.length;
	const rows = new Uint32Array(count);
	const scores = new Uint32Array(count);
	let matched = 0;
	nextRow: for (let at = 0; at < count; at++) {
		const row = candidates ? candidates[at]! : at;
		if (!mayMatch(index, row, terms)) {
			continue;
		}

		let total = 0;
		for (const scorer of scorers) {
			const score = scorer.score(row);
			if (score === -1) {
				continue nextRow;
			}

			total += score;
		}

		rows[matched] = row;
		scores[matched] = Math.min(total, maxScore);
		matched++;
	}

	return byScore(rows.subarray(0, matched), scores.subarray(0, matched));
}

/** The same rows in ascending order, by marking them: linear, where sorting them was not. */
function ascending(rows: Uint32Array, size: number): Uint32Array {
	const marked = new Uint8Array(size);
	for (let at = 0; at < rows.length; at++) {
		marked[rows[at]!] = 1;
	}

	const sorted = new Uint32Array(rows.length);
	let at = 0;
	for (let row = 0; row < size; row++) {
		if (marked[row] === 1) {
			sorted[at++] = row;
		}
	}

	return sorted;
}

function rowsToSecrets(secrets: readonly SecretSummary[], rows: Uint32Array): SecretSummary[] {
	const found = new Array<SecretSummary>(rows.length);
	for (let at = 0; at < rows.length; at++) {
		found[at] = secrets[rows[at]!]!;
	}

	return found;
}

/**
 * The secrets that match `query`, best first; equal scores keep the order of `secrets`. An empty
 * query keeps everything as given.
 */
export function rankSecrets(secrets: readonly SecretSummary[], query: string): readonly SecretSummary[] {
	const terms = queryTerms(query);
	return terms.length === 0 ? secrets : rowsToSecrets(secrets, rankRows(secrets, undefined, terms));
}

/**
 * {@link rankSecrets} for a query typed one key at a time. A query that only adds characters to
 * the last one can only match fewer secrets (every term still has to be found, in order), so it
 * looks only at the last answer's secrets instead of all of them.
 */
export function rankedFilter(): (secrets: readonly SecretSummary[], query: string) => readonly SecretSummary[] {
	let last: {secrets: readonly SecretSummary[]; query: string; rows: Uint32Array} | undefined;
	return (secrets, query) => {
		const terms = queryTerms(query);
		if (terms.length === 0) {
			last = undefined;
			return secrets;
		}

		const narrows = last !== undefined && last.secrets === secrets && query.startsWith(last.query);
		const rows = rankRows(secrets, narrows ? ascending(last!.rows, secrets.length) : undefined, terms);
		last = {secrets, query, rows};
		return rowsToSecrets(secrets, rows);
	};
}
