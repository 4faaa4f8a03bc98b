import {cryptoFormatVersion, formatTag} from '../vault/aad.js';
import {open, seal} from '../vault/aead.js';
import {encodeFields} from '../vault/encoding.js';
import {IntegrityError} from '../errors.js';
import type {SyncStore} from '../vault/sync-store.js';

/**
 * The remote (URL and token) lives in the vault, sealed with AES-256-GCM-SIV under a key derived
 * from the root key (HKDF info `hush/v1/sync-settings`), with AAD naming vault and setting — never
 * in conf, never in plaintext. Non-secret bookkeeping (cursor, last sync) is in `sync_status`.
 */

export type RemoteSettings = {url: string; token: string; insecure: boolean; vaultId: string};

function settingAad(vaultId: string, key: string): Uint8Array {
	return encodeFields([formatTag, cryptoFormatVersion, 'sync-setting', vaultId, key]);
}

export function writeRemote(store: SyncStore, vaultId: string, remote: RemoteSettings): void {
	const key = store.deriveKey('sync-settings');
	try {
		const plaintext = Buffer.from(JSON.stringify(remote), 'utf8');
		const sealed = seal(key, plaintext, settingAad(vaultId, 'remote'));
		plaintext.fill(0);
		store.setSealedSetting('remote', sealed);
	} finally {
		key.fill(0);
	}
}

export function readRemote(store: SyncStore, vaultId: string): RemoteSettings | null {
	const row = store.sealedSetting('remote');
	if (!row) {
		return null;
	}

	const key = store.deriveKey('sync-settings');
	try {
		const plaintext = open(key, row.nonce, row.ciphertext, settingAad(vaultId, 'remote'));
		return JSON.parse(Buffer.from(plaintext).toString('utf8')) as RemoteSettings;
	} catch {
		throw new IntegrityError('the stored remote settings failed their integrity check: the vault file was altered');
	} finally {
		key.fill(0);
	}
}

export function removeRemote(store: SyncStore): boolean {
	return store.removeRemoteSetting('remote');
}
