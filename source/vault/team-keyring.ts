import type {DatabaseSync} from 'node:sqlite';
import {cryptoFormatVersion, formatTag} from './aad.js';
import {open, seal} from './aead.js';
import {encodeFields} from './encoding.js';
import {IntegrityError} from '../errors.js';

/**
 * The team generation keys this device holds, kept after their wrap was opened and checked against
 * the membership log (team/my-keys.ts), so opening a team record costs one AEAD open and not an
 * X-Wing decapsulation. They are sealed with AES-256-GCM-SIV under HKDF(root key, vault id,
 * 'hush/v1/team-keyring') in the sync settings table, AAD naming the vault: the same wall as a
 * private secret, which is sealed under the root key too. A `list` member holds no values keys.
 */

export type TeamGenerationKeys = {generation: number; metadataKey: Uint8Array; valuesKey: Uint8Array | undefined};

export type TeamKeyring = {teamId: string; generations: TeamGenerationKeys[]};

type Stored = {version: number; teamId: string; generations: Array<{generation: number; metadataKey: string; valuesKey: string | null}>};

const settingKey = 'team_keyring';
const version = 1;

/** What the keyring needs of the vault: its file, its id and a key from its root key. */
export type KeyringHost = {db: DatabaseSync; id: string; deriveKey(label: string): Uint8Array};

function aad(vaultId: string): Uint8Array {
	return encodeFields([formatTag, cryptoFormatVersion, 'team-keyring', vaultId]);
}

/** Whether the file has the sync settings table (a vault of an older format, before its migration, has not). */
function hasSettings(host: KeyringHost): boolean {
	if (withSettings.has(host.db)) {
		return true;
	}

	const found = host.db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'sync_settings'").get() !== undefined;
	if (found) {
		withSettings.add(host.db);
	}

	return found;
}

/** Files known to have the table: it is never dropped, so the check runs once per open file. */
const withSettings = new WeakSet<DatabaseSync>();

export function readTeamKeyring(host: KeyringHost): TeamKeyring | undefined {
	if (!hasSettings(host)) {
		return undefined;
	}

	const row = host.db.prepare('SELECT nonce, ciphertext FROM sync_settings WHERE key = ?').get(settingKey) as {nonce: Uint8Array; ciphertext: Uint8Array} | undefined;
	if (!row) {
		return undefined;
	}

	const key = host.deriveKey('team-keyring');
	let plain: Uint8Array;
	try {
		plain = open(key, row.nonce, row.ciphertext, aad(host.id));
	} catch {
		throw new IntegrityError('the vault\'s team keys failed their integrity check: the vault file was altered');
	} finally {
		key.fill(0);
	}

	try {
		const stored = JSON.parse(Buffer.from(plain).toString('utf8')) as Stored;
		if (stored.version !== version) {
			throw new IntegrityError('the vault\'s team keys are in an unknown format: they were written by a newer hush');
		}

		return {
			teamId: stored.teamId,
			generations: stored.generations.map(({generation, metadataKey, valuesKey}) => ({
				generation,
				metadataKey: new Uint8Array(Buffer.from(metadataKey, 'base64')),
				valuesKey: valuesKey === null ? undefined : new Uint8Array(Buffer.from(valuesKey, 'base64')),
			})),
		};
	} finally {
		plain.fill(0);
	}
}

/** Seals and stores the keyring. Run inside a write transaction. */
export function writeTeamKeyring(host: KeyringHost, keyring: TeamKeyring): void {
	const stored: Stored = {
		version,
		teamId: keyring.teamId,
		generations: keyring.generations
			.toSorted((a, b) => a.generation - b.generation)
			.map(({generation, metadataKey, valuesKey}) => ({
				generation,
				metadataKey: Buffer.from(metadataKey).toString('base64'),
				valuesKey: valuesKey ? Buffer.from(valuesKey).toString('base64') : null,
			})),
	};
	const plain = Buffer.from(JSON.stringify(stored), 'utf8');
	const key = host.deriveKey('team-keyring');
	try {
		const {nonce, ciphertext} = seal(key, plain, aad(host.id));
		host.db
			.prepare('INSERT INTO sync_settings (key, nonce, ciphertext) VALUES (?, ?, ?) ON CONFLICT (key) DO UPDATE SET nonce = excluded.nonce, ciphertext = excluded.ciphertext')
			.run(settingKey, nonce, ciphertext);
	} finally {
		key.fill(0);
		plain.fill(0);
	}
}

function storedNonce(host: KeyringHost): Uint8Array | null {
	if (!hasSettings(host)) {
		return null;
	}

	return (host.db.prepare('SELECT nonce FROM sync_settings WHERE key = ?').get(settingKey) as {nonce: Uint8Array} | undefined)?.nonce ?? null;
}

export function wipeTeamKeyring(keyring: TeamKeyring | undefined): void {
	for (const keys of keyring?.generations ?? []) {
		keys.metadataKey.fill(0);
		keys.valuesKey?.fill(0);
	}
}

export const currentTeamGeneration = (keyring: TeamKeyring | undefined) => keyring?.generations.reduce((max, keys) => Math.max(max, keys.generation), 0) ?? 0;

/** The keyring of one open vault: read on first use (a vault in no team never pays), wiped at close. */
export class TeamKeyringCache {
	/** Undefined: not read yet; null: this vault holds none. */
	#keyring: TeamKeyring | null | undefined;
	/** The stored keyring's nonce when it was read: a new one means another process changed it. */
	#nonce: Uint8Array | null = null;

	constructor(private readonly host: KeyringHost) {}

	get(): TeamKeyring | undefined {
		if (this.#keyring === undefined) {
			this.#nonce = storedNonce(this.host);
			this.#keyring = readTeamKeyring(this.host) ?? null;
		}

		return this.#keyring ?? undefined;
	}

	/**
	 * The keyring as stored now, for a writer choosing the generation to seal under: a long-running
	 * process (the TUI, hush mcp) must not keep sealing under a generation another process has
	 * since replaced by re-keying. Costs one small SELECT when nothing changed.
	 */
	fresh(): TeamKeyring | undefined {
		const nonce = storedNonce(this.host);
		const same = nonce === null ? this.#nonce === null : this.#nonce !== null && Buffer.from(nonce).equals(this.#nonce);
		if (this.#keyring !== undefined && !same) {
			wipeTeamKeyring(this.#keyring ?? undefined);
			this.#keyring = undefined;
		}

		return this.get();
	}

	set(keyring: TeamKeyring): void {
		writeTeamKeyring(this.host, keyring);
		if (this.#keyring && this.#keyring !== keyring) {
			wipeTeamKeyring(this.#keyring);
		}

		this.#keyring = keyring;
		this.#nonce = storedNonce(this.host);
	}

	wipe(): void {
		wipeTeamKeyring(this.#keyring ?? undefined);
		this.#keyring = undefined;
	}
}
