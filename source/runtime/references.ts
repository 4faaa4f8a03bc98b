import {InvalidInputError, SecretNotFoundError} from '../errors.js';
import type {SecretSummary} from '../vault/model.js';
import type {Vault} from '../vault/vault.js';

/** `NAME.KEY`, or just `NAME` (check only), with an optional visibility. */
export type Reference = {
	name: string;
	key?: string;
	private?: boolean;
	/** As the user wrote it, for messages. */
	text: string;
};

const namePart = '[A-Za-z0-9][A-Za-z0-9._-]*';
const keyPart = '[A-Za-z_][A-Za-z0-9_]*';

/**
 * `{{NAME.KEY}}` with optional whitespace inside the braces and an optional `private:` or
 * `public:` prefix. NAME may itself contain dots; the key is what follows the last one. Braces that
 * hold anything else (`{{ .Values.x }}` in a Helm chart) are not references and are left alone.
 */
const templatePattern = new RegExp(`\\{\\{\\s*(?:(private|public)\\s*:\\s*)?(${namePart})\\.(${keyPart})\\s*\\}\\}`, 'g');
const referencePattern = new RegExp(`^(?:(private|public):)?(${namePart}?)$`);

export type TemplateMatch = {reference: Reference & {key: string}; start: number; end: number};

export function findTemplateReferences(template: string): TemplateMatch[] {
	return [...template.matchAll(templatePattern)].map(match => ({
		reference: {
			name: match[2]!,
			key: match[3]!,
			private: match[1] === undefined ? undefined : match[1] === 'private',
			text: match[0].slice(2, -2).trim(),
		},
		start: match.index,
		end: match.index + match[0].length,
	}));
}

/**
 * Parses a reference given on the command line or in a `--file`: `NAME`, `NAME.KEY`, or either
 * with a `private:`/`public:` prefix. A dotted word is read as NAME.KEY when its last part is a
 * valid key name.
 */
export function parseReference(text: string): Reference {
	const trimmed = text.trim();
	const visibility = /^(private|public):/.exec(trimmed);
	const body = visibility ? trimmed.slice(visibility[0].length) : trimmed;
	const isPrivate = visibility ? visibility[1] === 'private' : undefined;
	const dotted = new RegExp(`^(${namePart})\\.(${keyPart})$`).exec(body);
	if (dotted) {
		return {name: dotted[1]!, key: dotted[2]!, private: isPrivate, text: trimmed};
	}

	if (!referencePattern.test(body) || body === '') {
		throw new InvalidInputError(`invalid reference ${JSON.stringify(trimmed.slice(0, 60))}: use NAME or NAME.KEY (optionally private:NAME.KEY)`);
	}

	return {name: body, private: isPrivate, text: trimmed};
}

export type ReferenceCheck = {reference: Reference; present: boolean; reason?: string; secret?: SecretSummary};

/**
 * Checks references against metadata only: no value is decrypted and no use is logged, so it works
 * for write-only secrets too. With `keys: false` (SECRET_EXISTS) only the secret's name is checked.
 */
export function checkReferences(vault: Vault, references: readonly Reference[], {keys}: {keys: boolean}): ReferenceCheck[] {
	const cache = new Map<string, SecretSummary | undefined>();
	return references.map(reference => {
		const cacheKey = `${String(reference.private)}:${reference.name}`;
		if (!cache.has(cacheKey)) {
			cache.set(cacheKey, findSummary(vault, reference));
		}

		const secret = cache.get(cacheKey);
		if (!secret) {
			return {reference, present: false, reason: 'no such secret'};
		}

		if (keys && reference.key !== undefined && !secret.keys.includes(reference.key)) {
			return {reference, present: false, reason: `secret ${secret.name} has no key ${reference.key}`, secret};
		}

		return {reference, present: true, secret};
	});
}

function findSummary(vault: Vault, reference: Reference): SecretSummary | undefined {
	try {
		return vault.describeSecret(reference.name, {private: reference.private});
	} catch (error) {
		if (error instanceof SecretNotFoundError) {
			return undefined;
		}

		throw error;
	}
}
