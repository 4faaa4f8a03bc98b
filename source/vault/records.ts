import type {DatabaseSync} from 'node:sqlite';
import {type RecordPart, recordAad} from './aad.js';
import {open, seal} from './aead.js';
import {decodeFields, encodeFields} from './encoding.js';
import {IntegrityError} from '../errors.js';
import type {VaultKeys} from './keys.js';
import type {SecretType} from './model.js';
import {upsertRecord} from './record-store.js';
import {RollbackDigest} from './rollback.js';

/**
 * One secret on disk: two ciphertexts, meta and values, each sealed under the record key of its
 * key generation with AAD naming vault, record, part and revision. Listing opens meta only.
 */

/** What the meta ciphertext holds. `keys` lives here so a listing never touches values. */
export type SealedMeta = {
	name: string;
	private: boolean;
	type: SecretType;
	description: string;
	integration: string;
	writeOnly: boolean;
	keys: string[];
	createdAt: string;
	createdBy: string;
	updatedAt: string;
	/**
	 * Who sealed this revision (the actor, as `createdBy`); `hush sync` names them beside the keys a
	 * pull added or removed. Absent on records written before it existed.
	 */
	updatedBy?: string;
	expiresAt: string | null;
	/**
	 * Set (true) only on a secret an AI agent created through `hush mcp`; absent on every other
	 * record, older ones included, which read as not agent-made. Fixed at creation.
	 */
	createdByAgent?: true;
	deletedAt?: string;
};

export type RecordRow = {
	id: string;
	name_mac: Uint8Array | null;
	revision: number;
	key_generation: number;
	meta_nonce: Uint8Array;
	meta_ciphertext: Uint8Array;
	values_nonce: Uint8Array | null;
	/** Null for a tombstone: a deleted secret keeps its row, sealed metadata and revision for sync. */
	values_ciphertext: Uint8Array | null;
};

/** Decrypted values as buffers, so they can be wiped once the caller is done. */
export type ValueBuffers = Map<string, Buffer>;

export class RecordCodec {
	/** Moves with every row written (record-store.ts's upsertRecord). */
	readonly digest: RollbackDigest;

	constructor(
		private readonly vaultId: string,
		private readonly keys: VaultKeys,
	) {
		this.digest = new RollbackDigest(vaultId, keys.rollback);
	}

	sealPart(recordId: string, part: RecordPart, revision: number, keyGeneration: number, plaintext: Uint8Array) {
		const aad = recordAad({vaultId: this.vaultId, recordId, part, revision, keyGeneration});
		return seal(this.keys.recordKey(keyGeneration), plaintext, aad);
	}

	openPart(row: RecordRow, part: RecordPart): Uint8Array {
		const nonce = part === 'meta' ? row.meta_nonce : row.values_nonce;
		const ciphertext = part === 'meta' ? row.meta_ciphertext : row.values_ciphertext;
		if (!nonce || !ciphertext) {
			throw new IntegrityError(`secret ${row.id} has no ${part} ciphertext`);
		}

		const aad = recordAad({vaultId: this.vaultId, recordId: row.id, part, revision: row.revision, keyGeneration: row.key_generation});
		try {
			return open(this.keys.recordKey(row.key_generation), nonce, ciphertext, aad);
		} catch (error) {
			if (error instanceof IntegrityError) {
				throw new IntegrityError(`secret ${row.id} failed its integrity check (${part}): the vault file was altered or damaged`);
			}

			throw error;
		}
	}

	openMeta(row: RecordRow): SealedMeta {
		const plaintext = this.openPart(row, 'meta');
		try {
			return JSON.parse(Buffer.from(plaintext).toString('utf8')) as SealedMeta;
		} catch {
			throw new IntegrityError(`secret ${row.id} has unreadable metadata`);
		}
	}

	/**
	 * Metadata of a row that should be a live secret. Whether a row is a tombstone is read from the
	 * sealed metadata, not trusted from the table, so it cannot be flipped without the key.
	 */
	openLiveMeta(row: RecordRow): SealedMeta {
		const meta = this.openMeta(row);
		if (meta.deletedAt !== undefined) {
			throw new IntegrityError(`secret ${row.id} is marked deleted in its sealed metadata but has values: the vault file was altered`);
		}

		return meta;
	}

	openValues(row: RecordRow): ValueBuffers {
		const plaintext = this.openPart(row, 'values');
		try {
			const fields = decodeFields(plaintext);
			const values: ValueBuffers = new Map();
			for (let index = 0; index + 1 < fields.length; index += 2) {
				values.set(fields[index]!.toString('utf8'), fields[index + 1]!);
			}

			return values;
		} catch {
			throw new IntegrityError(`secret ${row.id} has unreadable values`);
		} finally {
			plaintext.fill(0);
		}
	}

	/** Seals both parts at `revision` and writes the row (insert or replace). */
	write(db: DatabaseSync, input: {id: string; nameMac: Uint8Array | null; revision: number; keyGeneration: number; meta: SealedMeta; values: ValueBuffers | null}): void {
		const metaPlain = Buffer.from(JSON.stringify(input.meta), 'utf8');
		const metaSealed = this.sealPart(input.id, 'meta', input.revision, input.keyGeneration, metaPlain);
		let valuesSealed: {nonce: Uint8Array; ciphertext: Uint8Array} | null = null;
		if (input.values) {
			const valuesPlain = encodeFields([...input.values].flatMap(([key, value]) => [key, value]));
			valuesSealed = this.sealPart(input.id, 'values', input.revision, input.keyGeneration, valuesPlain);
			valuesPlain.fill(0);
		}

		upsertRecord(db, this.digest, {
			id: input.id,
			name_mac: input.nameMac,
			revision: input.revision,
			key_generation: input.keyGeneration,
			meta_nonce: metaSealed.nonce,
			meta_ciphertext: metaSealed.ciphertext,
			values_nonce: valuesSealed?.nonce ?? null,
			values_ciphertext: valuesSealed?.ciphertext ?? null,
		}, input.meta);
	}
}
