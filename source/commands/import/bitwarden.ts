import {InvalidInputError} from '../../errors.js';
import {firstUnsafeCharacter} from '../../text/visible.js';
import type {SecretType} from '../../vault/model.js';
import type {NewSecret} from '../../vault/secret-writes.js';
import {privateFlag} from '../shared/secret-flags.js';
import type {CommandContext} from '../spec.js';
import {envKey} from './env-key.js';
import {hushName, uniqueName} from './names.js';
import {parseJsonDocument, refuseFlags, readImportText, sourceLabel} from './read-source.js';
import {storeImported} from './store.js';

/**
 * `hush import bitwarden FILE|-`: a Bitwarden unencrypted JSON export, one secret per item.
 *
 * - login: USERNAME, PASSWORD, TOTP, URL (URL_2, … for more), type credentials, integration the
 *   first URL's host;
 * - secure note: NOTES, type generic; card: CARDHOLDER_NAME, BRAND, NUMBER, EXP_MONTH, EXP_YEAR,
 *   CODE, type credentials; SSH key: SSH_PRIVATE_KEY, SSH_PUBLIC_KEY, SSH_KEY_FINGERPRINT;
 * - every item: NOTES, and each custom field as a key named after it (text, hidden and boolean
 *   fields; linked fields point at another field and are skipped);
 * - identities (names, addresses, ID numbers) are personal records, not credentials: skipped,
 *   and named in a warning; so are items with no value at all. Password history is not imported.
 * Item names become hush names (lower case; other characters become '-'); a name the file uses
 * twice gets -2, -3; every renaming is reported. A name already in the vault fails the import.
 */
export async function importBitwarden(context: CommandContext): Promise<void> {
	const source = context.args[1];
	if (source === undefined) {
		throw new InvalidInputError(`'hush import bitwarden' needs a FILE, or - for standard input (see hush import --help)`);
	}

	refuseFlags(context, 'bitwarden', ['name', 'type', 'description', 'integration', 'writeOnly', 'expires']);
	const label = sourceLabel(source);
	const document = parseJsonDocument(await readImportText(source, context.io.stdin, 'Bitwarden export'), label) as {encrypted?: unknown; items?: unknown; folders?: unknown};
	if (typeof document !== 'object' || document === null || Array.isArray(document) || !Array.isArray(document.items)) {
		throw new InvalidInputError(`${label}: not a Bitwarden JSON export (no "items" list)`);
	}

	if (document.encrypted === true) {
		throw new InvalidInputError(`${label} is an encrypted Bitwarden export: export again choosing the .json (not encrypted) format`);
	}

	const folders = new Map<string, string>();
	for (const folder of Array.isArray(document.folders) ? (document.folders as Array<Record<string, unknown>>) : []) {
		if (typeof folder?.['id'] === 'string' && typeof folder['name'] === 'string') {
			folders.set(folder['id'], folder['name']);
		}
	}

	const isPrivate = privateFlag(context.flags) ?? false;
	const secrets: NewSecret[] = [];
	const labels: string[] = [];
	const taken = new Set<string>();
	for (const [index, raw] of (document.items as unknown[]).entries()) {
		const item = (typeof raw === 'object' && raw !== null ? raw : {}) as Item;
		const title = typeof item.name === 'string' ? item.name : '';
		const where = `${label}: item ${index + 1}${title === '' ? '' : ` (${JSON.stringify(title.slice(0, 60))})`}`;
		const mapped = mapItem(item, where);
		if (typeof mapped === 'string') {
			context.say(`hush: warning: ${where} skipped: ${mapped}`);
			continue;
		}

		const name = uniqueName(hushName(title), taken);
		if (name !== title) {
			context.say(`  ${where} → ${name}`);
		}

		const folder = typeof item.folderId === 'string' ? folders.get(item.folderId) : undefined;
		const description = printable(`Bitwarden ${mapped.kind}${folder === undefined ? '' : `, folder ${folder}`}`).slice(0, 200);
		secrets.push({name, values: mapped.values, options: {type: mapped.type, description, integration: mapped.integration ?? '', private: isPrivate}});
		labels.push(where);
	}

	if (secrets.length === 0) {
		throw new InvalidInputError(`${label} holds no items to import: nothing imported`);
	}

	const stored = await storeImported(context, secrets, labels);
	if (context.flags['json'] === true) {
		context.printJson(stored);
	}

	context.say(`Imported ${stored.length} ${stored.length === 1 ? 'item' : 'items'} from ${label} as ${isPrivate ? 'private' : 'public'} secrets`);
}

type Item = {type?: unknown; name?: unknown; notes?: unknown; folderId?: unknown; deletedDate?: unknown; fields?: unknown; login?: Record<string, unknown>; card?: Record<string, unknown>; sshKey?: Record<string, unknown>};

type Mapped = {kind: string; type: SecretType; values: Record<string, string>; integration?: string};

/** The item's values, or why it is skipped. */
function mapItem(item: Item, where: string): Mapped | string {
	if (typeof item.deletedDate === 'string') {
		return 'it is in the trash';
	}

	const values: Record<string, string> = {};
	const add = (key: string, value: unknown) => {
		if (value === undefined || value === null || value === '') {
			return;
		}

		if (typeof value !== 'string' && typeof value !== 'boolean' && typeof value !== 'number') {
			throw new InvalidInputError(`${where}: ${key} is not text; nothing imported`);
		}

		let unique = key;
		for (let suffix = 2; unique in values; suffix++) {
			unique = `${key}_${suffix}`;
		}

		values[unique] = String(value);
	};

	let mapped: Mapped;
	if (item.type === 1) {
		const login = item.login ?? {};
		add('USERNAME', login['username']);
		add('PASSWORD', login['password']);
		add('TOTP', login['totp']);
		const uris = Array.isArray(login['uris']) ? (login['uris'] as Array<Record<string, unknown>>) : [];
		for (const uri of uris) {
			add('URL', uri?.['uri']);
		}

		mapped = {kind: 'login', type: 'credentials', values, integration: host(uris[0]?.['uri'])};
	} else if (item.type === 2) {
		mapped = {kind: 'secure note', type: 'generic', values};
	} else if (item.type === 3) {
		const card = item.card ?? {};
		for (const [field, key] of [['cardholderName', 'CARDHOLDER_NAME'], ['brand', 'BRAND'], ['number', 'NUMBER'], ['expMonth', 'EXP_MONTH'], ['expYear', 'EXP_YEAR'], ['code', 'CODE']] as const) {
			add(key, card[field]);
		}

		mapped = {kind: 'card', type: 'credentials', values};
	} else if (item.type === 4) {
		return 'an identity (personal details, not a credential) is not imported';
	} else if (item.type === 5) {
		const ssh = item.sshKey ?? {};
		add('SSH_PRIVATE_KEY', ssh['privateKey']);
		add('SSH_PUBLIC_KEY', ssh['publicKey']);
		add('SSH_KEY_FINGERPRINT', ssh['keyFingerprint']);
		mapped = {kind: 'SSH key', type: 'credentials', values};
	} else {
		return `unknown item type ${JSON.stringify(item.type)}`;
	}

	add('NOTES', item.notes);
	for (const field of Array.isArray(item.fields) ? (item.fields as Array<Record<string, unknown>>) : []) {
		if (field?.['type'] !== 3) {
			add(envKey(typeof field?.['name'] === 'string' ? field['name'] : 'FIELD'), field?.['value']);
		}
	}

	return Object.keys(values).length === 0 ? 'it holds no value (no password, notes or fields)' : mapped;
}

function host(uri: unknown): string | undefined {
	if (typeof uri !== 'string') {
		return undefined;
	}

	try {
		return new URL(uri).hostname.replace(/^www\./, '') || undefined;
	} catch {
		return undefined;
	}
}

/** Folder names are free text from the file; the description must hold no control characters. */
function printable(text: string): string {
	let result = '';
	for (const character of text) {
		result += firstUnsafeCharacter(character) === undefined ? character : ' ';
	}

	return result;
}
