import {existsSync} from 'node:fs';
import {HushError, VaultExistsError} from '../errors.js';
import {StagedVaultFile, sweepAbandonedStaging} from '../vault/file.js';
import {resolveHome, vaultPath} from '../vault/paths.js';
import {LockedVault, type Vault} from '../vault/vault.js';
import {RemoteClient, SyncError, checkRemoteUrl} from './client.js';
import {type ConflictDetail, type ConflictInfo, type MaskedValue, assertTake, describeConflict, listConflicts, resolveConflict} from './conflicts.js';
import {SyncEngine, type SyncReport} from './engine.js';
import {quarantined} from './quarantine.js';
import {readRemote, removeRemote, writeRemote} from './settings.js';
import {syncStates} from './state.js';
import {headerForRemote, headerFromRemote} from './wire.js';
import {dropSpareWorker, prestartOpenWorker} from './open-ahead.js';
import {PageFeed, applyChunk} from './pulled-pages.js';

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
	// Sync reads and pushes rows across the whole vault: every bucket is checked first (rollback.ts).
	vault.verifyRollbackDigest();
	// The team's part (team/team-sync.ts) is loaded here only: a vault in no team never pays for it.
	const {teamSyncHooks} = await import('../team/team-sync.js');
	return new SyncEngine(vault, client, await teamSyncHooks(vault)).run();
}

export type Status = {
	vaultId: string;
	remote: string | null;
	autoSync: boolean;
	lastSync: string | null;
	pending: number;
	conflicts: number;
	synced: number;
	/** Records from the server set aside unapplied (quarantine.ts), until a good revision replaces them. */
	quarantined: Array<{id: string; rev: number | null; reason: string; at: string}>;
};

export function status(vault: Vault): Status {
	const remote = showRemote(vault);
	const store = vault.syncStore();
	const lastSync = store.read(() => store.status('last_sync')) ?? null;
	const setAside = store.read(() => quarantined(store)).map(({id, rev, reason, at}) => ({id, rev, reason, at}));
	const counts = {synced: 0, pending: 0, conflict: 0};
	for (const state of syncStates(vault).values()) {
		counts[state]++;
	}

	return {vaultId: vault.id, remote: remote?.url ?? null, autoSync: remote?.autoSync ?? false, lastSync, pending: counts.pending, conflicts: counts.conflict, synced: counts.synced, quarantined: setAside};
}

/**
 * A team's records open only with team keys wrapped to a member's identity, which a clone (the
 * header's passphrase slot) does not carry: a new device of a team joins with an invite instead.
 */
async function refuseTeamVault(base: string, token: string, vaultId: string): Promise<void> {
	const {NoTeamError, TeamClient} = await import('../team/client.js');
	try {
		await new TeamClient(base, token, vaultId).log();
	} catch (error) {
		if (error instanceof NoTeamError) {
			return;
		}

		throw error;
	}

	throw new HushError('this vault is a team: a new device joins it with an invite (on a device of yours, hush team invite NAME-laptop; here, hush join CODE), not by cloning');
}

/**
 * Sets up this device from a server, all or nothing: fetch the vault header (key slot 1), build
 * the local vault in a staging folder with that vault id and slot, unlock it with the passphrase
 * (which proves the header), store the remote, pull everything, and only then link the finished
 * file under the vault's name. A clone killed at any point leaves no vault behind (the next clone
 * sweeps its staging folder), so it can simply be run again.
 */
export async function clone(input: {
	home?: string;
	url: string;
	token: string;
	insecure: boolean;
	vaultId?: string;
	passphrase: () => Promise<string>;
	command: string;
}): Promise<{vaultId: string; path: string; report: SyncReport}> {
	const base = checkRemoteUrl(input.url, input.insecure);
	const client = new RemoteClient(base, input.token);
	const home = resolveHome(input.home);
	const existsHint = ': clone into an empty HUSH_HOME';
	if (existsSync(vaultPath(home))) {
		throw new VaultExistsError(`a vault already exists at ${vaultPath(home)}${existsHint}`);
	}

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
	await refuseTeamVault(base, input.token, vaultId);
	const passphrase = await input.passphrase();
	// The first pages travel (a fresh vault's cursor is 0), and the worker that opens them starts,
	// while argon2id runs (in libuv's pool) below.
	const remoteId = vaultId;
	const feed = new PageFeed(async since => client.pulledPage(remoteId, since), 0, applyChunk);
	prestartOpenWorker();
	try {
		return await cloneInto(home, input, {vaultId, header, passphrase, base, client, feed, existsHint});
	} finally {
		feed.stop();
		dropSpareWorker();
	}
}

/** The rest of a clone once the header and passphrase are in hand: the staged vault, its unlock and the pull. */
async function cloneInto(
	home: string,
	input: {url: string; token: string; insecure: boolean; command: string},
	setup: {vaultId: string; header: ReturnType<typeof headerFromRemote>; passphrase: string; base: string; client: RemoteClient; feed: PageFeed; existsHint: string},
): Promise<{vaultId: string; path: string; report: SyncReport}> {
	const {vaultId, header, passphrase, base, client, feed, existsHint} = setup;
	sweepAbandonedStaging(home);
	const staged = StagedVaultFile.createInFolder(home, {vaultId, createdAt: header.createdAt, keyGeneration: header.keyGeneration}, header.keyslot);
	try {
		const locked = LockedVault.open({home: staged.stagingHome});
		let vault: Vault;
		try {
			vault = await locked.unlockWithPassphrase(passphrase, {command: input.command});
		} catch (error) {
			// A wrong passphrase: the handle closes, and the staging folder goes below.
			locked.close();
			throw error;
		}

		let report: SyncReport;
		try {
			const store = vault.syncStore();
			// Staged: the file counts only once complete, closed, synced and linked (staged.commit).
			store.stagedWrites('filling');
			addRemote(vault, {url: base, token: input.token, insecure: input.insecure});
			store.write(() => store.setStatus('header_sent', JSON.stringify(headerForRemote(store))));
			report = await new SyncEngine(vault, client).run(feed);
			store.stagedWrites('finished');
		} finally {
			vault.close();
		}

		staged.commit(existsHint);
		return {vaultId, path: staged.path, report};
	} finally {
		staged.discard();
	}
}
