/** The `/` filter's query, split into terms, and the numbers a match scores by (the ranks are described in filter.ts). */

/** The distance between two ranks: a rank's position within it (how far in a match starts, how wide it spreads) stays below it. */
export const tier = 1_000_000;

// Scores are whole numbers below 2^31, so they sort as unsigned 32-bit keys.
export const maxScore = 2 ** 31 - 1;

/**
 * A bit per ASCII character, after lower-casing: a term with a character its secret lacks is
 * refused without searching any text (most secrets, for most queries). Only ASCII counts:
 * lower-casing other characters can depend on their neighbours, and a bit must never refuse a match.
 */
export function asciiMask(lowered: string): [number, number] {
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

/** One term of a query: smart case (a capital anywhere makes it match case exactly), with its lower-cased characters as a set. */
export type Term = {text: string; exact: boolean; maskLow: number; maskHigh: number};

/** The terms of a query, split on whitespace: no term holds a space or a line break, which the search index relies on. */
export function queryTerms(query: string): Term[] {
	return query
		.split(/\s+/)
		.filter(term => term !== '')
		.map(text => {
			const [maskLow, maskHigh] = asciiMask(text.toLowerCase());
			return {text, exact: text !== text.toLowerCase(), maskLow, maskHigh};
		});
}

/** Whether the character before a match starts a word: - _ . / : @ or a space (by code: no one-character strings made per secret). */
export function isBoundary(code: number): boolean {
	return code === 0x2d || code === 0x5f || code === 0x2e || code === 0x2f || code === 0x3a || code === 0x20 || code === 0x40;
}
