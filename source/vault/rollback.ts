import {hash, timingSafeEqual} from 'node:crypto';
import type {DatabaseSync} from 'node:sqlite';
import {cryptoFormatVersion, formatTag} from './aad.js';
import {open, seal} from './aead.js';
import {decodeFields, encodeFields} from './encoding.js';
import {IntegrityError} from '../errors.js';
import type {RecordRow} from './records.js';

/**
 * The rollback digest: a keyed multiset hash over every row of the `records` table, kept sealed in
 * the header and updated in the same transaction as every record write (see
 * {@link RollbackDigest.replaceRow}, called only from record-store.ts's `upsertRecord`). Each record's
 * ciphertexts already fail to open when moved to another record, part or revision (their AAD), but
 * a whole row copied back from an older copy of the file (old revision, old ciphertexts) opens fine
 * on its own. The digest is what notices: it no longer matches the rows.
 *
 * Construction.
 *   element(row) = HMAC-SHA256(k_element, canonical(row))
 *   canonical    = id (length-prefixed), revision, key generation, and for each part (meta, values):
 *                  nonce, ciphertext length and the ciphertext's last 16 bytes (its GCM-SIV tag)
 *   digest       = Σ element(row) mod 2^256 over every row (tombstones included), and the row count
 *   stored       = AES-256-GCM-SIV(k_seal, fields(digest, count)), AAD = format tag, version, vault id
 * with both keys from the root key by HKDF under distinct labels.
 *
 * Why the tag stands for the whole ciphertext: every ciphertext is opened with its AEAD before any
 * use, and under one key a GCM-SIV (nonce, tag) pair authenticates exactly one ciphertext: a row
 * keeping an old nonce and tag but another body is a forgery, refused when opened. A genuine older
 * ciphertext has another random nonce and tag, so it changes the element. Reading 16 bytes instead
 * of the whole ciphertext (and building the canonical text in SQL, one column a row) keeps the check
 * at every unlock cheap (measured in the readme's security notes).
 *
 * Why a sum mod 2^256, not XOR: XOR of the elements is only a *set* hash (an element counted twice
 * cancels out). A sum of PRF outputs mod 2^256 is Clarke et al.'s MSet-Add-Hash, collision resistant
 * on multisets while the elements are unpredictable, which the key guarantees: nobody without the
 * root key can compute one. Both are linear, though: differences of digests taken from old copies
 * of the file would let an attacker compute the digest of a spliced state. That is why the stored
 * value is sealed (encrypted and authenticated): an old sealed digest can be copied back whole,
 * never adjusted, and it matches only the rows it was sealed with, so restoring one row with an old
 * digest means restoring the whole record table, a rollback of the whole file that no check inside
 * the file can see.
 *
 * The `name_mac` column is left out: it is an index, not data (every lookup checks the sealed name
 * and visibility against it), and sync rewrites it on its own when a name clash heals.
 */

export const rollbackHeaderKey = 'rollback_digest';

/** The header value of a file migrated from format 2 that has not been unlocked since: no digest yet. */
export const rollbackPending = 'pending';

export type DigestState = {sum: Uint8Array; count: number};

/** The last 16 bytes of a blob column (all of it if shorter), in upper-case hex. */
const sqlTag = (column: string) => `hex(substr(${column}, max(length(${column}) - 15, 1)))`;

/** `text`, or '-' when `column` is NULL (hex(NULL) is '', not NULL). */
const orDash = (column: string, text: string) => `CASE WHEN ${column} IS NULL THEN '-' ELSE ${text} END`;

/** {@link canonical}, computed by SQLite: one text column a row, so a full check stays cheap. */
const canonicalSql = [
	"length(CAST(id AS BLOB)) || ':' || id",
	'revision',
	'key_generation',
	'hex(meta_nonce)',
	'length(meta_ciphertext)',
	sqlTag('meta_ciphertext'),
	orDash('values_nonce', 'hex(values_nonce)'),
	orDash('values_ciphertext', 'length(values_ciphertext)'),
	orDash('values_ciphertext', sqlTag('values_ciphertext')),
].join(" || ':' || ");

type DigestRow = Pick<RecordRow, 'id' | 'revision' | 'key_generation' | 'meta_nonce' | 'meta_ciphertext' | 'values_nonce' | 'values_ciphertext'>;

const hex = (bytes: Uint8Array) => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex').toUpperCase();
const tag = (bytes: Uint8Array) => hex(bytes.subarray(Math.max(bytes.length - 16, 0)));

/** The text an element is the HMAC of; equal, character for character, to {@link canonicalSql}. */
export function canonical(row: DigestRow): string {
	return [
		`${Buffer.byteLength(row.id, 'utf8')}:${row.id}`,
		row.revision,
		row.key_generation,
		hex(row.meta_nonce),
		row.meta_ciphertext.length,
		tag(row.meta_ciphertext),
		row.values_nonce === null ? '-' : hex(row.values_nonce),
		row.values_ciphertext === null ? '-' : row.values_ciphertext.length,
		row.values_ciphertext === null ? '-' : tag(row.values_ciphertext),
	].join(':');
}

export class RollbackDigest {
	readonly #innerPad: Buffer;
	readonly #outerPad: Buffer;
	readonly #sealKey: Uint8Array;
	readonly #aad: Uint8Array;
	/** The digest as this transaction's writes left it, sealed by {@link flush}. */
	#pending: {db: DatabaseSync; state: DigestState} | undefined;

	constructor(vaultId: string, keys: {elementKey: Uint8Array; sealKey: Uint8Array}) {
		// HMAC-SHA256 (RFC 2104) with the padded keys computed once: two one-shot hashes a row,
		// instead of a new keyed HMAC object a row. The keys are wiped with the vault's (wipe()).
		this.#innerPad = Buffer.alloc(64, 0x36);
		this.#outerPad = Buffer.alloc(64, 0x5c);
		for (const [index, byte] of keys.elementKey.entries()) {
			this.#innerPad[index]! ^= byte;
			this.#outerPad[index]! ^= byte;
		}

		this.#sealKey = keys.sealKey;
		this.#aad = encodeFields([formatTag, cryptoFormatVersion, 'rollback-digest', vaultId]);
	}

	element(row: DigestRow): Uint8Array {
		return this.#elementOf(canonical(row));
	}

	#elementOf(text: string): Uint8Array {
		const inner = hash('sha256', Buffer.concat([this.#innerPad, Buffer.from(text, 'utf8')]), 'buffer');
		return new Uint8Array(hash('sha256', Buffer.concat([this.#outerPad, inner]), 'buffer'));
	}

	/** Overwrites the element key's pads (the seal key is the vault's, wiped with its keys). */
	wipe(): void {
		this.#innerPad.fill(0);
		this.#outerPad.fill(0);
	}

	/** The digest of the rows as they are in the file now. */
	compute(db: DatabaseSync): DigestState {
		const sum = new Uint8Array(32);
		let count = 0;
		const statement = db.prepare(`SELECT ${canonicalSql} FROM records`);
		statement.setReturnArrays(true);
		for (const [text] of statement.all() as unknown as Array<[string]>) {
			addInto(sum, this.#elementOf(text));
			count++;
		}

		return {sum, count};
	}

	/** The sealed digest in the header: a state, `pending` (not yet made), or undefined (missing). */
	read(db: DatabaseSync): DigestState | typeof rollbackPending | undefined {
		const stored = (db.prepare('SELECT value FROM header WHERE key = ?').get(rollbackHeaderKey) as {value: string} | undefined)?.value;
		if (stored === undefined || stored === rollbackPending) {
			return stored;
		}

		const bytes = new Uint8Array(Buffer.from(stored, 'base64'));
		if (bytes.length < 12) {
			throw new IntegrityError('the vault\'s rollback digest is damaged: the vault file was altered');
		}

		let fields: Buffer[];
		try {
			fields = decodeFields(open(this.#sealKey, bytes.subarray(0, 12), bytes.subarray(12), this.#aad));
		} catch {
			throw new IntegrityError('the vault\'s rollback digest failed its integrity check: the vault file was altered');
		}

		if (fields.length !== 2 || fields[0]!.length !== 32) {
			throw new IntegrityError('the vault\'s rollback digest is damaged: the vault file was altered');
		}

		return {sum: new Uint8Array(fields[0]!), count: Number(fields[1]!.toString('utf8'))};
	}

	write(db: DatabaseSync, state: DigestState): void {
		const {nonce, ciphertext} = seal(this.#sealKey, encodeFields([state.sum, state.count]), this.#aad);
		const value = Buffer.concat([nonce, ciphertext]).toString('base64');
		db.prepare('INSERT INTO header (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value').run(rollbackHeaderKey, value);
	}

	/**
	 * Moves the digest from `before` (the row being replaced, if any) to `after`. Runs inside the
	 * write's transaction; the moved digest is sealed once, by {@link flush}, just before that
	 * transaction commits (VaultCore.write), so the rows and the digest always change together and
	 * an import of 10,000 rows seals it once, not 10,000 times. It adjusts the stored digest rather
	 * than recomputing it: a mismatch already there (a row restored behind hush's back) is carried
	 * forward, never healed, so the next check still refuses the file.
	 */
	replaceRow(db: DatabaseSync, before: RecordRow | undefined, after: RecordRow): void {
		let pending = this.#pending;
		if (pending?.db !== db) {
			const current = this.read(db);
			if (current === undefined) {
				if (!carriesDigest(db)) {
					return;
				}

				throw missingDigest();
			}

			if (current === rollbackPending) {
				// Only until the first unlock after migration; that unlock computes the digest from scratch.
				return;
			}

			pending = {db, state: {sum: new Uint8Array(current.sum), count: current.count}};
			this.#pending = pending;
		}

		const {state} = pending;
		if (before) {
			subtractFrom(state.sum, this.element(before));
			state.count--;
		}

		addInto(state.sum, this.element(after));
		state.count++;
	}

	/** Seals the digest the transaction's writes moved. Call inside the transaction, before it commits. */
	flush(): void {
		const pending = this.#pending;
		this.#pending = undefined;
		if (pending) {
			this.write(pending.db, pending.state);
		}
	}

	/** Forgets the moves of a transaction that failed. */
	discard(): void {
		this.#pending = undefined;
	}

	/** How to return to the moves made so far, for a savepoint whose rows are rolled back. */
	snapshot(): () => void {
		const pending = this.#pending;
		const saved = pending && {db: pending.db, state: {sum: new Uint8Array(pending.state.sum), count: pending.state.count}};
		return () => {
			this.#pending = saved;
		};
	}

	/** Whether `state` is the digest of the rows now in the file. */
	matches(db: DatabaseSync, state: DigestState): {ok: boolean; records: number} {
		const actual = this.compute(db);
		return {ok: actual.count === state.count && timingSafeEqual(actual.sum, state.sum), records: actual.count};
	}
}

/** Format 3 and later keep a digest; older files (kept old only by tests of migration) have none. */
export const firstFormatWithDigest = 3;

export function carriesDigest(db: DatabaseSync): boolean {
	return (db.prepare('PRAGMA user_version').get() as {user_version: number}).user_version >= firstFormatWithDigest;
}

export function missingDigest(): IntegrityError {
	return new IntegrityError('the vault\'s rollback digest is missing: the vault file was altered');
}

/** `into += value` mod 2^256, both big-endian. */
function addInto(into: Uint8Array, value: Uint8Array): void {
	let carry = 0;
	for (let index = 31; index >= 0; index--) {
		const total = into[index]! + value[index]! + carry;
		into[index] = total & 0xff;
		carry = total >> 8;
	}
}

/** `into -= value` mod 2^256, both big-endian. */
function subtractFrom(into: Uint8Array, value: Uint8Array): void {
	let borrow = 0;
	for (let index = 31; index >= 0; index--) {
		const total = into[index]! - value[index]! - borrow;
		into[index] = total & 0xff;
		borrow = total < 0 ? 1 : 0;
	}
}
