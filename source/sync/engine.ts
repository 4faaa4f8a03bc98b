import {createHmac} from 'node:crypto';
import {IntegrityError, InvalidInputError, SecretNotFoundError} from '../errors.js';
import {passphraseSlot, readKeyslot} from '../vault/keyslots.js';
import type {RecordRow, SealedMeta, ValueBuffers} from '../vault/records.js';
import {readHeader} from '../vault/storage.js';
import type {SyncAccess, Vault} from '../vault/vault.js';
import {type PushRecord, type PushResult, type RemoteClient, ServerRollbackError, SyncError, type WireRecord} from './client.js';
import {type Plain, type Side, merge, sameContent} from './merge.js';
import {readStatus, writeStatus} from './settings.js';

/**
 * The sync engine: pull changes since the cursor and merge them, then push pending records with
 * compare-and-swap, merging and retrying (bounded) on 409.
 *
 * Revisions. A ciphertext's AAD binds it to its revision, so a record travels with the revision it
 * was sealed under and the server stores exactly that revision. Local and server revisions are
 * therefore one number per record: every local write seals at `revision + 1`; a push says "I built
 * on `base_rev`, here is `revision`" and the server accepts it only if its current revision is
 * still `base_rev` (and `revision` is higher). A merge of a local edit with remote revision R is
 * sealed at max(local, R) + 1, so it always pushes above R. Taking a remote record keeps its
 * ciphertext byte for byte at its own revision. Revisions per record only ever grow, which is what
 * lets the client refuse a server that offers an older one than it has seen.
 */

export type SyncReport = {pulled: number; pushed: number; merged: number; conflicts: number; refused: string[]};

const maxPushRounds = 5;
const pushBatch = 500;

type SyncRow = {
	record_id: string;
	base_rev: number;
	seen_rev: number;
	base_key_generation: number | null;
	base_meta_nonce: Uint8Array | null;
	base_meta_ciphertext: Uint8Array | null;
	base_values_nonce: Uint8Array | null;
	base_values_ciphertext: Uint8Array | null;
};

const b64 = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64');
const unb64 = (text: string) => new Uint8Array(Buffer.from(text, 'base64'));

export function wireToRow(record: WireRecord): RecordRow {
	return {
		id: record.id,
		name_mac: null,
		revision: record.rev,
		key_generation: record.keyGeneration,
		meta_nonce: unb64(record.meta.nonce),
		meta_ciphertext: unb64(record.meta.ciphertext),
		values_nonce: record.values ? unb64(record.values.nonce) : null,
		values_ciphertext: record.values ? unb64(record.values.ciphertext) : null,
	};
}

export class SyncEngine {
	readonly access: SyncAccess;
	readonly report: SyncReport = {pulled: 0, pushed: 0, merged: 0, conflicts: 0, refused: []};

	constructor(
		readonly vault: Vault,
		readonly client: RemoteClient,
	) {
		this.access = vault.syncAccess();
	}

	/** One full sync. Throws on a network, permission or rollback failure; local work stays intact. */
	async run(): Promise<SyncReport> {
		await this.uploadHeader();
		await this.pull();
		await this.push();
		this.access.write(() => writeStatus(this.access, 'last_sync', new Date().toISOString()));
		this.report.conflicts = this.conflictCount();
		return this.report;
	}

	/** The vault header with key slot 1 only (never a keychain or session slot); re-sent after `hush passwd`. */
	header(): Record<string, unknown> {
		return this.access.read(() => {
			const slot = readKeyslot(this.access.db, passphraseSlot);
			if (!slot) {
				throw new IntegrityError('the vault has no passphrase key slot');
			}

			const header = readHeader(this.access.db);
			return {
				format: 1,
				vaultId: this.vault.id,
				createdAt: header.get('created_at') ?? '',
				keyGeneration: Number(header.get('key_generation') ?? '1'),
				keyslot: {
					slot: slot.slot,
					kind: slot.kind,
					kdf: slot.kdf,
					salt: b64(slot.salt),
					nonce: b64(slot.nonce),
					wrappedKey: b64(slot.wrapped_key),
					createdAt: slot.created_at,
					expiresAt: slot.expires_at,
				},
			};
		});
	}

	async uploadHeader(): Promise<void> {
		const header = this.header();
		const fingerprint = JSON.stringify(header);
		if (this.access.read(() => readStatus(this.access, 'header_sent')) === fingerprint) {
			return;
		}

		await this.client.putHeader(this.vault.id, header);
		this.access.write(() => writeStatus(this.access, 'header_sent', fingerprint));
	}

	async pull(): Promise<void> {
		for (;;) {
			const since = Number(this.access.read(() => readStatus(this.access, 'cursor')) ?? '0');
			const page = await this.client.changes(this.vault.id, since);
			if (page.cursor < since) {
				throw new ServerRollbackError(
					`the sync server has gone back in time (its change log ends at ${page.cursor}, but this device has seen up to ${since}): refusing to sync; was it restored from an old backup?`,
				);
			}

			this.access.write(() => {
				for (const record of page.records) {
					this.applyRemote(record);
				}

				writeStatus(this.access, 'cursor', String(page.cursor));
				this.healNameClashes();
			});
			this.report.pulled += page.records.length;
			if (!page.more) {
				return;
			}
		}
	}

	async push(): Promise<void> {
		for (let round = 1; ; round++) {
			const pending = this.access.read(() => this.pendingRows());
			if (pending.length === 0) {
				return;
			}

			if (round > maxPushRounds) {
				throw new SyncError(`the server kept changing under this sync (${pending.length} secret(s) still pending after ${maxPushRounds} attempts): run hush sync again`);
			}

			let retry = false;
			for (let start = 0; start < pending.length; start += pushBatch) {
				const batch = pending.slice(start, start + pushBatch);
				const results = await this.client.push(this.vault.id, batch.map(({wire}) => wire));
				const byId = new Map(batch.map(entry => [entry.wire.id, entry]));
				this.access.write(() => {
					this.advanceCursor(results);
					for (const result of results) {
						const sent = byId.get(result.id);
						if (!sent) {
							continue;
						}

						if (result.status === 'ok') {
							this.setBase(sent.row, sent.row.revision);
							this.report.pushed++;
						} else if (result.status === 'conflict') {
							if (result.current === null) {
								throw new ServerRollbackError(
									`the sync server no longer has secret ${result.id}, which it had at revision ${sent.wire.baseRev}: refusing to sync; was it restored from an old backup?`,
								);
							}

							this.applyRemote(result.current);
							retry = true;
						} else {
							this.report.refused.push(result.id);
						}
					}
				});
			}

			if (!retry) {
				return;
			}
		}
	}

	/**
	 * Our own accepted writes would come back in the next pull. A push's writes get consecutive
	 * sequence numbers (one transaction, writers serialised per vault), so when they directly follow
	 * the cursor nobody else wrote in between, and the cursor may skip them. Otherwise the next pull
	 * fetches them too (and ignores them: their revision is already the base).
	 */
	advanceCursor(results: readonly PushResult[]): void {
		const seqs = results.flatMap(result => (result.status === 'ok' ? [result.seq] : [])).sort((a, b) => a - b);
		const cursor = Number(readStatus(this.access, 'cursor') ?? '0');
		if (seqs.length > 0 && seqs[0] === cursor + 1 && seqs.every((seq, index) => seq === seqs[0]! + index)) {
			writeStatus(this.access, 'cursor', String(seqs.at(-1)));
		}
	}

	/** Records changed here since they were last agreed with the server, minus those in conflict or refused. */
	pendingRows(): Array<{row: RecordRow; wire: PushRecord}> {
		const rows = this.access.db
			.prepare(
				`SELECT r.*, COALESCE(s.base_rev, 0) AS base_rev FROM records r LEFT JOIN sync_records s ON s.record_id = r.id
				 WHERE (s.record_id IS NULL OR r.revision != s.base_rev)
				 AND NOT EXISTS (SELECT 1 FROM sync_conflicts c WHERE c.record_id = r.id)
				 AND NOT (r.name_mac IS NULL AND r.values_ciphertext IS NOT NULL)`,
			)
			.all() as Array<RecordRow & {base_rev: number}>;
		return rows
			.filter(row => !this.report.refused.includes(row.id))
			.map(row => {
				const meta = this.access.codec.openMeta(row);
				return {
					row,
					wire: {
						id: row.id,
						rev: row.revision,
						baseRev: row.base_rev,
						deleted: row.values_ciphertext === null,
						private: meta.private,
						keyGeneration: row.key_generation,
						meta: {nonce: b64(row.meta_nonce), ciphertext: b64(row.meta_ciphertext)},
						values: row.values_ciphertext && row.values_nonce ? {nonce: b64(row.values_nonce), ciphertext: b64(row.values_ciphertext)} : null,
					},
				};
			});
	}

	/** Applies one record from the server inside the caller's transaction: take, merge or mark a conflict. */
	applyRemote(record: WireRecord): void {
		const {db} = this.access;
		const sync = db.prepare('SELECT * FROM sync_records WHERE record_id = ?').get(record.id) as SyncRow | undefined;
		if (sync && record.rev < sync.seen_rev) {
			throw new ServerRollbackError(
				`the sync server offered secret ${record.id} at revision ${record.rev}, older than revision ${sync.seen_rev} it served before: refusing to sync (a replayed or restored server)`,
			);
		}

		const remoteRow = wireToRow(record);
		// Metadata is opened (and so authenticated) now; values only if a merge needs them — they are
		// authenticated whenever they are read, like every record's.
		const remoteMeta = this.openMeta(remoteRow, 'the sync server sent');
		if (remoteMeta.deletedAt !== undefined !== record.deleted || (remoteRow.values_ciphertext === null) !== record.deleted) {
			throw new IntegrityError(`the sync server sent secret ${record.id} with a deleted flag that disagrees with its sealed metadata`);
		}

		const local = db.prepare('SELECT * FROM records WHERE id = ?').get(record.id) as RecordRow | undefined;
		const baseRev = sync?.base_rev ?? 0;
		if (!local) {
			this.storeRaw(remoteRow, remoteMeta);
			this.setBase(remoteRow, record.rev);
			this.access.audit(record.deleted ? 'delete' : 'create', record.id);
			return;
		}

		if (sync && record.rev === baseRev) {
			return;
		}

		const inConflict = db.prepare('SELECT 1 FROM sync_conflicts WHERE record_id = ?').get(record.id) !== undefined;
		if (local.revision === baseRev && sync && !inConflict) {
			this.storeRaw(remoteRow, remoteMeta);
			this.setBase(remoteRow, record.rev);
			this.access.audit(record.deleted ? 'delete' : 'update', record.id);
			return;
		}

		const remote = this.decrypt(remoteRow, 'the sync server sent');
		const base = this.baseOf(sync);
		const localPlain = this.decrypt(local, 'this vault holds');
		const {result, conflicts} = merge(base, localPlain, remote);
		if (conflicts.length > 0) {
			db.prepare(
				`INSERT INTO sync_conflicts (record_id, revision, key_generation, meta_nonce, meta_ciphertext, values_nonce, values_ciphertext, detected_at)
				 VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (record_id) DO UPDATE SET revision = excluded.revision, key_generation = excluded.key_generation,
				 meta_nonce = excluded.meta_nonce, meta_ciphertext = excluded.meta_ciphertext, values_nonce = excluded.values_nonce,
				 values_ciphertext = excluded.values_ciphertext, detected_at = excluded.detected_at`,
			).run(
				record.id,
				remoteRow.revision,
				remoteRow.key_generation,
				remoteRow.meta_nonce,
				remoteRow.meta_ciphertext,
				remoteRow.values_nonce,
				remoteRow.values_ciphertext,
				new Date().toISOString(),
			);
			this.bumpSeen(record.id, record.rev, sync);
			return;
		}

		this.settle(local, remoteRow, remote, result);
		this.report.merged++;
	}

	/** Writes the outcome of a merge or a resolution: the remote copy itself, or a new local revision above it. */
	settle(local: RecordRow, remoteRow: RecordRow, remote: Plain, result: Plain): void {
		this.access.db.prepare('DELETE FROM sync_conflicts WHERE record_id = ?').run(local.id);
		if (sameContent(result, remote)) {
			this.storeRaw(remoteRow, remote.meta);
			this.setBase(remoteRow, remoteRow.revision);
			this.access.audit(remote.values === null ? 'delete' : 'update', local.id);
			return;
		}

		const revision = Math.max(local.revision, remoteRow.revision) + 1;
		const values: ValueBuffers | null = result.values ? new Map([...result.values].map(([key, value]) => [key, Buffer.from(value, 'utf8')])) : null;
		try {
			const meta: SealedMeta = result.values === null ? {...result.meta, deletedAt: result.meta.deletedAt ?? new Date().toISOString()} : result.meta;
			this.access.codec.write(this.access.db, {
				id: local.id,
				nameMac: values ? this.freeNameMac(meta, local.id) : null,
				revision,
				keyGeneration: this.access.keyGeneration(),
				meta,
				values,
			});
		} finally {
			for (const value of values?.values() ?? []) {
				value.fill(0);
			}
		}

		this.setBase(remoteRow, remoteRow.revision);
		this.access.audit(result.values === null ? 'delete' : 'update', local.id);
	}

	openMeta(row: RecordRow, who: string): SealedMeta {
		try {
			return this.access.codec.openMeta(row);
		} catch (error) {
			if (error instanceof IntegrityError) {
				throw new IntegrityError(`${who} secret ${row.id} at revision ${row.revision}, and it fails its integrity check: refusing it`);
			}

			throw error;
		}
	}

	decrypt(row: RecordRow, who: string): Plain {
		const meta = this.openMeta(row, who);

		if (row.values_ciphertext === null) {
			if (meta.deletedAt === undefined) {
				throw new IntegrityError(`${who} secret ${row.id} without values but not marked deleted: refusing it`);
			}

			return {meta, values: null};
		}

		const buffers = this.access.codec.openValues(row);
		const values = new Map([...buffers].map(([key, value]) => [key, value.toString('utf8')]));
		for (const value of buffers.values()) {
			value.fill(0);
		}

		return {meta, values};
	}

	baseOf(sync: SyncRow | undefined): Plain | null {
		const row = baseRow(sync);
		return row ? this.decrypt(row, 'the sync base of') : null;
	}

	/** The record's name MAC, or null when another secret already holds that name here (a name clash to resolve). */
	freeNameMac(meta: SealedMeta, id: string): Uint8Array | null {
		const mac = this.access.nameMac(meta.private, meta.name);
		const clash = this.access.db.prepare('SELECT id FROM records WHERE name_mac = ?').get(mac) as {id: string} | undefined;
		return clash && clash.id !== id ? null : mac;
	}

	/**
	 * A secret kept without its name MAC (another one here held the name when it arrived) gets the
	 * MAC back once the name is free again, e.g. after the other one was renamed.
	 */
	healNameClashes(): void {
		const rows = this.access.db.prepare('SELECT * FROM records WHERE name_mac IS NULL AND values_ciphertext IS NOT NULL').all() as RecordRow[];
		for (const row of rows) {
			const mac = this.freeNameMac(this.access.codec.openMeta(row), row.id);
			if (mac) {
				this.access.db.prepare('UPDATE records SET name_mac = ? WHERE id = ?').run(mac, row.id);
			}
		}
	}

	/** Stores a server ciphertext exactly as sealed, at its own revision. */
	storeRaw(row: RecordRow, meta: SealedMeta): void {
		const nameMac = row.values_ciphertext === null ? null : this.freeNameMac(meta, row.id);
		this.access.db
			.prepare(
				`INSERT INTO records (id, name_mac, revision, key_generation, meta_nonce, meta_ciphertext, values_nonce, values_ciphertext)
				 VALUES (?, ?, ?, ?, ?, ?, ?, ?)
				 ON CONFLICT (id) DO UPDATE SET name_mac = excluded.name_mac, revision = excluded.revision, key_generation = excluded.key_generation,
				 meta_nonce = excluded.meta_nonce, meta_ciphertext = excluded.meta_ciphertext, values_nonce = excluded.values_nonce,
				 values_ciphertext = excluded.values_ciphertext`,
			)
			.run(row.id, nameMac, row.revision, row.key_generation, row.meta_nonce, row.meta_ciphertext, row.values_nonce, row.values_ciphertext);
	}

	/** Records `row` (sealed at `revision`) as the copy both sides agree on. */
	setBase(row: RecordRow, revision: number): void {
		this.access.db
			.prepare(
				`INSERT INTO sync_records (record_id, base_rev, seen_rev, base_key_generation, base_meta_nonce, base_meta_ciphertext, base_values_nonce, base_values_ciphertext)
				 VALUES (?, ?, ?, ?, ?, ?, ?, ?)
				 ON CONFLICT (record_id) DO UPDATE SET base_rev = excluded.base_rev, seen_rev = MAX(sync_records.seen_rev, excluded.seen_rev),
				 base_key_generation = excluded.base_key_generation, base_meta_nonce = excluded.base_meta_nonce, base_meta_ciphertext = excluded.base_meta_ciphertext,
				 base_values_nonce = excluded.base_values_nonce, base_values_ciphertext = excluded.base_values_ciphertext`,
			)
			.run(row.id, revision, revision, row.key_generation, row.meta_nonce, row.meta_ciphertext, row.values_nonce, row.values_ciphertext);
	}

	bumpSeen(id: string, revision: number, sync: SyncRow | undefined): void {
		if (sync) {
			this.access.db.prepare('UPDATE sync_records SET seen_rev = MAX(seen_rev, ?) WHERE record_id = ?').run(revision, id);
		} else {
			this.access.db.prepare('INSERT INTO sync_records (record_id, base_rev, seen_rev) VALUES (?, 0, ?)').run(id, revision);
		}
	}

	conflictCount(): number {
		return this.access.read(() => {
			const {count} = this.access.db
				.prepare(
					`SELECT (SELECT COUNT(*) FROM sync_conflicts) + (SELECT COUNT(*) FROM records WHERE name_mac IS NULL AND values_ciphertext IS NOT NULL) AS count`,
				)
				.get() as {count: number};
			return count;
		});
	}
}

export type ConflictInfo = {id: string; name: string; kind: 'conflict' | 'name-clash'; detail: string[]; local: string; remote: string};

/** Describes every open conflict. Values are never included: only which keys and fields differ. */
export function listConflicts(vault: Vault): ConflictInfo[] {
	const engine = new SyncEngine(vault, null as unknown as RemoteClient);
	const {access} = engine;
	return access.read(() => {
		const out: ConflictInfo[] = [];
		const rows = access.db.prepare('SELECT c.*, r.revision AS local_revision FROM sync_conflicts c JOIN records r ON r.id = c.record_id').all() as Array<
			Record<string, unknown>
		>;
		for (const row of rows) {
			const id = String(row['record_id']);
			const local = access.db.prepare('SELECT * FROM records WHERE id = ?').get(id) as RecordRow;
			const sync = access.db.prepare('SELECT * FROM sync_records WHERE record_id = ?').get(id) as SyncRow | undefined;
			const remoteRow = conflictRow(row);
			const localPlain = engine.decrypt(local, 'this vault holds');
			const remotePlain = engine.decrypt(remoteRow, 'the conflict copy of');
			const {conflicts} = merge(engine.baseOf(sync), localPlain, remotePlain);
			out.push({
				id,
				name: localPlain.meta.name,
				kind: 'conflict',
				detail: conflicts,
				local: localPlain.values === null ? 'deleted' : `revision ${local.revision}`,
				remote: remotePlain.values === null ? 'deleted' : `revision ${remoteRow.revision}`,
			});
		}

		const clashes = access.db.prepare('SELECT * FROM records WHERE name_mac IS NULL AND values_ciphertext IS NOT NULL').all() as RecordRow[];
		for (const row of clashes) {
			const meta = access.codec.openMeta(row);
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

function conflictRow(row: Record<string, unknown>): RecordRow {
	return {
		id: String(row['record_id']),
		name_mac: null,
		revision: Number(row['revision']),
		key_generation: Number(row['key_generation']),
		meta_nonce: row['meta_nonce'] as Uint8Array,
		meta_ciphertext: row['meta_ciphertext'] as Uint8Array,
		values_nonce: (row['values_nonce'] as Uint8Array | null) ?? null,
		values_ciphertext: (row['values_ciphertext'] as Uint8Array | null) ?? null,
	};
}

/**
 * Settles one conflict: each conflicting key or field (or the edit-versus-delete) goes to the side
 * chosen for it — `keys` per key, `take` for everything else; everything that did not conflict
 * still merges. Refused, changing nothing, if some conflict would be left without a side.
 */
export function resolveConflict(vault: Vault, reference: string, choice: {take?: Side; keys?: ReadonlyMap<string, Side>}): {id: string; name: string} {
	const engine = new SyncEngine(vault, null as unknown as RemoteClient);
	const {access} = engine;
	return access.write(() => {
		const rows = access.db.prepare('SELECT * FROM sync_conflicts').all() as Array<Record<string, unknown>>;
		for (const row of rows) {
			const id = String(row['record_id']);
			const local = access.db.prepare('SELECT * FROM records WHERE id = ?').get(id) as RecordRow;
			const localPlain = engine.decrypt(local, 'this vault holds');
			const remoteRow = conflictRow(row);
			const remotePlain = engine.decrypt(remoteRow, 'the conflict copy of');
			if (id !== reference && localPlain.meta.name !== reference && remotePlain.meta.name !== reference) {
				continue;
			}

			const sync = access.db.prepare('SELECT * FROM sync_records WHERE record_id = ?').get(id) as SyncRow | undefined;
			const unsettled: string[] = [];
			const used = new Set<string>();
			const {result} = merge(engine.baseOf(sync), localPlain, remotePlain, label => {
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

			engine.settle(local, remoteRow, remotePlain, result);
			return {id, name: localPlain.meta.name};
		}

		throw new SecretNotFoundError(`no conflict for ${JSON.stringify(reference)}: see hush conflicts`);
	});
}

export function assertTake(value: unknown): 'local' | 'remote' {
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

const shownFields = ['name', 'private', 'type', 'description', 'integration', 'writeOnly', 'expiresAt'] as const;

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
	const engine = new SyncEngine(vault, null as unknown as RemoteClient);
	const {access} = engine;
	return access.write(() => {
		const conflict = access.db.prepare('SELECT * FROM sync_conflicts WHERE record_id = ?').get(recordId) as Record<string, unknown> | undefined;
		if (!conflict) {
			return null;
		}

		const macKey = access.deriveKey('conflict-fingerprint');
		try {
			const macs = (row: RecordRow, who: string): {plain: Plain; masked: Map<string, MaskedValue>} => {
				const meta = engine.openMeta(row, who);
				if (row.values_ciphertext === null) {
					return {plain: {meta, values: null}, masked: new Map()};
				}

				const buffers = access.codec.openValues(row);
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

			const localRow = access.db.prepare('SELECT * FROM records WHERE id = ?').get(recordId) as RecordRow;
			const remoteRow = conflictRow(conflict);
			const sync = access.db.prepare('SELECT * FROM sync_records WHERE record_id = ?').get(recordId) as SyncRow | undefined;
			const local = macs(localRow, 'this vault holds');
			const remote = macs(remoteRow, 'the conflict copy of');
			const syncedBase = baseRow(sync);
			const base = syncedBase ? macs(syncedBase, 'the last synced copy of').plain : null;
			const {conflicts} = merge(base, local.plain, remote.plain);
			access.audit('read', recordId);
			const keys = [...new Set([...local.masked.keys(), ...remote.masked.keys()])].sort();
			return {
				id: recordId,
				name: local.plain.meta.name,
				local: {revision: localRow.revision, deleted: local.plain.values === null},
				remote: {revision: remoteRow.revision, deleted: remote.plain.values === null},
				conflicts,
				keys: keys.map(key => ({key, conflict: conflicts.includes(`key ${key}`), local: local.masked.get(key) ?? null, remote: remote.masked.get(key) ?? null})),
				fields: shownFields
					.filter(field => local.plain.meta[field] !== remote.plain.meta[field])
					.map(field => ({field, conflict: conflicts.includes(field), local: String(local.plain.meta[field] ?? '-'), remote: String(remote.plain.meta[field] ?? '-')})),
			};
		} finally {
			macKey.fill(0);
		}
	});
}

/** The last-synced copy of a record, kept sealed in sync_records, as a record row (null before any sync). */
function baseRow(sync: SyncRow | undefined): RecordRow | null {
	if (!sync?.base_meta_ciphertext || !sync.base_meta_nonce || sync.base_key_generation === null) {
		return null;
	}

	return {
		id: sync.record_id,
		name_mac: null,
		revision: sync.base_rev,
		key_generation: sync.base_key_generation,
		meta_nonce: sync.base_meta_nonce,
		meta_ciphertext: sync.base_meta_ciphertext,
		values_nonce: sync.base_values_nonce,
		values_ciphertext: sync.base_values_ciphertext,
	};
}
