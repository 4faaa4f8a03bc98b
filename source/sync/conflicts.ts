import {createHmac} from 'node:crypto';
import {InvalidInputError, SecretNotFoundError} from '../errors.js';
import type {RecordRow} from '../vault/records.js';
import type {Vault} from '../vault/vault.js';
import {type Plain, type Side, merge, metaFields} from './merge.js';
import {keepLocalOverQuarantined} from './quarantine.js';
import {Reconciler, baseRow} from './reconcile.js';

/**
 * Open conflicts: listing, describing (with masked values) and resolving them. All local: no
 * network, no client. A conflict is a record with a remote copy kept beside it (sync_conflicts), or
 * a name clash (a secret that arrived while another here held its name).
 */

export type ConflictInfo = {id: string; name: string; kind: 'conflict' | 'name-clash'; detail: string[]; local: string; remote: string};

/** Describes every open conflict. Values are never included: only which keys and fields differ. */
export function listConflicts(vault: Vault): ConflictInfo[] {
	const reconciler = new Reconciler(vault.syncStore());
	const {store} = reconciler;
	// The local copies are read by id, not looked up: every bucket is checked first, as a listing does.
	vault.verifyRollbackDigest();
	return store.read(() => {
		const out: ConflictInfo[] = [];
		for (const remoteRow of store.conflictCopies()) {
			const local = store.record(remoteRow.id);
			if (!local) {
				continue;
			}

			const localPlain = reconciler.decrypt(local, 'this vault holds');
			const remotePlain = reconciler.decrypt(remoteRow, 'the conflict copy of');
			const {conflicts} = merge(reconciler.baseOf(store.syncBase(remoteRow.id)), localPlain, remotePlain);
			out.push({
				id: remoteRow.id,
				name: localPlain.meta.name,
				kind: 'conflict',
				detail: conflicts,
				local: localPlain.values === null ? 'deleted' : `revision ${local.revision}`,
				remote: remotePlain.values === null ? 'deleted' : `revision ${remoteRow.revision}`,
			});
		}

		for (const row of store.nameClashes()) {
			const meta = store.openMeta(row);
			out.push({
				id: row.id,
				name: meta.name,
				kind: 'name-clash',
				detail: [`another ${meta.private ? 'private' : 'public'} secret here is also named ${meta.name}: rename one (hush rename ${row.id} NEW-NAME)`],
				local: '',
				remote: `revision ${row.revision}`,
			});
		}

		return out.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
	});
}

/**
 * Settles one conflict: each conflicting key or field (or the edit-versus-delete) goes to the side
 * chosen for it — `keys` per key, `take` for everything else; everything that did not conflict
 * still merges. Refused, changing nothing, if some conflict would be left without a side.
 */
export function resolveConflict(vault: Vault, reference: string, choice: {take?: Side; keys?: ReadonlyMap<string, Side>}): {id: string; name: string} {
	const reconciler = new Reconciler(vault.syncStore());
	const {store} = reconciler;
	return store.write(() => {
		for (const remoteRow of store.conflictCopies()) {
			const {id} = remoteRow;
			const local = store.record(id);
			if (!local) {
				continue;
			}

			const localPlain = reconciler.decrypt(local, 'this vault holds');
			const remotePlain = reconciler.decrypt(remoteRow, 'the conflict copy of');
			if (id !== reference && localPlain.meta.name !== reference && remotePlain.meta.name !== reference) {
				continue;
			}

			const unsettled: string[] = [];
			const used = new Set<string>();
			const {result} = merge(reconciler.baseOf(store.syncBase(id)), localPlain, remotePlain, label => {
				const key = label.startsWith('key ') ? label.slice(4) : undefined;
				const side = (key === undefined ? undefined : choice.keys?.get(key)) ?? choice.take;
				if (key !== undefined && choice.keys?.has(key)) {
					used.add(key);
				}

				if (side === undefined) {
					unsettled.push(label);
				}

				return side;
			});
			if (unsettled.length > 0) {
				throw new InvalidInputError(`${localPlain.meta.name} still has conflicts without a side: ${unsettled.join('; ')} (add --take local|remote)`);
			}

			const unknown = [...(choice.keys?.keys() ?? [])].filter(key => !used.has(key));
			if (unknown.length > 0) {
				throw new InvalidInputError(`${localPlain.meta.name} has no conflict on key ${unknown.join(', ')}: see hush conflicts`);
			}

			reconciler.settle(local, remoteRow, remotePlain, result);
			return {id, name: localPlain.meta.name};
		}

		const kept = keepLocalOverQuarantined(reconciler, reference, choice.keys?.size ? undefined : choice.take);
		if (kept) {
			return kept;
		}

		throw new SecretNotFoundError(`no conflict for ${JSON.stringify(reference)}: see hush conflicts`);
	});
}

export function assertTake(value: unknown): Side {
	if (value !== 'local' && value !== 'remote') {
		throw new InvalidInputError('--take must be local or remote');
	}

	return value;
}

/** A value as the TUI may show it: its length in bytes and a short keyed fingerprint, never the value. */
export type MaskedValue = {length: number; fingerprint: string};

export type ConflictDetail = {
	id: string;
	name: string;
	local: {revision: number; deleted: boolean};
	remote: {revision: number; deleted: boolean};
	/** The conflict labels, as `hush resolve` knows them: `key NAME`, a metadata field, edit versus delete. */
	conflicts: string[];
	/** Every key on either side, with each side's masked value (null: absent on that side). */
	keys: Array<{key: string; conflict: boolean; local: MaskedValue | null; remote: MaskedValue | null}>;
	/** Metadata fields that differ between the sides (metadata is not secret). */
	fields: Array<{field: string; conflict: boolean; local: string; remote: string}>;
};

/**
 * One open conflict, for a screen to show both versions side by side without showing a value.
 *
 * Fingerprints are HMAC-SHA256 under a key derived from the vault's root key, cut to 8 hex chars.
 * A plain SHA-256 of a short or guessable secret (a PIN, a dictionary password) can be reversed by
 * hashing candidates, so a bare hash on screen would leak it to anyone looking over a shoulder;
 * without the vault key nobody can compute or test a fingerprint. The key is per vault, not per
 * session, so two devices of one vault show the same fingerprint for the same value (users can
 * compare them across machines). Values are opened as buffers, measured, MACed and wiped here;
 * the three-way merge that names the conflicting keys runs over full-length MACs, never over
 * plaintext. Opening the values is audited as a read. Returns null when the secret has no
 * conflict copy (a name clash is healed by renaming, not by picking a side).
 */
export function describeConflict(vault: Vault, recordId: string): ConflictDetail | null {
	const reconciler = new Reconciler(vault.syncStore());
	const {store} = reconciler;
	return store.write(() => {
		const remoteRow = store.conflictCopy(recordId);
		if (!remoteRow) {
			return null;
		}

		// The local copy is read by id, not looked up: every bucket is checked, in this transaction.
		vault.verifyRollbackDigest();

		const macKey = store.deriveKey('conflict-fingerprint');
		try {
			const macs = (row: RecordRow, who: string): {plain: Plain; masked: Map<string, MaskedValue>} => {
				const meta = reconciler.openMeta(row, who);
				if (row.values_ciphertext === null) {
					return {plain: {meta, values: null}, masked: new Map()};
				}

				const buffers = store.openValues(row);
				try {
					const values = new Map<string, string>();
					const masked = new Map<string, MaskedValue>();
					for (const [key, value] of buffers) {
						const mac = createHmac('sha256', macKey).update(value).digest('hex');
						values.set(key, mac);
						masked.set(key, {length: value.length, fingerprint: mac.slice(0, 8)});
					}

					return {plain: {meta, values}, masked};
				} finally {
					for (const value of buffers.values()) {
						value.fill(0);
					}
				}
			};

			const localRow = store.record(recordId)!;
			const local = macs(localRow, 'this vault holds');
			const remote = macs(remoteRow, 'the conflict copy of');
			const syncedBase = baseRow(store.syncBase(recordId));
			const base = syncedBase ? macs(syncedBase, 'the last synced copy of').plain : null;
			const {conflicts} = merge(base, local.plain, remote.plain);
			store.audit('read', recordId);
			const keys = [...new Set([...local.masked.keys(), ...remote.masked.keys()])].sort();
			return {
				id: recordId,
				name: local.plain.meta.name,
				local: {revision: localRow.revision, deleted: local.plain.values === null},
				remote: {revision: remoteRow.revision, deleted: remote.plain.values === null},
				conflicts,
				keys: keys.map(key => ({key, conflict: conflicts.includes(`key ${key}`), local: local.masked.get(key) ?? null, remote: remote.masked.get(key) ?? null})),
				fields: metaFields
					.filter(field => local.plain.meta[field] !== remote.plain.meta[field])
					.map(field => ({field, conflict: conflicts.includes(field), local: String(local.plain.meta[field] ?? '-'), remote: String(remote.plain.meta[field] ?? '-')})),
			};
		} finally {
			macKey.fill(0);
		}
	});
}
