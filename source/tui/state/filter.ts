import type {SecretSummary} from '../../vault/model.js';

/**
 * The `/` filter: which secrets match a query, best first, as fzf ranks them. Each space-separated
 * term must match; smart case, as in fzf: an all-lower-case term ignores case, a term with a
 * capital matches case exactly. A term scores by where and how it matches, best first:
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
 * (`ghtok`: nothing), and neither ranks the name before the keys and description.
 */
const tier = 1_000_000;

/** The texts one secret is searched by, made once per secret. */
type Texts = {name: string; lowerName: string; rest: string; lowerRest: string; all: string; lowerAll: string};

const textsOf = new WeakMap<SecretSummary, Texts>();

function texts(secret: SecretSummary): Texts {
	let found = textsOf.get(secret);
	if (found === undefined) {
		const rest = `${secret.keys.join(' ')} ${secret.integration} ${secret.description}`;
		const all = `${secret.name} ${rest}`;
		found = {name: secret.name, lowerName: secret.name.toLowerCase(), rest, lowerRest: rest.toLowerCase(), all, lowerAll: all.toLowerCase()};
		textsOf.set(secret, found);
	}

	return found;
}

/** Builds the search texts ahead of the first keystroke. */
export function prepareFilter(secrets: readonly SecretSummary[]): void {
	for (const secret of secrets) {
		texts(secret);
	}
}

type Term = {text: string; exact: boolean};

export function queryTerms(query: string): Term[] {
	return query
		.split(' ')
		.filter(term => term !== '')
		.map(text => ({text, exact: text !== text.toLowerCase()}));
}

const boundary = new Set(['-', '_', '.', '/', ':', ' ', '@']);

/**
 * How tightly `term` is spread over `text` (the width of the window holding it), or -1 when its
 * characters are not all there in order. Forward to the first place the whole term fits, then
 * back from there to the latest start, as fzf does.
 */
export function subsequenceSpan(term: string, text: string): number {
	let from = 0;
	let end = -1;
	for (let index = 0; index < term.length; index++) {
		end = text.indexOf(term[index]!, from);
		if (end === -1) {
			return -1;
		}

		from = end + 1;
	}

	let start = end;
	for (let index = term.length - 2; index >= 0; index--) {
		start = text.lastIndexOf(term[index]!, start - 1);
	}

	return end - start + 1;
}

/** Whether the characters of `term` appear in `text` in order: the quick test every secret gets first. */
function isSubsequence(term: string, text: string): boolean {
	let from = 0;
	for (let index = 0; index < term.length; index++) {
		const at = text.indexOf(term[index]!, from);
		if (at === -1) {
			return false;
		}

		from = at + 1;
	}

	return true;
}

/** A term's score against a secret it matches somewhere (lower is better). */
function termScore(term: Term, found: Texts): number {
	const name = term.exact ? found.name : found.lowerName;
	const {text} = term;
	if (name === text) {
		return 0;
	}

	const at = name.indexOf(text);
	if (at === 0) {
		return tier;
	}

	if (at > 0) {
		return boundary.has(name[at - 1]!) ? 2 * tier + at : 3 * tier + at;
	}

	const span = subsequenceSpan(text, name);
	if (span !== -1) {
		return 4 * tier + span;
	}

	const restAt = (term.exact ? found.rest : found.lowerRest).indexOf(text);
	return restAt === -1 ? 6 * tier : 5 * tier + Math.min(restAt, tier - 1);
}

/** A secret's score for all the terms (lower is better), or -1 when a term does not match. */
function scoreTexts(terms: readonly Term[], found: Texts): number {
	for (const term of terms) {
		if (!isSubsequence(term.text, term.exact ? found.all : found.lowerAll)) {
			return -1;
		}
	}

	let total = 0;
	for (const term of terms) {
		total += termScore(term, found);
	}

	return Math.min(total, maxScore);
}

export function secretScore(terms: readonly Term[], secret: SecretSummary): number {
	return scoreTexts(terms, texts(secret));
}

// Score and row packed into one number, so the ranking is a typed-array sort with no comparator.
const maxScore = 2 ** 31 - 1;
const rowSpace = 2 ** 21;

/** The search texts of every secret in a list, in its order: a WeakMap lookup per secret per key costs too much at 100,000. */
const textLists = new WeakMap<readonly SecretSummary[], Texts[]>();

function textList(secrets: readonly SecretSummary[]): Texts[] {
	let list = textLists.get(secrets);
	if (list === undefined) {
		list = secrets.map(secret => texts(secret));
		textLists.set(secrets, list);
	}

	return list;
}

/** Ranks the rows at `candidates` (ascending; all rows when undefined), best first. */
function rankRows(secrets: readonly SecretSummary[], candidates: Uint32Array | undefined, terms: readonly Term[]): Uint32Array {
	const list = textList(secrets);
	const count = candidates ? candidates.length : secrets.length;
	const packed = secrets.length < rowSpace;
	const keys = new Float64Array(count);
	const scores = packed ? undefined : new Float64Array(secrets.length);
	let matched = 0;
	for (let at = 0; at < count; at++) {
		const row = candidates ? candidates[at]! : at;
		const score = scoreTexts(terms, list[row]!);
		if (score === -1) {
			continue;
		}

		keys[matched++] = packed ? score * rowSpace + row : row;
		if (scores) {
			scores[row] = score;
		}
	}

	const ranked = keys.subarray(0, matched);
	if (scores) {
		ranked.sort((a, b) => scores[a]! - scores[b]! || a - b);
		return Uint32Array.from(ranked);
	}

	ranked.sort();
	// A plain loop: Uint32Array.from with a mapping function was most of a keystroke at 100,000.
	const rows = new Uint32Array(matched);
	for (let at = 0; at < matched; at++) {
		rows[at] = ranked[at]! % rowSpace;
	}

	return rows;
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
		const rows = rankRows(secrets, narrows ? last!.rows.toSorted() : undefined, terms);
		last = {secrets, query, rows};
		return rowsToSecrets(secrets, rows);
	};
}
