/**
 * The filter's ranking at sizes where it sorts by radix (thousands of matches) and narrows by
 * marking rows: the same order as sorting every match by (score, position), checked against that
 * reference; and the character-set pre-check never refuses a match it should keep.
 */
import assert from 'node:assert/strict';
import {test} from 'node:test';
import {benchSummaries} from '../bench/groups/filter.js';
import {queryTerms, rankSecrets, rankedFilter, secretScore} from '../source/tui/state/filter.js';
import {sortSecrets} from '../source/tui/state/list-view.js';
import type {SecretSummary} from '../source/vault/model.js';
import {summaryOf} from './helpers/summaries.js';

/** Every match, by score then by its place in the list: what the ranking must equal. */
function reference(secrets: readonly SecretSummary[], query: string): string[] {
	const terms = queryTerms(query);
	return secrets
		.map((secret, index) => ({secret, index, score: secretScore(terms, secret)}))
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
