import type {SecretSummary} from '../../vault/model.js';

/** How the `/` filter scores one secret against a query (the ranks are described in filter.ts). */

const tier = 1_000_000;

/** The texts one secret is searched by, made once per secret, with the ASCII characters of `all` as a 64-bit set in two words. */
export type Texts = {name: string; lowerName: string; rest: string; lowerRest: string; all: string; lowerAll: string; maskLow: number; maskHigh: number};

/**
 * A bit per ASCII character, after lower-casing: a term with a character its secret lacks is
 * refused without searching any text (most secrets, for most queries). Only ASCII counts:
 * lower-casing other characters can depend on their neighbours, and a bit must never refuse a match.
 */
function asciiMask(lowered: string): [number, number] {
	let low = 0;
	let high = 0;
	for (let at = 0; at < lowered.length; at++) {
		const code = lowered.charCodeAt(at);
		if (code >= 0x80) {
			continue;
		}

		const bit = code >= 0x61 && code <= 0x7a ? code - 0x61 : code >= 0x30 && code <= 0x39 ? code - 0x30 + 26 : 36 + (code % 28);
		if (bit < 32) {
			low |= 1 << bit;
		} else {
			high |= 1 << (bit - 32);
		}
	}

	return [low, high];
}

const textsOf = new WeakMap<SecretSummary, Texts>();

export function texts(secret: SecretSummary): Texts {
	let found = textsOf.get(secret);
	if (found === undefined) {
		const rest = `${secret.keys.join(' ')} ${secret.integration} ${secret.description}`;
		const all = `${secret.name} ${rest}`;
		const lowerAll = all.toLowerCase();
		const [maskLow, maskHigh] = asciiMask(lowerAll);
		found = {name: secret.name, lowerName: secret.name.toLowerCase(), rest, lowerRest: rest.toLowerCase(), all, lowerAll, maskLow, maskHigh};
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

export type Term = {text: string; exact: boolean; maskLow: number; maskHigh: number};

export function queryTerms(query: string): Term[] {
	return query
		.split(' ')
		.filter(term => term !== '')
		.map(text => {
			const [maskLow, maskHigh] = asciiMask(text.toLowerCase());
			return {text, exact: text !== text.toLowerCase(), maskLow, maskHigh};
		});
}

/** Whether the character before a match starts a word: - _ . / : @ or a space (by code: no one-character strings made per secret). */
function isBoundary(code: number): boolean {
	return code === 0x2d || code === 0x5f || code === 0x2e || code === 0x2f || code === 0x3a || code === 0x20 || code === 0x40;
}

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

/** A term's score against a secret (lower is better), or -1 when its characters are nowhere in order. */
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
		return isBoundary(name.charCodeAt(at - 1)) ? 2 * tier + at : 3 * tier + at;
	}

	const span = subsequenceSpan(text, name);
	if (span !== -1) {
		return 4 * tier + span;
	}

	const restAt = (term.exact ? found.rest : found.lowerRest).indexOf(text);
	if (restAt !== -1) {
		return 5 * tier + Math.min(restAt, tier - 1);
	}

	return isSubsequence(text, term.exact ? found.all : found.lowerAll) ? 6 * tier : -1;
}

/**
 * A secret's score for all the terms (lower is better), or -1 when a term does not match. The
 * character sets first (no text searched for most misses), then each term's score, which looks
 * at the name first: a match there needs no search of the longer texts.
 */
export function scoreTexts(terms: readonly Term[], found: Texts): number {
	for (const term of terms) {
		if ((term.maskLow & ~found.maskLow) !== 0 || (term.maskHigh & ~found.maskHigh) !== 0) {
			return -1;
		}
	}

	let total = 0;
	for (const term of terms) {
		const score = termScore(term, found);
		if (score === -1) {
			return -1;
		}

		total += score;
	}

	return Math.min(total, maxScore);
}

export function secretScore(terms: readonly Term[], secret: SecretSummary): number {
	return scoreTexts(terms, texts(secret));
}

// Scores are whole numbers below 2^31, so they sort as unsigned 32-bit keys.
export const maxScore = 2 ** 31 - 1;
