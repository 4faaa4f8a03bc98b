import {createHmac, timingSafeEqual} from 'node:crypto';
import type {DatabaseSync} from 'node:sqlite';
import {type RecordPart, recordAad} from './aad.js';
import {open, seal} from './aead.js';
import {decodeFields, encodeFields} from './encoding.js';
import {IntegrityError, InvalidInputError, TeamKeyMissingError, ValuesUnavailableError} from '../errors.js';
import {keySpaceOf} from './key-generation.js';
import type {VaultKeys} from './keys.js';
import type {TeamKeyring} from './team-keyring.js';
import {type SecretType, maxSealedPartBytes} from './model.js';
import {upsertRecord} from './record-store.js';
import {RollbackDigest} from './rollback.js';
import {OpenedAhead, type SealedPart} from './opened-ahead.js';

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
	/**
	 * On a team record's tombstone only: HMAC-SHA256 under the generation's values key over the
	 * team, record and revision (base64). A tombstone has no values ciphertext, so without it a
	 * `list` member, who holds the metadata key, could seal a deletion every client would apply.
	 */
	deletionTag?: string;
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
	/** Parts a pull opened in a worker, which {@link openPart} takes instead of opening again. */
	readonly ahead = new OpenedAhead();

	constructor(
		private readonly vaultId: string,
		private readonly keys: VaultKeys,
		/** The team keys this device holds (team-keyring.ts), read only when a team record is touched. */
		private readonly teamKeys: () => TeamKeyring | undefined = () => undefined,
	) {
		this.digest = new RollbackDigest(vaultId, keys.rollback);
	}

	sealPart(recordId: string, part: RecordPart, revision: number, keyGeneration: number, plaintext: Uint8Array) {
		// Only a member who holds the values key may change a team record, its metadata or its
		// deletion included: a `list` member sees names and keys and changes nothing.
		this.#keyAndAad(recordId, 'values', revision, keyGeneration);
		const {key, aad} = this.#keyAndAad(recordId, part, revision, keyGeneration);
		return seal(key, plaintext, aad);
	}

	/** False for a team record whose values this member's role does not open (the metadata opens). */
	canOpenValues(row: Pick<RecordRow, 'key_generation'>): boolean {
		const space = keySpaceOf(row.key_generation);
		return space.space === 'personal' || this.teamKeys()?.generations.find(keys => keys.generation === space.generation)?.valuesKey !== undefined;
	}

	/**
	 * The key and AAD of one part: the root key's record key for a personal record; for a team record
	 * its generation's metadata or values key, with the team's id in the AAD (key-generation.ts).
	 */
	#keyAndAad(recordId: string, part: RecordPart, revision: number, keyGeneration: number): {key: Uint8Array; aad: Uint8Array} {
		const space = keySpaceOf(keyGeneration);
		if (space.space === 'personal') {
			return {key: this.keys.recordKey(keyGeneration), aad: recordAad({vaultId: this.vaultId, recordId, part, revision, keyGeneration})};
		}

		const keyring = this.teamKeys();
		const keys = keyring?.generations.find(candidate => candidate.generation === space.generation);
		if (!keyring || !keys) {
			throw new TeamKeyMissingError(`secret ${recordId} is sealed under team key generation ${space.generation}, which this device does not hold: run hush sync (a new member waits for an admin's hush team approve)`);
		}

		const key = part === 'meta' ? keys.metadataKey : keys.valuesKey;
		if (!key) {
			throw new ValuesUnavailableError(`your role in the team opens names and keys, not values: secret ${recordId}'s values are unavailable to you`);
		}

		return {key, aad: recordAad({vaultId: keyring.teamId, space: 'team', recordId, part, revision, keyGeneration})};
	}

	/** What opening one part of a row takes (key, nonce, ciphertext, AAD); throws as {@link openPart} does before it opens. */
	sealedPart(row: RecordRow, part: RecordPart): SealedPart {
		const nonce = part === 'meta' ? row.meta_nonce : row.values_nonce;
		const ciphertext = part === 'meta' ? row.meta_ciphertext : row.values_ciphertext;
		if (!nonce || !ciphertext) {
			throw new IntegrityError(`secret ${row.id} has no ${part} ciphertext`);
		}

		return {...this.#keyAndAad(row.id, part, row.revision, row.key_generation), nonce, ciphertext};
	}

	openPart(row: RecordRow, part: RecordPart): Uint8Array {
		const sealed = this.sealedPart(row, part);
		const {key, nonce, ciphertext, aad} = sealed;
		try {
			return this.ahead.take(sealed) ?? open(key, nonce, ciphertext, aad);
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
			return JSON.parse(Buffer.from(plaintext.buffer, plaintext.byteOffset, plaintext.byteLength).toString('utf8')) as SealedMeta;
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

	/** The tag a team tombstone must carry (see {@link SealedMeta.deletionTag}); undefined for personal records. */
	#deletionTag(recordId: string, revision: number, keyGeneration: number): string | undefined {
		if (keySpaceOf(keyGeneration).space !== 'team') {
			return undefined;
		}

		const {key, aad} = this.#keyAndAad(recordId, 'values', revision, keyGeneration);
		return createHmac('sha256', key).update('hush/v1/team-deletion\0').update(aad).digest('base64');
	}

	/**
	 * Refuses a pulled team tombstone whose deletion tag does not verify under the values key, when
	 * this member holds it (a `list` member cannot tell, and changes nothing either way).
	 */
	checkDeletion(row: RecordRow, meta: SealedMeta): void {
		if (keySpaceOf(row.key_generation).space !== 'team' || !this.canOpenValues(row)) {
			return;
		}

		const expected = Buffer.from(this.#deletionTag(row.id, row.revision, row.key_generation)!, 'base64');
		const given = Buffer.from(typeof meta.deletionTag === 'string' ? meta.deletionTag : '', 'base64');
		if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
			throw new IntegrityError(`secret ${row.id} is marked deleted without proof from a member who holds the values key: refusing the deletion`);
		}
	}

	/** Seals both parts at `revision` and writes the row (insert or replace). */
	write(db: DatabaseSync, input: {id: string; nameMac: Uint8Array | null; revision: number; keyGeneration: number; meta: SealedMeta; values: ValueBuffers | null}): void {
		if (input.values === null) {
			const {deletionTag: _previous, ...meta} = input.meta;
			const tag = this.#deletionTag(input.id, input.revision, input.keyGeneration);
			input = {...input, meta: tag === undefined ? meta : {...meta, deletionTag: tag}};
		}

		const metaPlain = Buffer.from(JSON.stringify(input.meta), 'utf8');
		assertSealable(input.meta.name, 'metadata', metaPlain);
		const valuesPlain = input.values && encodeFields([...input.values].flatMap(([key, value]) => [key, value]));
		if (valuesPlain) {
			assertSealable(input.meta.name, 'values', valuesPlain);
		}

		const metaSealed = this.sealPart(input.id, 'meta', input.revision, input.keyGeneration, metaPlain);
		let valuesSealed: {nonce: Uint8Array; ciphertext: Uint8Array} | null = null;
		if (valuesPlain) {
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

/** A part must fit what one record carries through sync once sealed (its 16-byte tag added); refused, it is wiped. */
function assertSealable(name: string, part: 'metadata' | 'values', plaintext: Uint8Array): void {
	if (plaintext.length + 16 > maxSealedPartBytes) {
		plaintext.fill(0);
		throw new InvalidInputError(`secret ${name} would hold ${Math.ceil(plaintext.length / 1024)} KiB of ${part}; the limit is ${maxSealedPartBytes / 1024} KiB a secret, what one record carries through sync: split it into several secrets`);
	}
}
