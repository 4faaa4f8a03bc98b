/**
 * The filter's ranking at sizes where it sorts by radix (thousands of matches) and narrows by
 * marking rows: the same order as sorting every match by (score, position), checked against that
 * reference; and the character-set pre-check never refuses a match it should keep.
 */
import assert from 'node:assert/strict';
import {test} from 'node:test';
import {benchSummaries} from '../bench/groups/filter.js';
import {queryTerms, rankSecrets, rankedFilter} from '../source/tui/state/filter.js';
import {sortSecrets} from '../source/tui/state/list-view.js';
import type {SecretSummary} from '../source/vault/model.js';
import {referenceScore} from './helpers/filter-reference.js';
import {summaryOf} from './helpers/summaries.js';

/** Every match, by score then by its place in the list: what the ranking must equal. */
function reference(secrets: readonly SecretSummary[], query: string): string[] {
	const terms = queryTerms(query);
	return secrets
		.map((secret, index) => ({secret, index, score: referenceScore(terms, secret)}))
		.filter(entry => entry.score !== -1)
		.sort((a, b) => a.score - b.score || a.index - b.index)
		.map(entry => entry.secret.id);
}

test('ranking 20,000 secrets: each keystroke of each query in the reference order, narrowed or not', () => {
	const secrets = sortSecrets(benchSummaries(20_000), 'name');
	for (const query of ['s', 'st', 'str', 'stripe p', 'g', 'gh', 'ghtok', 'DATABASE', 'zzqx']) {
		const expected = reference(secrets, query);
		assert.deepEqual(
			rankSecrets(secrets, query).map(secret => secret.id),
			expected,
			query,
		);
	}

	const typed = rankedFilter();
	for (const query of ['s', 'st', 'str', 'stri', 'strip', 'stripe', 'stripe ', 'stripe p']) {
		assert.deepEqual(
			typed(secrets, query).map(secret => secret.id),
			reference(secrets, query),
			`typed: ${query}`,
		);
	}

	assert.ok(reference(secrets, 's').length > 4096, 'enough matches for the radix sort');
});

test('the character pre-check keeps matches whose lower-casing is not ASCII-simple', () => {
	const secrets = [summaryOf('ΟΔΥΣΣΕΥΣ-token'), summaryOf('\u212Aelvin-db'), summaryOf('plain-db', {description: 'İstanbul office'})];
	assert.deepEqual(rankSecrets(secrets, 'ΣΣ').map(secret => secret.name), ['ΟΔΥΣΣΕΥΣ-token']);
	assert.deepEqual(rankSecrets(secrets, 'kelvin').map(secret => secret.name), ['\u212Aelvin-db']);
	assert.deepEqual(rankSecrets(secrets, 'istanbul').map(secret => secret.name), ['plain-db']);
	assert.deepEqual(rankSecrets(secrets, 'DB').map(secret => secret.name), [], 'a capital matches case exactly');
});

/** A small alphabet, so that every rank turns up: whole names, starts, words, spreads, and matches in the keys or the description only. */
function randomList(random: () => number, size: number): SecretSummary[] {
	const word = (length: number, letters: string) => Array.from({length}, () => letters[Math.floor(random() * letters.length)]).join('');
	return Array.from({length: size}, (_, index) =>
		summaryOf(`${word(1 + Math.floor(random() * 6), 'abcAB-_.İ')}${index % 7 === 0 ? '' : `-${index}`}`, {
			id: `id-${index}`,
			keys: [word(1 + Math.floor(random() * 4), 'ABCabc_')],
			integration: random() < 0.3 ? word(3, 'abc') : '',
			// Line breaks (rows are joined by them in the index) and characters whose lower case is longer (İ is two code units lower-cased).
			description: random() < 0.5 ? word(Math.floor(random() * 12), 'abcİ\n -') : '',
		}),
	);
}

function seededRandom(seed: number): () => number {
	let state = seed;
	return () => {
		state = (Math.imul(state, 1_103_515_245) + 12_345) >>> 0;
		return state / 2 ** 32;
	};
}

test('the search index ranks random lists exactly as the plain score of each secret does', () => {
	const random = seededRandom(7);
	for (let list = 0; list < 20; list++) {
		const secrets = sortSecrets(randomList(random, 400), 'name');
		for (let query = 0; query < 40; query++) {
			const terms = Array.from({length: 1 + Math.floor(random() * 2)}, () =>
				Array.from({length: 1 + Math.floor(random() * 3)}, () => 'abcAB-_i̇İ'[Math.floor(random() * 10)]).join(''),
			);
			const text = terms.join(' ');
			assert.deepEqual(rankSecrets(secrets, text).map(secret => secret.id), reference(secrets, text), JSON.stringify(text));
		}
	}
});

test('a match never runs from one secret into the next, whatever the line breaks in a description', () => {
	const secrets = [
		summaryOf('a-x', {keys: ['K'], description: 'ends with p\n'}),
		summaryOf('q-b', {keys: ['K'], description: 'İİİ then\nzeta'}),
		summaryOf('zeta', {keys: ['K']}),
	];
	assert.deepEqual(rankSecrets(secrets, 'xq').map(secret => secret.name), [], 'x in one name, q in the next');
	assert.deepEqual(rankSecrets(secrets, 'pq').map(secret => secret.name), [], 'p ending a description, q starting the next name');
	assert.deepEqual(rankSecrets(secrets, 'zeta').map(secret => secret.name), ['zeta', 'q-b'], 'the whole name first, though a longer lower case came before it');
	assert.deepEqual(rankSecrets(secrets, 'then zeta').map(secret => secret.name), ['q-b'], 'a line break in a description separates words, as a space does');
});
