import {createHmac} from 'node:crypto';
import type {DatabaseSync} from 'node:sqlite';
import {cryptoFormatVersion, formatTag} from './aad.js';
import {open, seal} from './aead.js';
import {encodeFields} from './encoding.js';
import {IntegrityError} from '../errors.js';
import {type PendingWrites, textBefore} from './rollback-writes.js';
import {pageSize, sliceOfRowid as bucketOfRowid} from './pages-codec.js';
import {canonical} from './rollback-canonical.js';
import {prepared} from './statements.js';
import {type BucketMacs, type BucketRow, sameBytes, bucketRows, carriesBuckets, missingDigest, rollbackMismatch, sealedValue, storedMacs} from './rollback-tables.js';

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
 * The seal binds the whole table of MACs: a MAC cannot be replaced alone. An attacker can restore
 * a bucket's rows together with the whole MAC table and the seal from an older copy; every bucket
 * changed since then then fails its check, but the restored bucket itself passes. Hence when it is
 * checked (formats 3 and 4 recomputed one HMAC a row at every unlock, O(n) before any `get`):
 *   - at every unlock, the seal against the stored MACs (one AEAD open, one hash over them);
 *   - before a record is used, its bucket (core.ts's verifyRecordBucket: in a vault of a few
 *     buckets every bucket, else its own and one other at random), every bucket on a lookup that
 *     finds nothing (a removed row);
 *   - a listing, every bucket, in the query that reads its pages' rows (pages.ts), and a page opens
 *     only under its bucket's MAC (pages-codec.ts);
 *   - a write, each bucket it touches as it stood before the transaction, so a tampered bucket is
 *     refused rather than laundered into a fresh MAC;
 *   - sync and `hush audit --verify`, every bucket.
 * What is lost against a check of every row at unlock: a `get` in a large vault notices a restored
 * bucket (with the old MACs and seal) only when it or the bucket it samples changed since the copy.
 * A rollback of the whole file is out of reach of any check inside it.
 */

export const sealHeaderKey = 'rollback_seal';

/** The seal's header value until the first unlock builds the buckets: a file migrated from format 2 or just made. */
export const sealPending = 'pending';

/** The seal's header value of a file moved from format 4 until its first unlock: the old digest is checked, then buckets built. */
export const sealFromSum = 'from-sum';

export {sliceOfRowid as bucketOfRowid} from './pages-codec.js';

/** A transaction's bucket MACs before and after its writes, and the rows flush MACed for each bucket it touched (pages.ts seals those). */
export type TransactionMacs = {previous: BucketMacs; current: BucketMacs; touched: ReadonlySet<number>; rows: ReadonlyMap<number, readonly BucketRow[]>};

export class RollbackDigest {
	readonly #elementKey: Uint8Array;
	readonly #sealKey: Uint8Array;
	readonly #aad: Uint8Array;
	/** What this transaction wrote, to check each bucket as it stood before and re-MAC it at {@link flush}. */
	#pending: PendingWrites | undefined;
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
		if (!sameBytes(sealed, sealedValue(macs))) {
			throw rollbackMismatch();
		}

		this.#verified = {db, seal: stored, macs: new Map(macs)};
		return macs;
	}

	/**
	 * The MACs before and after the transaction now committing, and the buckets it re-MACed: a page
	 * is opened under its bucket's MAC from before and sealed under the one after (pages.ts).
	 */
	transactionMacs(db: DatabaseSync): TransactionMacs | undefined {
		if (!carriesBuckets(db)) {
			return undefined;
		}

		if (this.#flushed?.db === db) {
			return this.#flushed;
		}

		const macs = this.verifiedMacs(db);
		return {previous: macs, current: macs, touched: new Set(), rows: new Map()};
	}

	/** Checks one bucket's rows against `macs` (from {@link verifiedMacs}). */
	verifyBucket(db: DatabaseSync, bucket: number, macs: BucketMacs | undefined): void {
		// A bucket whose rows this process found matching this very MAC is not read again: an export
		// of 10,000 secrets checks 40 buckets, not 10,000. Rows changed behind an unchanged MAC since
		// are noticed by the next process, as a check made once at unlock noticed them.
		if (macs === undefined || this.#touched(db, bucket)) {
			return;
		}

		const mac = macs.get(bucket);
		const checked = this.#checkedBuckets?.db === db ? this.#checkedBuckets.macs.get(bucket) : undefined;
		if (mac !== undefined && checked !== undefined && sameBytes(mac, checked)) {
			return;
		}

		this.verifyBucketRows(db, bucket, bucketRows(db, bucket), macs);
	}

	/** {@link verifyBucket} with the bucket's rows (rowid and canonical text, by rowid) already read. */
	verifyBucketRows(db: DatabaseSync, bucket: number, rows: ReadonlyArray<{rowid: number; text: string}>, macs: BucketMacs | undefined): void {
		if (macs === undefined || this.#touched(db, bucket)) {
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

	/** Checks every bucket with a MAC that a reader of all pages did not visit: one must have no rows. */
	verifyUnvisited(db: DatabaseSync, visited: ReadonlySet<number>, macs: BucketMacs | undefined): void {
		for (const bucket of macs?.keys() ?? []) {
			if (!visited.has(bucket)) {
				this.verifyBucket(db, bucket, macs);
			}
		}
	}

	/**
	 * Notes a row written in the current transaction (record-store.ts's upsertRecord, the one place
	 * rows are written): `before` is the row as it was, if any. Only the first image of a row in a
	 * transaction is kept, so a savepoint rolled back needs no undo: {@link flush} rebuilds each
	 * touched bucket as it stood before the transaction from the rows as they are now.
	 */
	noteWrite(db: DatabaseSync, rowid: number, written: {id: string; text: string}, before: RecordRow | undefined): void {
		if (this.#pending?.db !== db) {
			if (!carriesBuckets(db)) {
				return;
			}

			this.#pending = {db, before: new Map(), after: new Map(), journal: [], buckets: new Set()};
		}

		const pending = this.#pending;
		const {id} = written;
		if (!pending.before.has(id)) {
			pending.before.set(id, {rowid, text: before ? canonical(before) : null});
		}

		pending.journal.push([id, pending.after.get(id)]);
		pending.after.set(id, written.text);
		pending.buckets.add(bucketOfRowid(rowid));
	}

	/** How to forget the writes a savepoint rolls back: what each row is expected to hold goes back too. */
	snapshot(): () => void {
		const pending = this.#pending;
		const length = pending?.journal.length ?? 0;
		return () => {
			if (pending !== undefined && this.#pending === pending) {
				for (const [id, previous] of pending.journal.splice(length).reverse()) {
					if (previous === undefined) {
						pending.after.delete(id);
					} else {
						pending.after.set(id, previous);
					}
				}
			}
		};
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
		const read = new Map<number, BucketRow[]>();
		for (const bucket of pending.buckets) {
			const rows = bucketRows(db, bucket);
			read.set(bucket, rows);
			if (!this.#macMatches(bucket, textBefore(pending, rows), previous)) {
				throw rollbackMismatch();
			}

			if (rows.length === 0) {
				// Its only rows were a savepoint's, rolled back: a bucket without rows has no MAC.
				macs.delete(bucket);
				prepared(db, 'DELETE FROM rollback_buckets WHERE bucket = ?').run(bucket);
				continue;
			}

			const mac = this.macOf(bucket, rows.map(row => `${row.rowid}:${row.text}`).join('\n'));
			macs.set(bucket, mac);
			upsert.run(bucket, mac);
		}

		this.writeSeal(db, macs);
		this.#flushed = {db, previous, current: macs, touched: pending.buckets, rows: read};
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
		return stored === undefined ? text === '' : sameBytes(stored, this.macOf(bucket, text));
	}

	/** Seals `macs` into the header (after their table rows are written, in the same transaction). */
	writeSeal(db: DatabaseSync, macs: BucketMacs): void {
		const {nonce, ciphertext} = seal(this.#sealKey, sealedValue(macs), this.#aad);
		db.prepare('INSERT INTO header (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value').run(
			sealHeaderKey,
			Buffer.concat([nonce, ciphertext]).toString('base64'),
		);
	}
}
