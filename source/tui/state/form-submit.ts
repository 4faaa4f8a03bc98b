import {parseExpiry} from '../../commands/shared/secret-flags.js';
import {describeError} from '../../errors.js';
import {assertValidKey, assertValidMetadata, assertValidName, assertValidValue, type SecretValues} from '../../vault/model.js';
import type {CreateSecretOptions, SecretChanges} from '../../vault/vault.js';
import type {FieldId, FormState, KeyRow} from './form.js';

/** Where the form's values come from outside the form itself; injected so tests need no real files or keychain. */
export type ValueReaders = {
	env: NodeJS.ProcessEnv;
	readFile(path: string, purpose: string): string;
	readKeychain(service: string, account: string): Promise<string>;
};

export type Submission =
	| {kind: 'create'; name: string; values: SecretValues; options: CreateSecretOptions}
	| {kind: 'edit'; id: string; rename: string | null; changes: SecretChanges};

export type Planned = {ok: true; submission: Submission} | {ok: false; errors: FormState['errors']};

/**
 * Checks every field with the same rules the CLI uses (the vault model's), reads each value from
 * its source, and says what to store, or which fields are wrong and why. Messages name keys,
 * variables and paths, never a value.
 */
export async function planSubmission(state: FormState, readers: ValueReaders): Promise<Planned> {
	const errors: FormState['errors'] = {};
	const record = (field: FieldId | 'form', work: () => void) => {
		try {
			work();
		} catch (error) {
			errors[field] ??= describeError(error);
		}
	};

	record('name', () => assertValidName(state.name));
	record('description', () => assertValidMetadata({description: state.description}));
	record('integration', () => assertValidMetadata({integration: state.integration}));
	const expiresAt = formExpiry(state, errors);

	const values: SecretValues = {};
	const seen = new Set<string>();
	for (const row of state.rows) {
		const keyField: FieldId = `row:${row.rowId}:key`;
		if (row.key === '') {
			errors[keyField] = 'name this key (like API_TOKEN), or remove the row with Ctrl-X';
			continue;
		}

		record(keyField, () => assertValidKey(row.key));
		if (seen.has(row.key)) {
			errors[keyField] = `${row.key} appears twice: each key once`;
		}

		seen.add(row.key);
		if (row.source === 'keep') {
			if (row.original !== row.key) {
				errors[keyField] = `to store this value under ${row.key}, give it again: choose a value source`;
			}

			continue;
		}

		const value = await readRowValue(row, readers, errors);
		if (value !== undefined) {
			record(valueField(row), () => assertValidValue(row.key, value));
			values[row.key] = value;
		}
	}

	if (state.rows.length === 0) {
		errors.addKey = 'a secret needs at least one key: press Enter here to add one';
	}

	if (Object.keys(errors).length > 0) {
		return {ok: false, errors};
	}

	const metadata = {type: state.type, description: state.description, integration: state.integration, writeOnly: state.writeOnly, ...(expiresAt === undefined ? {} : {expiresAt})};
	if (state.mode === 'create' || !state.target) {
		return {ok: true, submission: {kind: 'create', name: state.name, values, options: {...metadata, private: state.private}}};
	}

	const target = state.target;
	const kept = new Set(state.rows.map(row => row.original).filter(key => key !== null));
	const remove = target.keys.filter(key => !kept.has(key) && values[key] === undefined);
	const changes: SecretChanges = {...metadata, values, remove};
	if (state.private !== target.private) {
		changes.private = state.private;
	}

	return {ok: true, submission: {kind: 'edit', id: target.id, rename: state.name === target.name ? null : state.name, changes}};
}

/**
 * The expiry to store, read as `--expires` reads it (a date, a duration from now, or never; empty
 * means none), or undefined to leave it alone: an edit whose field still holds the stored expiry.
 */
function formExpiry(state: FormState, errors: FormState['errors']): string | null | undefined {
	const text = state.expires.trim();
	if (state.mode === 'edit' && state.target && text === (state.target.expiresAt ?? '')) {
		return undefined;
	}

	if (text === '') {
		return state.mode === 'edit' ? null : undefined;
	}

	try {
		return parseExpiry(text, Date.now());
	} catch {
		errors.expires = 'use a date (2027-01-31), a duration (30d, 12w, 48h), or never';
		return undefined;
	}
}

function valueField(row: KeyRow): FieldId {
	const part = {keep: 'key', typed: 'typed', env: 'variable', file: 'path', keychain: 'service'} as const;
	return `row:${row.rowId}:${part[row.source]}`;
}

async function readRowValue(row: KeyRow, readers: ValueReaders, errors: FormState['errors']): Promise<string | undefined> {
	const field = valueField(row);
	switch (row.source) {
		case 'typed': {
			if (row.typed === '') {
				errors[field] = `type a value for ${row.key}`;
				return undefined;
			}

			return row.typed;
		}

		case 'env': {
			if (row.variable === '') {
				errors[field] = `name the environment variable that holds ${row.key}`;
				return undefined;
			}

			const value = readers.env[row.variable];
			if (value === undefined) {
				errors[field] = `environment variable ${row.variable} is not set`;
			}

			return value;
		}

		case 'file': {
			if (row.path === '') {
				errors[field] = `give the path of the file that holds ${row.key}`;
				return undefined;
			}

			try {
				return readers.readFile(row.path, `value for ${row.key}`);
			} catch (error) {
				errors[field] = describeError(error);
				return undefined;
			}
		}

		case 'keychain': {
			if (row.service === '' || row.account === '') {
				errors[field] = `give the keychain service and account that hold ${row.key}`;
				return undefined;
			}

			try {
				return await readers.readKeychain(row.service, row.account);
			} catch (error) {
				errors[field] = describeError(error);
				return undefined;
			}
		}

		case 'keep': {
			return undefined;
		}
	}
}
