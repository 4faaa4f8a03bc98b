import {HushError, IntegrityError} from '../errors.js';
import {StagedVaultFile, removeDatabaseFiles} from '../vault/file.js';
import type {KeyslotRow} from '../vault/keyslots.js';
import {resolveHome} from '../vault/paths.js';
import {LockedVault, type Vault} from '../vault/vault.js';
import {RemoteClient, SyncError, checkRemoteUrl} from './client.js';
import {type ConflictDetail, type MaskedValue, SyncEngine, type SyncReport, assertTake, describeConflict, listConflicts, resolveConflict} from './engine.js';
import {readRemote, readStatus, removeRemote, writeRemote, writeStatus} from './settings.js';
import {syncStates} from './state.js';

/**
 * Sync operations for the commands, loaded on demand (`hush get` never pays for them).
 */

export {assertTake, checkRemoteUrl, describeConflict, listConflicts, resolveConflict, RemoteClient, SyncEngine, SyncError};
export type {ConflictDetail, MaskedValue, SyncReport};

export function addRemote(vault: Vault, input: {url: string; token: string; insecure: boolean; autoSync?: boolean}): string {
	const base = checkRemoteUrl(input.url, input.insecure);
	const access = vault.syncAccess();
	access.write(() => {
		const previous = readRemote(access, vault.id);
		if (previous && previous.url !== base) {
			// Another server: its cursor means nothing here, and everything is pushed afresh.
			access.db.prepare('DELETE FROM sync_status').run();
			access.db.prepare('DELETE FROM sync_records').run();
			access.db.prepare('DELETE FROM sync_conflicts').run();
		}

		writeRemote(access, vault.id, {url: base, token: input.token, insecure: input.insecure, vaultId: vault.id});
		if (input.autoSync !== undefined) {
			writeStatus(access, 'auto_sync', input.autoSync ? '1' : '0');
		}
	});
	return base;
}

export function showRemote(vault: Vault): {url: string; vaultId: string; autoSync: boolean} | null {
	const access = vault.syncAccess();
	return access.read(() => {
		const remote = readRemote(access, vault.id);
		return remote ? {url: remote.url, vaultId: vault.id, autoSync: readStatus(access, 'auto_sync') === '1'} : null;
	});
}

export function forgetRemote(vault: Vault): boolean {
	const access = vault.syncAccess();
	return access.write(() => removeRemote(access));
}

export function setAutoSync(vault: Vault, on: boolean): void {
	const access = vault.syncAccess();
	access.write(() => {
		if (!readRemote(access, vault.id)) {
			throw new HushError('no remote is set: hush remote add URL first');
		}

		writeStatus(access, 'auto_sync', on ? '1' : '0');
	});
}

export function autoSyncEnabled(vault: Vault): boolean {
	const access = vault.syncAccess();
	return access.read(() => readStatus(access, 'auto_sync') === '1' && readRemote(access, vault.id) !== null);
}

export function clientFor(vault: Vault): RemoteClient {
	const access = vault.syncAccess();
	const remote = access.read(() => readRemote(access, vault.id));
	if (!remote) {
		throw new HushError('no remote is set: connect one with hush remote add URL (or set up this device with hush clone URL)');
	}

	return new RemoteClient(remote.url, remote.token);
}

export async function sync(vault: Vault, client = clientFor(vault)): Promise<SyncReport> {
	return new SyncEngine(vault, client).run();
}

export type Status = {
	vaultId: string;
	remote: string | null;
	autoSync: boolean;
	lastSync: string | null;
	pending: number;
	conflicts: number;
	synced: number;
};

export function status(vault: Vault): Status {
	const remote = showRemote(vault);
	const access = vault.syncAccess();
	const lastSync = access.read(() => readStatus(access, 'last_sync')) ?? null;
	const counts = {synced: 0, pending: 0, conflict: 0};
	for (const state of syncStates(vault).values()) {
		counts[state]++;
	}

	return {vaultId: vault.id, remote: remote?.url ?? null, autoSync: remote?.autoSync ?? false, lastSync, pending: counts.pending, conflicts: counts.conflict, synced: counts.synced};
}

function fromB64(text: unknown): Uint8Array {
	if (typeof text !== 'string') {
		throw new IntegrityError('the server’s vault header is malformed');
	}

	return new Uint8Array(Buffer.from(text, 'base64'));
}

/**
 * Sets up this device from a server: fetch the vault header (key slot 1), create the local vault
 * file with that vault id and slot, unlock it with the passphrase (which proves the header), store
 * the remote, then pull everything.
 */
export async function clone(input: {
	home?: string;
	url: string;
	token: string;
	insecure: boolean;
	vaultId?: string;
	passphrase: () => Promise<string>;
	command: string;
}): Promise<{vault: Vault; report: SyncReport}> {
	const base = checkRemoteUrl(input.url, input.insecure);
	const client = new RemoteClient(base, input.token);
	const home = resolveHome(input.home);
	let vaultId = input.vaultId;
	if (vaultId === undefined) {
		const vaults = await client.listVaults();
		if (vaults.length === 0) {
			throw new HushError('this token reaches no vault on the server: sync one from another device first (hush remote add, hush sync)');
		}

		if (vaults.length > 1) {
			throw new HushError(`this token reaches ${vaults.length} vaults: pick one with --vault (${vaults.map(vault => vault.id).join(', ')})`);
		}

		vaultId = vaults[0]!.id;
	}

	const header = await client.getHeader(vaultId);
	const slot = header['keyslot'] as Record<string, unknown> | undefined;
	if (header['vaultId'] !== vaultId || !slot || slot['slot'] !== 1 || slot['kind'] !== 'passphrase') {
		throw new IntegrityError('the server’s vault header is malformed or names another vault');
	}

	const row: KeyslotRow = {
		slot: 1,
		kind: 'passphrase',
		kdf: typeof slot['kdf'] === 'string' ? slot['kdf'] : null,
		salt: fromB64(slot['salt']),
		nonce: fromB64(slot['nonce']),
		wrapped_key: fromB64(slot['wrappedKey']),
		created_at: String(slot['createdAt']),
		expires_at: typeof slot['expiresAt'] === 'string' ? slot['expiresAt'] : null,
	};
	const staged = StagedVaultFile.create(
		home,
		{vaultId, createdAt: String(header['createdAt'] ?? new Date().toISOString()), keyGeneration: Number(header['keyGeneration'] ?? 1)},
		row,
	);
	let vault: Vault;
	try {
		const passphrase = await input.passphrase();
		staged.commit(': clone into an empty HUSH_HOME');
		try {
			vault = await LockedVault.open({home}).unlockWithPassphrase(passphrase, {command: input.command});
		} catch (error) {
			// A wrong passphrase leaves no half-made vault behind.
			removeDatabaseFiles(staged.path);
			throw error;
		}
	} finally {
		staged.discard();
	}

	try {
		addRemote(vault, {url: base, token: input.token, insecure: input.insecure});
		const engine = new SyncEngine(vault, client);
		const access = vault.syncAccess();
		access.write(() => writeStatus(access, 'header_sent', JSON.stringify(engine.header())));
		const report = await engine.run();
		return {vault, report};
	} catch (error) {
		vault.close();
		throw error;
	}
}
