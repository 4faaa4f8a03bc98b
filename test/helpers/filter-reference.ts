/**
 * The `/` filter's score for one secret, written the plain way: one string per field, no search
 * index, no remembered places, no character sets. The ranking (source/tui/state/filter-index.ts)
 * must order every list exactly as sorting by this score does.
 */
import {type Term, isBoundary, maxScore, tier} from '../../source/tui/state/filter-terms.js';
import type {SecretSummary} from '../../source/vault/model.js';

/**
 * How widely `term` spreads over `text`, as fzf measures it: each character taken at its first
 * place after the one before, then back from the last to the latest start. -1 when the
 * characters are not all there in order.
 */
function spreadWidth(term: string, text: string): number {
	let found = 0;
	let end = 0;
	for (; end < text.length && found < term.length; end++) {
		if (text[end] === term[found]) {
			found++;
		}
	}

	if (found < term.length) {
		return -1;
	}

	let start = end - 1;
	for (let index = term.length - 2; index >= 0; index--) {
		start--;
		while (text[start] !== term[index]) {
			start--;
		}
	}

	return end - start;
}

function termScore(term: Term, secret: SecretSummary): number {
	const fold = (text: string) => (term.exact ? text : text.toLowerCase());
	// A line break anywhere counts as a space.
	const rest = `${secret.keys.join(' ')} ${secret.integration} ${secret.description}`.replaceAll('\n', ' ');
	const name = fold(secret.name.replaceAll('\n', ' '));
	const {text} = term;
	const at = name.indexOf(text);
	if (at === 0) {
		return name === text ? 0 : tier;
	}

	if (at > 0) {
		return isBoundary(name.charCodeAt(at - 1)) ? 2 * tier + at : 3 * tier + at;
	}

	const width = spreadWidth(text, name);
	if (width !== -1) {
		return 4 * tier + width;
	}

	const restAt = fold(rest).indexOf(text);
	if (restAt !== -1) {
		return 5 * tier + Math.min(restAt, tier - 1);
	}

	return spreadWidth(text, `${name} ${fold(rest)}`) === -1 ? -1 : 6 * tier;
}

/** A secret's score for all the terms (lower is better), or -1 when a term does not match. */
export function referenceScore(terms: readonly Term[], secret: SecretSummary): number {
	let total = 0;
	for (const term of terms) {
		const score = termScore(term, secret);
		if (score === -1) {
			return -1;
		}

		total += score;
	}

	return Math.min(total, maxScore);
}
