import {HushError} from '../errors.js';
import {StagedVaultFile, removeDatabaseFiles} from '../vault/file.js';
import {resolveHome} from '../vault/paths.js';
import {LockedVault, type Vault} from '../vault/vault.js';
import {RemoteClient, SyncError, checkRemoteUrl} from './client.js';
import {type ConflictDetail, type ConflictInfo, type MaskedValue, assertTake, describeConflict, listConflicts, resolveConflict} from './conflicts.js';
import {SyncEngine, type SyncReport} from './engine.js';
import {readRemote, removeRemote, writeRemote} from './settings.js';
import {syncStates} from './state.js';
import {headerForRemote, headerFromRemote} from './wire.js';

/**
 * Sync operations for the commands, loaded on demand (`hush get` never pays for them).
 */

export {assertTake, checkRemoteUrl, describeConflict, listConflicts, resolveConflict, RemoteClient, SyncEngine, SyncError};
export type {ConflictDetail, ConflictInfo, MaskedValue, SyncReport};

export function addRemote(vault: Vault, input: {url: string; token: string; insecure: boolean; autoSync?: boolean}): string {
	const base = checkRemoteUrl(input.url, input.insecure);
	const store = vault.syncStore();
	store.write(() => {
		const previous = readRemote(store, vault.id);
		if (previous && previous.url !== base) {
			// Another server: its cursor means nothing here, and everything is pushed afresh.
			store.forgetSyncState();
		}

		writeRemote(store, vault.id, {url: base, token: input.token, insecure: input.insecure, vaultId: vault.id});
		if (input.autoSync !== undefined) {
			store.setStatus('auto_sync', input.autoSync ? '1' : '0');
		}
	});
	return base;
}

export function showRemote(vault: Vault): {url: string; vaultId: string; autoSync: boolean} | null {
	const store = vault.syncStore();
	return store.read(() => {
		const remote = readRemote(store, vault.id);
		return remote ? {url: remote.url, vaultId: vault.id, autoSync: store.status('auto_sync') === '1'} : null;
	});
}

export function forgetRemote(vault: Vault): boolean {
	const store = vault.syncStore();
	return store.write(() => removeRemote(store));
}

export function setAutoSync(vault: Vault, on: boolean): void {
	const store = vault.syncStore();
	store.write(() => {
		if (!readRemote(store, vault.id)) {
			throw new HushError('no remote is set: hush remote add URL first');
		}

		store.setStatus('auto_sync', on ? '1' : '0');
	});
}

export function clientFor(vault: Vault): RemoteClient {
	const store = vault.syncStore();
	const remote = store.read(() => readRemote(store, vault.id));
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
	const store = vault.syncStore();
	const lastSync = store.read(() => store.status('last_sync')) ?? null;
	const counts = {synced: 0, pending: 0, conflict: 0};
	for (const state of syncStates(vault).values()) {
		counts[state]++;
	}

	return {vaultId: vault.id, remote: remote?.url ?? null, autoSync: remote?.autoSync ?? false, lastSync, pending: counts.pending, conflicts: counts.conflict, synced: counts.synced};
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

	const header = headerFromRemote(await client.getHeader(vaultId), vaultId);
	const staged = StagedVaultFile.create(home, {vaultId, createdAt: header.createdAt, keyGeneration: header.keyGeneration}, header.keyslot);
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
		const store = vault.syncStore();
		store.write(() => store.setStatus('header_sent', JSON.stringify(headerForRemote(store))));
		const report = await new SyncEngine(vault, client).run();
		return {vault, report};
	} catch (error) {
		vault.close();
		throw error;
	}
}
