import type {SecretSummary} from '../../source/vault/model.js';

/** A secret's summary as the TUI's reducers receive it, with plain defaults; `extra` overrides any field. */
export function summaryOf(name: string, extra: Partial<SecretSummary> = {}): SecretSummary {
	return {
		id: `id-${name}`,
		name,
		private: false,
		type: 'generic',
		description: '',
		integration: '',
		writeOnly: false,
		keys: ['VALUE'],
		createdAt: '2026-01-01T00:00:00.000Z',
		createdBy: 'test',
		createdByAgent: false,
		updatedAt: '2026-01-01T00:00:00.000Z',
		lastUsedAt: null,
		expiresAt: null,
		...extra,
	};
}
