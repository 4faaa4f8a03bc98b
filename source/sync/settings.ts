import {cryptoFormatVersion, formatTag} from '../vault/aad.js';
import {open, seal} from '../vault/aead.js';
import {encodeFields} from '../vault/encoding.js';
import {IntegrityError} from '../errors.js';
import type {SyncAccess} from '../vault/vault.js';

/**
 * The remote (URL and token) lives in the vault, sealed with AES-256-GCM-SIV under a key derived
 * from the root key (HKDF info `hush/v1/sync-settings`), with AAD naming vault and setting — never
 * in conf, never in plaintext. Non-secret bookkeeping (cursor, last sync) is in `sync_status`.
 */

export type RemoteSettings = {url: string; token: string; insecure: boolean; vaultId: string};

function settingAad(vaultId: string, key: string): Uint8Array {
	return encodeFields([formatTag, cryptoFormatVersion, 'sync-setting', vaultId, key]);
}

export function writeRemote(access: SyncAccess, vaultId: string, remote: RemoteSettings): void {
	const key = access.deriveKey('sync-settings');
	try {
		const plaintext = Buffer.from(JSON.stringify(remote), 'utf8');
		const sealed = seal(key, plaintext, settingAad(vaultId, 'remote'));
		plaintext.fill(0);
		access.db
			.prepare('INSERT INTO sync_settings (key, nonce, ciphertext) VALUES (?, ?, ?) ON CONFLICT (key) DO UPDATE SET nonce = excluded.nonce, ciphertext = excluded.ciphertext')
			.run('remote', sealed.nonce, sealed.ciphertext);
	} finally {
		key.fill(0);
	}
}

export function readRemote(access: SyncAccess, vaultId: string): RemoteSettings | null {
	const row = access.db.prepare("SELECT nonce, ciphertext FROM sync_settings WHERE key = 'remote'").get() as {nonce: Uint8Array; ciphertext: Uint8Array} | undefined;
	if (!row) {
		return null;
	}

	const key = access.deriveKey('sync-settings');
	try {
		const plaintext = open(key, row.nonce, row.ciphertext, settingAad(vaultId, 'remote'));
		return JSON.parse(Buffer.from(plaintext).toString('utf8')) as RemoteSettings;
	} catch {
		throw new IntegrityError('the stored remote settings failed their integrity check: the vault file was altered');
	} finally {
		key.fill(0);
	}
}

export function removeRemote(access: SyncAccess): boolean {
	const removed = Number(access.db.prepare("DELETE FROM sync_settings WHERE key = 'remote'").run().changes) > 0;
	access.db.prepare('DELETE FROM sync_status').run();
	return removed;
}

export function readStatus(access: SyncAccess, key: string): string | undefined {
	return (access.db.prepare('SELECT value FROM sync_status WHERE key = ?').get(key) as {value: string} | undefined)?.value;
}

export function writeStatus(access: SyncAccess, key: string, value: string): void {
	access.db.prepare('INSERT INTO sync_status (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value').run(key, value);
}
