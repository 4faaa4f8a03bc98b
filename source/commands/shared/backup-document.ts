import {InvalidInputError} from '../../errors.js';
import type {SecretSummary, SecretType} from '../../vault/model.js';
import type {NewSecret} from '../../vault/secret-writes.js';

/**
 * The document `hush export --all --format json` writes and `hush import json` reads: every
 * secret with its values and metadata, for backups and moving machines. Versioned, so a later hush
 * can read an older backup and an older hush refuses a newer one instead of guessing.
 */
export const backupFormat = 'hush-export';
export const backupVersion = 1;

export type BackupSecret = {
	name: string;
	private: boolean;
	type: string;
	description: string;
	integration: string;
	writeOnly: boolean;
	expiresAt: string | null;
	createdAt: string;
	createdBy: string;
	createdByAgent: boolean;
	updatedAt: string;
	values: Record<string, string>;
};

export type BackupDocument = {
	format: typeof backupFormat;
	version: typeof backupVersion;
	exportedAt: string;
	includesWriteOnly: boolean;
	secrets: BackupSecret[];
	/** Write-only secrets left out (no --include-write-only): named, so a restore knows what is missing. */
	leftOut: Array<{name: string; private: boolean; reason: 'write-only'}>;
};

export function backupSecret(summary: SecretSummary, values: Record<string, string>): BackupSecret {
	return {
		name: summary.name,
		private: summary.private,
		type: summary.type,
		description: summary.description,
		integration: summary.integration,
		writeOnly: summary.writeOnly,
		expiresAt: summary.expiresAt,
		createdAt: summary.createdAt,
		createdBy: summary.createdBy,
		createdByAgent: summary.createdByAgent,
		updatedAt: summary.updatedAt,
		values,
	};
}

export type ParsedBackup = {secrets: NewSecret[]; labels: string[]; leftOut: number};

/** Checks the document's shape; names the secret (by position and name) that is wrong, never a value. */
export function parseBackup(document: unknown, source: string): ParsedBackup {
	const top = record(document) ?? fail(`${source}: not a hush export (expected an object from hush export --all --format json)`);
	if (top['format'] !== backupFormat) {
		fail(`${source}: not a hush export (its "format" is not "${backupFormat}")`);
	}

	if (top['version'] !== backupVersion) {
		fail(`${source}: export version ${JSON.stringify(top['version'])} is not one this hush reads (it reads version ${backupVersion}): update hush`);
	}

	const list = Array.isArray(top['secrets']) ? (top['secrets'] as unknown[]) : fail(`${source}: "secrets" must be a list`);
	const labels: string[] = [];
	const secrets = list.map((item, index) => {
		const fields = record(item);
		const name = typeof fields?.['name'] === 'string' ? fields['name'] : undefined;
		const label = `${source}: secret ${index + 1}${name === undefined ? '' : ` (${JSON.stringify(name.slice(0, 60))})`}`;
		labels.push(label);
		return backupEntry(fields, name, label);
	});
	const leftOut = Array.isArray(top['leftOut']) ? top['leftOut'].length : 0;
	return {secrets, labels, leftOut};
}

function backupEntry(fields: Record<string, unknown> | undefined, name: string | undefined, label: string): NewSecret {
	if (fields === undefined || name === undefined) {
		fail(`${label}: expected an object with a "name"`);
	}

	const text = (field: string): string => (typeof fields![field] === 'string' ? (fields![field] as string) : fail(`${label}: "${field}" must be text`));
	const flag = (field: string): boolean => (typeof fields![field] === 'boolean' ? (fields![field] as boolean) : fail(`${label}: "${field}" must be true or false`));
	const values = record(fields!['values']) ?? fail(`${label}: "values" must be an object of KEY: value`);
	for (const [key, value] of Object.entries(values)) {
		if (typeof value !== 'string') {
			fail(`${label}: the value of ${key.slice(0, 60)} must be text`);
		}
	}

	const expiresAt = fields!['expiresAt'] ?? null;
	if (expiresAt !== null && typeof expiresAt !== 'string') {
		fail(`${label}: "expiresAt" must be a date or null`);
	}

	return {
		name: name!,
		values: values as Record<string, string>,
		options: {
			private: flag('private'),
			// Checked with every other field by the vault's validators before anything is written.
			type: text('type') as SecretType,
			description: text('description'),
			integration: text('integration'),
			writeOnly: flag('writeOnly'),
			expiresAt: expiresAt as string | null,
			...(fields!['createdByAgent'] === true ? {createdByAgent: true} : {}),
		},
		history: {createdAt: text('createdAt'), createdBy: text('createdBy'), updatedAt: text('updatedAt')},
	};
}

function record(value: unknown): Record<string, unknown> | undefined {
	return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

function fail(message: string): never {
	throw new InvalidInputError(message);
}
