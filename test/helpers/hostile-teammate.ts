/**
 * A hostile teammate: someone with the vault's passphrase (they cloned it) running a modified
 * client. They seal whatever they like under the shared key, past every check hush makes on
 * input, and push it straight to a real `hush serve` through the sync API, the way any client
 * does. What the victim's `hush sync` makes of it is what the tests look at.
 */
import {randomUUID} from 'node:crypto';
import type {PushRecord, PushResult} from '../../source/protocol/index.js';
import {RemoteClient} from '../../source/sync/client.js';
import {rowToPush} from '../../source/sync/wire.js';
import {openVault} from '../../source/unlock/open-vault.js';
import type {SealedMeta} from '../../source/vault/records.js';
import type {Vault} from '../../source/vault/vault.js';
import {passphrase} from './hush-cli.js';

export class HostileTeammate {
	private constructor(
		readonly vault: Vault,
		readonly client: RemoteClient,
		readonly actor: string,
	) {}

	/** Opens the teammate's cloned vault in `home` as `actor` (what their records name as writer). */
	static async open(home: string, url: string, token: string, actor = 'mallory'): Promise<HostileTeammate> {
		return new HostileTeammate(await openVault({home, passphrase, actor, command: 'hostile-client'}), new RemoteClient(url, token), actor);
	}

	/**
	 * Seals a record and pushes it: a new secret (fresh id) unless `id` names one the teammate has,
	 * in which case a revision above theirs, built on it. `meta` overrides the fields (for a new
	 * secret, of a plain public one); the key list always follows `values` unless `meta.keys` says
	 * otherwise. Returns the record id and the server's answer.
	 */
	async plant(input: {id?: string; meta?: Partial<SealedMeta>; values: Record<string, string> | null}): Promise<{id: string; result: PushResult}> {
		const store = this.vault.syncStore();
		const id = input.id ?? randomUUID();
		const now = new Date().toISOString();
		const sealed = store.write(() => {
			const existing = input.id === undefined ? undefined : store.record(input.id);
			if (input.id !== undefined && !existing) {
				throw new Error(`the teammate has no record ${input.id}`);
			}

			const previous: SealedMeta = existing
				? store.openMeta(existing)
				: {name: 'placeholder', private: false, type: 'generic', description: '', integration: '', writeOnly: false, keys: [], createdAt: now, createdBy: this.actor, updatedAt: now, expiresAt: null};
			const meta: SealedMeta = {...previous, updatedAt: now, keys: input.values ? Object.keys(input.values) : previous.keys, ...input.meta};
			const values = input.values ? new Map(Object.entries(input.values).map(([key, value]) => [key, Buffer.from(value, 'utf8')])) : null;
			store.sealMerged({id, revision: (existing?.revision ?? 0) + 1, meta, values});
			return {row: store.record(id)!, baseRev: existing?.revision ?? 0, isPrivate: meta.private};
		});
		const [result] = await this.client.push(this.vault.id, [rowToPush(sealed.row, sealed.baseRev, sealed.isPrivate)]);
		return {id, result: result!};
	}

	/** A copy of one of the teammate's records as a push, to be altered (a ciphertext moved to another id, say). */
	pushOf(id: string): PushRecord {
		const store = this.vault.syncStore();
		return store.read(() => {
			const row = store.record(id)!;
			return rowToPush(row, 0, store.openMeta(row).private);
		});
	}

	async pushRaw(record: PushRecord): Promise<PushResult> {
		const [result] = await this.client.push(this.vault.id, [record]);
		return result!;
	}

	close(): void {
		this.vault.close();
	}
}
