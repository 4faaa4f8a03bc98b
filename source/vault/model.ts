import {InvalidInputError} from '../errors.js';
import {firstUnsafeCharacter} from '../text/visible.js';

export const secretTypes = ['generic', 'token', 'credentials', 'url', 'certificate', 'env_var'] as const;
export type SecretType = (typeof secretTypes)[number];

/** Everything about a secret except its values. What list/show/create/update/delete return. */
export type SecretSummary = {
	id: string;
	name: string;
	private: boolean;
	type: SecretType;
	description: string;
	integration: string;
	writeOnly: boolean;
	keys: string[];
	createdAt: string;
	createdBy: string;
	/** Created by an AI agent through `hush mcp`: check it before trusting it. */
	createdByAgent: boolean;
	/** Last change of any value: the rotation clock. */
	updatedAt: string;
	/** Last time a value was read or injected; null when never. */
	lastUsedAt: string | null;
	expiresAt: string | null;
};

export type SecretValues = Record<string, string>;

/** Metadata a caller may set on create or change on update. */
export type SecretMetadataInput = {
	type?: SecretType;
	description?: string;
	integration?: string;
	writeOnly?: boolean;
	/** ISO date-time, or null to clear. */
	expiresAt?: string | null;
};

export const maxNameLength = 128;
export const maxValueBytes = 64 * 1024;
/**
 * The most one sealed part of a secret (its metadata, or all its values together) may hold, the
 * tag included: what one record carries through sync (protocol/wire.ts's limit is its base64). A
 * secret over it could never be pushed, so it is refused when written.
 */
export const maxSealedPartBytes = 192 * 1024;
const namePattern = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;
const keyPattern = /^[A-Za-z_][A-Za-z0-9_]*$/;
const maxKeyLength = 256;
const maxMetadataTextLength = 1024;

export function assertValidName(name: string): void {
	if (name.length === 0 || name.length > maxNameLength || !namePattern.test(name)) {
		throw new InvalidInputError(
			`invalid secret name ${JSON.stringify(truncate(name))}: use 1–${maxNameLength} letters, digits, '.', '_' or '-', starting with a letter or digit`,
		);
	}
}

export function assertValidKey(key: string): void {
	if (key.length > maxKeyLength || !keyPattern.test(key)) {
		throw new InvalidInputError(
			`invalid key name ${JSON.stringify(truncate(key))}: use letters, digits and '_', not starting with a digit (like OPENAI_API_KEY)`,
		);
	}
}

/** Checks one value without ever echoing it: the message names only the key. */
export function assertValidValue(key: string, value: string): void {
	if (value.length === 0) {
		throw new InvalidInputError(`empty value for ${key}: give a value, or use --remove ${key} to drop the key`);
	}

	if (!value.isWellFormed()) {
		throw new InvalidInputError(`value for ${key} is not valid Unicode text (it holds a lone surrogate)`);
	}

	// No environment variable, command line or C string can carry a NUL: hush run could never inject it.
	if (value.includes('\0')) {
		throw new InvalidInputError(`value for ${key} contains a NUL byte, which no environment variable can hold: remove it (or store the data base64-encoded)`);
	}

	const bytes = Buffer.byteLength(value, 'utf8');
	if (bytes > maxValueBytes) {
		throw new InvalidInputError(`value for ${key} is ${bytes} bytes; the limit is ${maxValueBytes} bytes (64 KiB)`);
	}
}

export function assertValidValues(values: SecretValues): void {
	for (const [key, value] of Object.entries(values)) {
		assertValidKey(key);
		assertValidValue(key, value);
	}
}

export function assertValidType(type: string): asserts type is SecretType {
	if (!(secretTypes as readonly string[]).includes(type)) {
		throw new InvalidInputError(`invalid type ${JSON.stringify(truncate(type))}: use one of ${secretTypes.join(', ')}`);
	}
}

export function assertValidMetadata(meta: SecretMetadataInput): void {
	if (meta.type !== undefined) {
		assertValidType(meta.type);
	}

	for (const field of ['description', 'integration'] as const) {
		const text = meta[field];
		if (text !== undefined) {
			assertPrintableText(field, text);
			if (text.length > maxMetadataTextLength) {
				throw new InvalidInputError(`${field} is too long: at most ${maxMetadataTextLength} characters`);
			}
		}
	}

	if (meta.expiresAt !== undefined && meta.expiresAt !== null) {
		assertPrintableText('expiry', meta.expiresAt);
		if (Number.isNaN(Date.parse(meta.expiresAt))) {
			throw new InvalidInputError(`invalid expiry ${JSON.stringify(truncate(meta.expiresAt))}`);
		}
	}
}

/**
 * Free text hush stores and later prints (description, integration, expiry, the audit actor and
 * command) holds no control characters (C0, DEL, C1), line separators or bidi overrides: they
 * would reach a terminal as escape sequences, or reorder what a reader sees. The message names the
 * character, never echoes the text.
 */
export function assertPrintableText(field: string, text: string): void {
	const unsafe = firstUnsafeCharacter(text);
	if (unsafe !== undefined) {
		throw new InvalidInputError(
			`${field} holds the control character ${unsafe}: use printable text only (no escape sequences, line breaks, tabs or bidi overrides)`,
		);
	}
}

function truncate(text: string): string {
	return text.length > 40 ? `${text.slice(0, 40)}…` : text;
}
