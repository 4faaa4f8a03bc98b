import {randomUUID} from 'node:crypto';
import {lastUseOfRecord} from './audit.js';
import {HushError, InvalidInputError, KeyNotFoundError} from '../errors.js';
import type {VaultCore} from './core.js';
import {assertNameFree, assertNameFreeForAgent, assertNotShadowedByAgent, findSecret} from './lookup.js';
import {isTeamSealed} from './key-generation.js';
import {assertMayTakePrivate} from './team-guard.js';
import {type SecretSummary, type SecretValues, assertPrintableText, assertValidMetadata, assertValidName, assertValidValues} from './model.js';
import type {CreateSecretOptions, SecretChanges} from './options.js';
import type {RecordRow, SealedMeta} from './records.js';
import {toBuffers, toSummary, wipeAll} from './summary.js';

/**
 * The writes behind create, update, rename and delete. Each runs inside the caller's write
 * transaction, seals a new revision and appends its audit entry.
 */

/** When and by whom a secret was made and last changed, kept when a backup is imported (hush import json). */
export type SecretHistory = {createdAt: string; createdBy: string; updatedAt: string};

export type NewSecret = {name: string; values: SecretValues; options?: CreateSecretOptions; history?: SecretHistory};

/** Checks every new secret before the transaction starts, so a bad one costs no write at all. */
export function assertNewSecrets(entries: readonly NewSecret[]): void {
	for (const {name, values, options = {}, history} of entries) {
		assertValidName(name);
		assertValidValues(values);
		assertValidMetadata(options);
		if (Object.keys(values).length === 0) {
			throw new InvalidInputError(`secret ${name} needs at least one value`);
		}

		if (history !== undefined) {
			for (const field of ['createdAt', 'updatedAt'] as const) {
				assertPrintableText(field, history[field]);
				if (Number.isNaN(Date.parse(history[field]))) {
					throw new InvalidInputError(`secret ${name}: ${field} is not a date`);
				}
			}

			assertPrintableText('createdBy', history.createdBy);
		}
	}
}

/**
 * The bulk path (create, hush import): every secret in the caller's one transaction, through
 * {@link insertSecret}, so a clash on the last one rolls back the first. `onProgress` hears the
 * count after each.
 */
export function insertSecrets(core: VaultCore, entries: readonly NewSecret[], onProgress?: (done: number) => void): SecretSummary[] {
	return entries.map(({name, values, options = {}, history}, index) => {
		const summary = insertSecret(core, name, values, options, history);
		onProgress?.(index + 1);
		return summary;
	});
}

export function insertSecret(core: VaultCore, name: string, values: SecretValues, options: CreateSecretOptions, history?: SecretHistory): SecretSummary {
	const isPrivate = options.private ?? false;
	const nameMac = core.keys.nameMac(isPrivate, name);
	assertNameFree(core, nameMac, name, isPrivate, null);
	if (options.createdByAgent === true) {
		assertNameFreeForAgent(core, name, !isPrivate);
	} else {
		assertNotShadowedByAgent(core, name, isPrivate, null);
	}

	const now = core.now();
	const meta: SealedMeta = {
		name,
		private: isPrivate,
		type: options.type ?? 'generic',
		description: options.description ?? '',
		integration: options.integration ?? '',
		writeOnly: options.writeOnly ?? false,
		keys: Object.keys(values),
		createdAt: history?.createdAt ?? now,
		createdBy: history?.createdBy ?? core.actor,
		updatedAt: history?.updatedAt ?? now,
		updatedBy: core.actor,
		expiresAt: options.expiresAt ?? null,
		...(options.createdByAgent === true ? {createdByAgent: true as const} : {}),
	};
	const id = randomUUID();
	const buffers = toBuffers(values);
	try {
		core.codec.write(core.db, {id, nameMac, revision: 1, keyGeneration: core.sealingGeneration(meta.private), meta, values: buffers});
	} finally {
		wipeAll(buffers);
	}

	core.audit('create', id, now);
	return toSummary(id, meta, null);
}

/**
 * `refuseUnchanged`: when no value actually changes, throw a HushError with this message instead of
 * writing (a rotation to the same value): inside the caller's transaction, so nothing is written
 * and nothing is logged.
 */
/** The upsert under {@link Vault.setSecret}, inside the caller's write transaction. */
export function upsertSecret(core: VaultCore, name: string, values: SecretValues, options: CreateSecretOptions): {secret: SecretSummary; created: boolean} {
	const found = (options.private === undefined ? undefined : findSecret(core, name, options)) ?? findSecret(core, name, {});
	if (found) {
		const {private: _visibility, ...metadata} = options;
		return {secret: applyChanges(core, found.row, found.meta, {...metadata, values}), created: false};
	}

	// A lookup that found nothing, as a get's miss: a row removed from the file must not read as a
	// free name, or `set` would quietly make a new secret of the given keys where the user meant an update.
	core.verifyRollback();
	if (Object.keys(values).length === 0) {
		throw new InvalidInputError(`secret ${name} does not exist yet and needs at least one value`);
	}

	return {secret: insertSecret(core, name, values, options), created: true};
}

export function applyChanges(core: VaultCore, row: RecordRow, meta: SealedMeta, changes: SecretChanges, refuseUnchanged?: string): SecretSummary {
	if (changes.private === true && !meta.private && isTeamSealed(row.key_generation)) {
		assertMayTakePrivate(core, meta);
	}

	const given = changes.values ?? {};
	const remove = changes.remove ?? [];
	for (const key of remove) {
		if (key in given) {
			throw new InvalidInputError(`key ${key} is both set and removed`);
		}

		if (!meta.keys.includes(key)) {
			throw new KeyNotFoundError(`secret ${meta.name} has no key ${key} to remove (keys: ${meta.keys.join(', ')})`);
		}
	}

	if (meta.writeOnly && changes.writeOnly === false) {
		throw new InvalidInputError(`secret ${meta.name} is write-only, and that cannot be undone: create a new secret instead`);
	}

	const metadataChanged = (['type', 'description', 'integration', 'writeOnly', 'expiresAt'] as const).some(
		field => changes[field] !== undefined && changes[field] !== meta[field],
	);
	const visibilityChanged = changes.private !== undefined && changes.private !== meta.private;
	if (Object.keys(given).length === 0 && remove.length === 0 && !metadataChanged && !visibilityChanged) {
		throw new InvalidInputError(`nothing to change in secret ${meta.name}: give values, --remove, or metadata flags`);
	}

	const values = core.codec.openValues(row);
	try {
		let valuesChanged = remove.length > 0;
		for (const key of remove) {
			values.get(key)?.fill(0);
			values.delete(key);
		}

		for (const [key, value] of Object.entries(given)) {
			const next = Buffer.from(value, 'utf8');
			const previous = values.get(key);
			if (previous?.equals(next)) {
				next.fill(0);
				continue;
			}

			previous?.fill(0);
			values.set(key, next);
			valuesChanged = true;
		}

		if (values.size === 0) {
			throw new InvalidInputError(`removing every key would leave secret ${meta.name} empty: delete it instead`);
		}

		if (refuseUnchanged !== undefined && !valuesChanged) {
			throw new HushError(refuseUnchanged);
		}

		const isPrivate = changes.private ?? meta.private;
		const nameMac = core.keys.nameMac(isPrivate, meta.name);
		if (visibilityChanged) {
			assertNameFree(core, nameMac, meta.name, isPrivate, row.id);
			assertNotShadowedByAgent(core, meta.name, isPrivate, row.id);
		}

		const updated: SealedMeta = {
			...meta,
			private: isPrivate,
			type: changes.type ?? meta.type,
			description: changes.description ?? meta.description,
			integration: changes.integration ?? meta.integration,
			writeOnly: changes.writeOnly ?? meta.writeOnly,
			expiresAt: changes.expiresAt === undefined ? meta.expiresAt : changes.expiresAt,
			keys: [...values.keys()],
			updatedAt: valuesChanged ? core.now() : meta.updatedAt,
			updatedBy: core.actor,
		};
		core.codec.write(core.db, {id: row.id, nameMac, revision: row.revision + 1, keyGeneration: core.sealingGeneration(updated.private), meta: updated, values});
		core.audit('update', row.id);
		return toSummary(row.id, updated, lastUseOfRecord(core.db, row.id));
	} finally {
		wipeAll(values);
	}
}

export function renameRecord(core: VaultCore, row: RecordRow, meta: SealedMeta, newName: string): SecretSummary {
	if (meta.name === newName) {
		throw new InvalidInputError(`secret ${meta.name} already has that name`);
	}

	const nameMac = core.keys.nameMac(meta.private, newName);
	assertNameFree(core, nameMac, newName, meta.private, row.id);
	assertNotShadowedByAgent(core, newName, meta.private, row.id);
	const values = core.codec.openValues(row);
	try {
		const renamed: SealedMeta = {...meta, name: newName, updatedBy: core.actor};
		core.codec.write(core.db, {id: row.id, nameMac, revision: row.revision + 1, keyGeneration: core.sealingGeneration(renamed.private), meta: renamed, values});
		core.audit('rename', row.id);
		return toSummary(row.id, renamed, lastUseOfRecord(core.db, row.id));
	} finally {
		wipeAll(values);
	}
}

/** Replaces a secret with a tombstone: no values, no name MAC; the row and its revision stay for sync. */
export function deleteRecord(core: VaultCore, row: RecordRow, meta: SealedMeta): SecretSummary {
	const summary = toSummary(row.id, meta, lastUseOfRecord(core.db, row.id));
	const tombstone: SealedMeta = {...meta, deletedAt: core.now(), updatedBy: core.actor};
	core.codec.write(core.db, {id: row.id, nameMac: null, revision: row.revision + 1, keyGeneration: core.sealingGeneration(tombstone.private), meta: tombstone, values: null});
	core.audit('delete', row.id);
	return summary;
}
