import {performance} from 'node:perf_hooks';
import {summarize} from '../measure.js';
import type {BenchGroup, InProcessResult} from '../types.js';
import {keystrokesToFrame} from './filter-frames.js';
import {listViewer, sortSecrets} from '../../source/tui/state/list-view.js';
import {prepareFilter} from '../../source/tui/state/filter.js';
import type {SecretSummary} from '../../source/vault/model.js';

/**
 * The TUI's `/` filter alone, in process: each keystroke of a few typed queries, the way the
 * screen asks for it (the list viewer: sorted once, then filtered and ranked for the new query),
 * over 10,000 and 100,000 secrets. No terminal, so the figure is the filter's own cost. Then the
 * same keystrokes through the whole TUI in process, to the frame that shows their result
 * (filter-frames.ts); the tui group measures a keystroke through tmux.
 */
const sizes = [10_000, 100_000] as const;

const services = ['github', 'gitlab', 'stripe', 'openai', 'anthropic', 'aws', 'gcp', 'azure', 'postgres', 'redis', 'sentry', 'datadog', 'slack', 'twilio', 'sendgrid', 'cloudflare', 'vercel', 'netlify', 'heroku', 'docker'];
const environments = ['prod', 'staging', 'dev', 'test', 'ci', 'eu', 'us', 'local'];
const suffixes = ['api', 'token', 'db', 'deploy', 'webhook', 'admin', 'readonly', 'backup', 'billing', 'metrics'];
const keyNames = ['TOKEN', 'API_KEY', 'SECRET', 'PASSWORD', 'USERNAME', 'HOST', 'DATABASE_URL', 'CLIENT_ID', 'CLIENT_SECRET', 'WEBHOOK_SECRET'];

/** mulberry32: a reproducible mix, nothing secret. */
function seeded(seed: number): () => number {
	let state = seed >>> 0;
	return () => {
		state = (state + 0x6d_2b_79_f5) >>> 0;
		let value = state;
		value = Math.imul(value ^ (value >>> 15), value | 1);
		value ^= value + Math.imul(value ^ (value >>> 7), value | 61);
		return ((value ^ (value >>> 14)) >>> 0) / 4_294_967_296;
	};
}

/** Summaries shaped like a real vault's: service-env-purpose names, keys, integration, description. */
export function benchSummaries(size: number): SecretSummary[] {
	const random = seeded(0x46_49_4c_54 ^ size);
	const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
	const secrets: SecretSummary[] = [];
	for (let index = 0; index < size; index++) {
		const service = pick(services);
		const name = `${service}-${pick(environments)}-${pick(suffixes)}-${index.toString(36)}`;
		const prefix = service.toUpperCase();
		secrets.push({
			id: `id-${index}`,
			name,
			private: random() < 0.3,
			type: 'generic',
			description: random() < 0.5 ? `${pick(suffixes)} access for the ${pick(environments)} ${service} account` : '',
			integration: random() < 0.4 ? service : '',
			writeOnly: false,
			keys: [`${prefix}_${pick(keyNames)}`, ...(random() < 0.5 ? [`${prefix}_${pick(keyNames)}`] : [])],
			createdAt: '2026-01-01T00:00:00.000Z',
			createdBy: 'bench',
			createdByAgent: false,
			updatedAt: '2026-01-01T00:00:00.000Z',
			lastUsedAt: null,
			expiresAt: null,
		});
	}

	return secrets;
}

/** What people type: a name, a fuzzy abbreviation, two terms, a key name, a miss. */
export const typedQueries = ['github', 'stripe prod', 'ghtok', 'str', 'DATABASE', 'zzqx'] as const;

/** Milliseconds for each keystroke of each query, typed one character at a time after `/`. */
export function keystrokeTimes(secrets: readonly SecretSummary[], rounds: number): number[] {
	const samples: number[] = [];
	// One viewer, as on screen: Esc empties the query between queries, the sorted list (and its
	// search texts) is kept.
	const view = listViewer();
	for (let round = 0; round < rounds; round++) {
		for (const query of typedQueries) {
			view(secrets, 'name', '');
			for (let length = 1; length <= query.length; length++) {
				const started = performance.now();
				view(secrets, 'name', query.slice(0, length));
				samples.push(performance.now() - started);
			}
		}
	}

	return samples;
}

export const filterGroup: BenchGroup = {
	name: 'filter',
	description: 'the TUI filter in process: one keystroke ranked, and one keystroke to its frame (React and Ink), at 10,000 and 100,000 secrets',
	vaults: sizes,
	async run(context) {
		const results: InProcessResult[] = [];
		for (const size of sizes) {
			const secrets = sortSecrets(benchSummaries(size), 'name');
			prepareFilter(secrets);
			keystrokeTimes(secrets, 1);
			const rounds = size >= 100_000 ? 2 : Math.max(3, Math.min(context.runs.slow, 10));
			const timing = summarize(keystrokeTimes(secrets, rounds));
			const label = `TUI filter keystroke (rank and sort), ${size.toLocaleString('en-US')} secrets${size === 10_000 ? '; goal ≤ 16 ms' : ''}`;
			results.push({id: `filter-keystroke@${size}`, group: 'filter', label, timing});
			context.log(`${label}: median ${timing.median.toFixed(2)} ms, p90 ${timing.p90.toFixed(2)} ms`);
		}

		for (const size of sizes) {
			const rounds = size >= 100_000 ? 1 : Math.max(2, Math.min(context.runs.slow, 5));
			const timing = summarize(await keystrokesToFrame(context.vault(size), typedQueries, rounds));
			const label = `TUI filter keystroke to its frame (React and Ink, in process), ${size.toLocaleString('en-US')} secrets; goal p90 ≤ ${size === 10_000 ? 16 : 50} ms`;
			results.push({id: `filter-frame@${size}`, group: 'filter', label, timing});
			context.log(`${label}: median ${timing.median.toFixed(2)} ms, p90 ${timing.p90.toFixed(2)} ms`);
		}

		return {inProcess: results};
	},
};
