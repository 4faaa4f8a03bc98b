import {base64, fail, integer, literal, object, type Path, text, timestamp} from './fields.js';
import {parseId} from './wire.js';

/**
 * The vault header a device uploads and the server stores, opaque to it, for `hush clone`: the vault
 * id, its creation time and key generation, and key slot 1 — the passphrase slot, whose wrapped root
 * key only the passphrase opens (never a keychain or session slot). Everything here is public to
 * the server; the clone's unlock authenticates the slot (its AAD binds vault id, KDF, salt).
 */

export const vaultHeaderFormat = 1;

export type VaultHeaderKeyslot = {
	slot: 1;
	kind: 'passphrase';
	/** The KDF parameters, JSON, as the vault serialises them; the vault checks their floors and ceilings. */
	kdf: string;
	salt: string;
	nonce: string;
	wrappedKey: string;
	createdAt: string;
	expiresAt: string | null;
};

export type VaultHeader = {
	format: typeof vaultHeaderFormat;
	vaultId: string;
	createdAt: string;
	keyGeneration: number;
	keyslot: VaultHeaderKeyslot;
};

/** What GET /v1/vaults/:vaultId answers. */
export type HeaderResponse = {id: string; header: VaultHeader; lastSeq: number};

/** Most fields a stored header may have (the server's schema allows no more). */
export const maxHeaderFields = 32;

const slotKeys = ['slot', 'kind', 'kdf', 'salt', 'nonce', 'wrappedKey', 'createdAt', 'expiresAt'] as const;
const headerKeys = ['format', 'vaultId', 'createdAt', 'keyGeneration', 'keyslot'] as const;

function parseKdf(value: unknown, path: Path): string {
	const kdf = text(value, path, 1024);
	let parsed: unknown;
	try {
		parsed = JSON.parse(kdf);
	} catch {
		fail(path, 'is not JSON');
	}

	object(parsed, path);
	return kdf;
}

function parseKeyslot(value: unknown, path: Path): VaultHeaderKeyslot {
	const slot = object(value, path, slotKeys);
	return {
		slot: literal(slot['slot'], `${path}.slot`, [1] as const),
		kind: literal(slot['kind'], `${path}.kind`, ['passphrase'] as const),
		kdf: parseKdf(slot['kdf'], `${path}.kdf`),
		salt: base64(slot['salt'], `${path}.salt`, 88, 16, 64),
		nonce: base64(slot['nonce'], `${path}.nonce`, 16, 12, 12),
		wrappedKey: base64(slot['wrappedKey'], `${path}.wrappedKey`, 344, 32, 256),
		createdAt: timestamp(slot['createdAt'], `${path}.createdAt`),
		expiresAt: slot['expiresAt'] === null ? null : timestamp(slot['expiresAt'], `${path}.expiresAt`),
	};
}

/**
 * The one parser of a vault header: every field present, of its type and size, nothing else.
 * `value` may be what a device is about to upload or what a server answered.
 */
export function parseVaultHeader(value: unknown, path: Path = 'header'): VaultHeader {
	const header = object(value, path);
	if (header['format'] !== vaultHeaderFormat && typeof header['format'] === 'number' && Number.isSafeInteger(header['format'])) {
		fail(`${path}.format`, `is ${header['format']}, a format this hush does not know (it reads ${vaultHeaderFormat}): upgrade hush`);
	}

	object(value, path, headerKeys);
	return {
		format: literal(header['format'], `${path}.format`, [vaultHeaderFormat] as const),
		vaultId: parseId(header['vaultId'], `${path}.vaultId`),
		createdAt: timestamp(header['createdAt'], `${path}.createdAt`),
		keyGeneration: integer(header['keyGeneration'], `${path}.keyGeneration`, 1),
		keyslot: parseKeyslot(header['keyslot'], `${path}.keyslot`),
	};
}

export function parseHeaderResponse(value: unknown, path: Path = 'vault'): HeaderResponse {
	const response = object(value, path);
	const id = parseId(response['id'], `${path}.id`);
	const header = parseVaultHeader(response['header'], `${path}.header`);
	if (header.vaultId !== id) {
		fail(`${path}.header.vaultId`, 'names another vault');
	}

	return {id, header, lastSeq: integer(response['lastSeq'], `${path}.lastSeq`, 0)};
}
