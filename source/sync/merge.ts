import type {SealedMeta} from '../vault/records.js';

/**
 * Three-way merge of one secret: base (the copy both sides last agreed on), local and remote.
 * A field or key changed on one side only takes that side's change; changed on both sides to the
 * same thing is no conflict; changed differently is. Edit against delete is always a conflict
 * (unless the edited side did not really change). With `prefer`, conflicts resolve to that side.
 */

export type Plain = {meta: SealedMeta; values: Map<string, string> | null};

export type MergeResult = {result: Plain; conflicts: string[]};

/** The metadata fields users edit: merged field by field, and shown side by side in a conflict. */
export const metaFields = ['name', 'private', 'type', 'description', 'integration', 'writeOnly', 'expiresAt'] as const;

function sameMeta(a: SealedMeta, b: SealedMeta): boolean {
	return metaFields.every(field => a[field] === b[field]);
}

/** Same secret content: metadata that users edit, and every key and value. Timestamps aside. */
export function sameContent(a: Plain, b: Plain): boolean {
	if ((a.values === null) !== (b.values === null) || !sameMeta(a.meta, b.meta)) {
		return false;
	}

	if (a.values === null || b.values === null) {
		return true;
	}

	if (a.values.size !== b.values.size) {
		return false;
	}

	for (const [key, value] of a.values) {
		if (b.values.get(key) !== value) {
			return false;
		}
	}

	return true;
}

export type Side = 'local' | 'remote';

/** Which side wins a conflict: one side for all, or per conflict label (`key NAME`, a field name, …). */
export type Prefer = Side | ((label: string) => Side | undefined);

export function merge(base: Plain | null, local: Plain, remote: Plain, preferred?: Prefer): MergeResult {
	const choose = (label: string): Side | undefined => (typeof preferred === 'function' ? preferred(label) : preferred);
	const localDeleted = local.values === null;
	const remoteDeleted = remote.values === null;
	if (localDeleted && remoteDeleted) {
		return {result: remote, conflicts: []};
	}

	if (localDeleted || remoteDeleted) {
		const live = localDeleted ? remote : local;
		if (base && base.values !== null && sameContent(base, live)) {
			// The live side did not change since the base: the delete wins without a conflict.
			return {result: localDeleted ? local : remote, conflicts: []};
		}

		const label = localDeleted ? 'deleted here, edited on the server' : 'edited here, deleted on the server';
		return {result: choose(label) === 'remote' ? remote : local, conflicts: [label]};
	}

	const b = base && base.values !== null ? base : null;
	const conflicts: string[] = [];
	const pick = <T>(baseValue: T | undefined, localValue: T | undefined, remoteValue: T | undefined, label: string): T | undefined => {
		if (localValue === remoteValue) {
			return localValue;
		}

		if (b && localValue === baseValue) {
			return remoteValue;
		}

		if (b && remoteValue === baseValue) {
			return localValue;
		}

		conflicts.push(label);
		return choose(label) === 'remote' ? remoteValue : localValue;
	};

	const meta: SealedMeta = {...local.meta};
	for (const field of metaFields) {
		(meta as Record<string, unknown>)[field] = pick<unknown>(b?.meta[field], local.meta[field], remote.meta[field], field);
	}

	const values = new Map<string, string>();
	const keys = [...new Set([...local.values!.keys(), ...remote.values!.keys()])];
	for (const key of keys) {
		const value = pick(b?.values!.get(key), local.values!.get(key), remote.values!.get(key), `key ${key}`);
		if (value !== undefined) {
			values.set(key, value);
		}
	}

	if (values.size === 0) {
		conflicts.push('every key removed');
		return {result: choose('every key removed') === 'remote' ? remote : local, conflicts};
	}

	meta.keys = [...values.keys()];
	meta.updatedAt = local.meta.updatedAt > remote.meta.updatedAt ? local.meta.updatedAt : remote.meta.updatedAt;
	meta.createdAt = local.meta.createdAt < remote.meta.createdAt ? local.meta.createdAt : remote.meta.createdAt;
	delete meta.deletedAt;
	return {result: {meta, values}, conflicts};
}
