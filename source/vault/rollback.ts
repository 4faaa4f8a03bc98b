import {createHmac, timingSafeEqual} from 'node:crypto';
import type {DatabaseSync} from 'node:sqlite';
import {cryptoFormatVersion, formatTag} from './aad.js';
import {open, seal} from './aead.js';
import {encodeFields} from './encoding.js';
import {IntegrityError} from '../errors.js';
import {pageSize} from './pages-codec.js';
import {canonical, canonicalSql} from './rollback-canonical.js';
import {type BucketMacs, bucketRows, carriesBuckets, missingDigest, rollbackMismatch, sealedValue, storedMacs} from './rollback-tables.js';

export {type BucketMacs, carriesBuckets, carriesDigest, firstFormatWithBuckets, missingDigest, rollbackMismatch} from './rollback-tables.js';
import type {RecordRow} from './records.js';

/**
 * The rollback digest (format 5): what notices a record row copied back from an older copy of the
 * vault file. Each ciphertext already fails to open when moved to another record, part or
 * revision (its AAD), but a whole old row (old revision, old ciphertexts) opens fine on its own.
 *
 * Construction. Rows fall in buckets by SQLite rowid, {@link pageSize} to a bucket, the same slices
 * as the metadata pages (pages.ts), so a page and its bucket cover the same rows.
 *   text(b)  = for each row of bucket b by rowid: `rowid:canonical(row)` (rollback-canonical.ts), joined by newlines
 *   mac(b)   = HMAC-SHA256(k_element, fields('rollback-bucket', b) || text(b)), kept in `rollback_buckets`
 *   seal     = AES-256-GCM-SIV(k_seal, SHA-256(b, mac(b) for every bucket in order) and the bucket count),
 *              AAD = format tag, version, 'rollback-buckets', vault id; kept in the header
 *
 * The seal binds the whole table of bucket MACs: a MAC cannot be replaced by an older one without
 * the older seal, and an older seal matches only the older MACs of every bucket. So restoring a
 * bucket's rows with its old MAC and the old seal leaves every bucket changed since then failing
 * its check: a rollback that escapes them all is a rollback of the whole file, which no check
 * inside the file can see.
 *
 * When it is checked (the departure from formats 3 and 4, which recomputed one HMAC a row at every
 * unlock, O(n) before a `get` could read one record):
 *   - at every unlock, the seal against the stored MACs (one AEAD open and one hash over them);
 *   - before a record is used, its bucket against its MAC (lookup.ts), and on a lookup that finds
 *     nothing, every bucket (a removed row);
 *   - a listing opens a page only under its bucket's current MAC (its AAD, pages-codec.ts), and
 *     checks the bucket of any row its page does not vouch for;
 *   - a write checks each bucket it touches as it stood before the transaction, so a tampered
 *     bucket is refused rather than laundered into a fresh MAC;
 *   - `hush audit --verify` and sync check every bucket.
 * A restored row is therefore refused by every command that reads it, and by listing, though a
 * `get` of another secret no longer notices it.
 */

export const sealHeaderKey = 'rollback_seal';

/** The seal's header value until the first unlock builds the buckets: a file migrated from format 2 or just made. */
export const sealPending = 'pending';

/** The seal's header value of a file moved from format 4 until its first unlock: the old digest is checked, then buckets built. */
export const sealFromSum = 'from-sum';

export const bucketOfRowid = (rowid: number) => Math.floor(rowid / pageSize);


export type TransactionMacs = {previous: BucketMacs; current: BucketMacs; touched: ReadonlySet<number>};

/** The first image of each row a transaction wrote: its rowid and canonical text, or null when the row is new. */
type BeforeImage = {rowid: number; text: string | null};

export class RollbackDigest {
	readonly #elementKey: Uint8Array;
	readonly #sealKey: Uint8Array;
	readonly #aad: Uint8Array;
	/** What this transaction wrote, to check each bucket as it stood before and re-MAC it at {@link flush}. */
	#pending: {db: DatabaseSync; before: Map<string, BeforeImage>; buckets: Set<number>} | undefined;
	/** What {@link flush} did in the transaction now committing, for the pages sealed after it. */
	#flushed: (TransactionMacs & {db: DatabaseSync}) | undefined;
	/** Buckets this process found matching their MAC, with that MAC. */
	#checkedBuckets: {db: DatabaseSync; macs: BucketMacs} | undefined;
	/** The MACs last verified, by the seal's header value they were verified under (a write always changes it). */
	#verified: {db: DatabaseSync; seal: string; macs: BucketMacs} | undefined;

	constructor(vaultId: string, keys: {elementKey: Uint8Array; sealKey: Uint8Array}) {
		this.#elementKey = keys.elementKey;
		this.#sealKey = keys.sealKey;
		this.#aad = encodeFields([formatTag, cryptoFormatVersion, 'rollback-buckets', vaultId]);
	}

	macOf(bucket: number, text: string): Uint8Array {
		return new Uint8Array(createHmac('sha256', this.#elementKey).update(encodeFields(['rollback-bucket', bucket])).update(text, 'utf8').digest());
	}

	/** The seal's header value: sealed bytes, {@link sealPending}, {@link sealFromSum}, or undefined (missing). */
	readSeal(db: DatabaseSync): string | undefined {
		return (db.prepare('SELECT value FROM header WHERE key = ?').get(sealHeaderKey) as {value: string} | undefined)?.value;
	}

	/** The stored bucket MACs, checked against the seal: O(buckets), no record is read. */
	verifiedMacs(db: DatabaseSync): BucketMacs {
		const stored = this.readSeal(db);
		if (stored === undefined || stored === sealPending || stored === sealFromSum) {
			throw missingDigest();
		}

		const verified = this.#verified;
		if (verified?.db === db && verified.seal === stored) {
			return new Map(verified.macs);
		}

		const bytes = new Uint8Array(Buffer.from(stored, 'base64'));
		let sealed: Uint8Array;
		try {
			sealed = open(this.#sealKey, bytes.subarray(0, 12), bytes.subarray(12), this.#aad);
		} catch {
			throw new IntegrityError('the vault\'s rollback digest failed its integrity check: the vault file was altered');
		}

		const macs = storedMacs(db);
		if (!timingSafeEqual(Buffer.from(sealed), Buffer.from(sealedValue(macs)))) {
			throw rollbackMismatch();
		}

		this.#verified = {db, seal: stored, macs: new Map(macs)};
		return macs;
	}

	/**
	 * The MACs before and after the transaction now committing, and the buckets it re-MACed: a page
	 * is opened under its bucket's MAC from before and sealed under the one after (pages.ts).
	 */
	transactionMacs(db: DatabaseSync): TransactionMacs {
		if (this.#flushed?.db === db) {
			return this.#flushed;
		}

		const macs = this.verifiedMacs(db);
		return {previous: macs, current: macs, touched: new Set()};
	}

	/** Checks one bucket's rows against `macs` (from {@link verifiedMacs}). */
	verifyBucket(db: DatabaseSync, bucket: number, macs: BucketMacs): void {
		// A bucket whose rows this process found matching this very MAC is not read again: an export
		// of 10,000 secrets checks 40 buckets, not 10,000. Rows changed behind an unchanged MAC since
		// are noticed by the next process, as a check made once at unlock noticed them.
		if (this.#touched(db, bucket)) {
			return;
		}

		const mac = macs.get(bucket);
		const checked = this.#checkedBuckets?.db === db ? this.#checkedBuckets.macs.get(bucket) : undefined;
		if (mac !== undefined && checked !== undefined && timingSafeEqual(mac, checked)) {
			return;
		}

		this.verifyBucketRows(db, bucket, bucketRows(db, bucket), macs);
	}

	/** {@link verifyBucket} with the bucket's rows (rowid and canonical text, by rowid) already read. */
	verifyBucketRows(db: DatabaseSync, bucket: number, rows: ReadonlyArray<{rowid: number; text: string}>, macs: BucketMacs): void {
		if (this.#touched(db, bucket)) {
			return;
		}

		const mac = macs.get(bucket);
		const text = rows.map(row => `${row.rowid}:${row.text}`).join('\n');
		if (!this.#macMatches(bucket, text, macs)) {
			throw rollbackMismatch();
		}

		if (mac !== undefined) {
			if (this.#checkedBuckets?.db !== db) {
				this.#checkedBuckets = {db, macs: new Map()};
			}

			this.#checkedBuckets.macs.set(bucket, mac);
		}
	}

	/** Checks every bucket (one pass over the rows, in SQL); returns how many rows it covered. */
	verifyAll(db: DatabaseSync): {records: number} {
		const macs = this.verifiedMacs(db);
		const computed = this.#computeAll(db);
		if (computed.macs.size !== macs.size) {
			throw rollbackMismatch();
		}

		for (const [bucket, mac] of computed.macs) {
			const stored = macs.get(bucket);
			if (stored === undefined || !timingSafeEqual(stored, mac)) {
				throw rollbackMismatch();
			}
		}

		return {records: computed.records};
	}

	/** Computes every bucket's MAC from the rows as they are and seals them: a new or migrated file's first unlock. */
	build(db: DatabaseSync): {records: number} {
		const computed = this.#computeAll(db);
		db.exec('DELETE FROM rollback_buckets');
		const insert = db.prepare('INSERT INTO rollback_buckets (bucket, mac) VALUES (?, ?)');
		for (const [bucket, mac] of computed.macs) {
			insert.run(bucket, mac);
		}

		this.#writeSeal(db, computed.macs);
		return {records: computed.records};
	}

	/**
	 * Notes a row written in the current transaction (record-store.ts's upsertRecord, the one place
	 * rows are written): `before` is the row as it was, if any. Only the first image of a row in a
	 * transaction is kept, so a savepoint rolled back needs no undo: {@link flush} rebuilds each
	 * touched bucket as it stood before the transaction from the rows as they are now.
	 */
	noteWrite(db: DatabaseSync, rowid: number, id: string, before: RecordRow | undefined): void {
		if (this.#pending?.db !== db) {
			if (!carriesBuckets(db)) {
				return;
			}

			this.#pending = {db, before: new Map(), buckets: new Set()};
		}

		const pending = this.#pending;
		if (!pending.before.has(id)) {
			pending.before.set(id, {rowid, text: before ? canonical(before) : null});
		}

		pending.buckets.add(bucketOfRowid(rowid));
	}

	/**
	 * Checks each bucket the transaction touched as it stood before, then stores its new MAC and
	 * re-seals. Call inside the transaction, before it commits (VaultCore.write), so the rows, the
	 * MACs and the seal always change together.
	 */
	flush(): void {
		const pending = this.#pending;
		this.#pending = undefined;
		if (!pending) {
			return;
		}

		const {db} = pending;
		const previous = this.verifiedMacs(db);
		const macs = new Map(previous);
		const upsert = db.prepare('INSERT INTO rollback_buckets (bucket, mac) VALUES (?, ?) ON CONFLICT (bucket) DO UPDATE SET mac = excluded.mac');
		for (const bucket of pending.buckets) {
			const rows = bucketRows(db, bucket);
			const before: string[] = [];
			for (const row of rows) {
				const image = pending.before.get(row.id);
				const text = image === undefined ? row.text : image.text;
				if (text !== null) {
					before.push(`${row.rowid}:${text}`);
				}
			}

			if (!this.#macMatches(bucket, before.join('\n'), previous)) {
				throw rollbackMismatch();
			}

			const mac = this.macOf(bucket, rows.map(row => `${row.rowid}:${row.text}`).join('\n'));
			macs.set(bucket, mac);
			upsert.run(bucket, mac);
		}

		this.#writeSeal(db, macs);
		this.#flushed = {db, previous, current: macs, touched: pending.buckets};
	}

	/** Forgets the writes of a transaction that ended. */
	discard(): void {
		this.#pending = undefined;
		this.#flushed = undefined;
	}

	/**
	 * Whether the open write transaction changed `bucket`: its rows no longer match the stored MAC,
	 * and {@link flush} checks them as they stood before the transaction.
	 */
	#touched(db: DatabaseSync, bucket: number): boolean {
		return this.#pending?.db === db && this.#pending.buckets.has(bucket);
	}

	/** A bucket never written has no MAC and must have no rows. */
	#macMatches(bucket: number, text: string, macs: BucketMacs): boolean {
		const stored = macs.get(bucket);
		return stored === undefined ? text === '' : timingSafeEqual(stored, this.macOf(bucket, text));
	}

	#computeAll(db: DatabaseSync): {macs: BucketMacs; records: number} {
		const statement = db.prepare(
			`SELECT rowid / ${pageSize} AS bucket, count(*) AS records, group_concat(rowid || ':' || ${canonicalSql}, char(10) ORDER BY rowid) AS text FROM records GROUP BY bucket`,
		);
		statement.setReturnArrays(true);
		const macs: BucketMacs = new Map();
		let records = 0;
		for (const [bucket, count, text] of statement.iterate() as Iterable<[number, number, string]>) {
			macs.set(bucket, this.macOf(bucket, text));
			records += count;
		}

		return {macs, records};
	}

	#writeSeal(db: DatabaseSync, macs: BucketMacs): void {
		const {nonce, ciphertext} = seal(this.#sealKey, sealedValue(macs), this.#aad);
		db.prepare('INSERT INTO header (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value').run(
			sealHeaderKey,
			Buffer.concat([nonce, ciphertext]).toString('base64'),
		);
	}
}
