import type {VaultCore} from './core.js';
import type {SecretSummary, SecretValues} from './model.js';
import type {ListedMeta} from './pages.js';
import type {ListFilter} from './options.js';
import type {SealedMeta, ValueBuffers} from './records.js';

/** Turning sealed metadata into what callers see, filtering and sorting lists, and value buffers. */

export function toSummary(id: string, meta: SealedMeta, lastUsedAt: string | null): SecretSummary {
	return {
		id,
		name: meta.name,
		private: meta.private,
		type: meta.type,
		description: meta.description,
		integration: meta.integration,
		writeOnly: meta.writeOnly,
		keys: [...meta.keys],
		createdAt: meta.createdAt,
		createdBy: meta.createdBy,
		createdByAgent: meta.createdByAgent === true,
		updatedAt: meta.updatedAt,
		lastUsedAt,
		expiresAt: meta.expiresAt,
	};
}

/**
 * Every live secret's metadata, read from the sealed pages (tens of AEAD opens, not one a record)
 * and checked against the rows; pages found out of date are re-sealed afterwards.
 */
export function listedMetas<T = ListedMeta>(core: VaultCore, convert?: (id: string, meta: SealedMeta) => T): T[] {
	// One read transaction: the rows, the pages and the bucket MACs they are bound to from one committed state.
	const {metas, stale} = core.inReadTransaction(() => core.pages.list(convert));
	core.repairPages(stale);
	return metas;
}

export function matchesFilter(summary: SecretSummary, filter: ListFilter): boolean {
	return (
		(filter.type === undefined || summary.type === filter.type) &&
		(filter.integration === undefined || summary.integration === filter.integration) &&
		(filter.private === undefined || summary.private === filter.private)
	);
}

export const comparators: Record<NonNullable<ListFilter['sort']>, (a: SecretSummary, b: SecretSummary) => number> = {
	name: (a, b) => compareText(a.name, b.name) || Number(b.private) - Number(a.private),
	updated: (a, b) => compareText(b.updatedAt, a.updatedAt) || compareText(a.name, b.name),
	used: (a, b) => compareText(b.lastUsedAt ?? '', a.lastUsedAt ?? '') || compareText(a.name, b.name),
};

function compareText(a: string, b: string): number {
	return a < b ? -1 : a > b ? 1 : 0;
}

export function toBuffers(values: SecretValues): ValueBuffers {
	return new Map(Object.entries(values).map(([key, value]) => [key, Buffer.from(value, 'utf8')]));
}

export function wipeAll(values: ValueBuffers): void {
	for (const value of values.values()) {
		value.fill(0);
	}
}
