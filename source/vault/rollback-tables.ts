import {createHash, timingSafeEqual} from 'node:crypto';
import type {DatabaseSync} from 'node:sqlite';
import {encodeFields} from './encoding.js';
import {IntegrityError, RollbackError} from '../errors.js';
import {pageSize} from './pages-codec.js';
import {canonicalSql} from './rollback-canonical.js';
import {prepared} from './statements.js';

/** The rollback digest's stored parts (rollback.ts): the bucket MACs, what the seal holds, and a bucket's rows. */

export type BucketMacs = Map<number, Uint8Array>;

/** Equal bytes, in constant time for equal lengths; a length planted in the file is a mismatch, not a crash. */
export const sameBytes = (a: Uint8Array, b: Uint8Array) => a.length === b.length && timingSafeEqual(a, b);

export function storedMacs(db: DatabaseSync): BucketMacs {
	const statement = db.prepare('SELECT bucket, mac FROM rollback_buckets ORDER BY bucket');
	statement.setReturnArrays(true);
	return new Map(statement.all() as unknown as Array<[number, Uint8Array]>);
}

/** What the seal holds: a hash of every (bucket, MAC) in bucket order, and their count. */
export function sealedValue(macs: BucketMacs): Uint8Array {
	const hash = createHash('sha256');
	for (const bucket of [...macs.keys()].sort((a, b) => a - b)) {
		hash.update(encodeFields([bucket, macs.get(bucket)!]));
	}

	return encodeFields([hash.digest(), macs.size]);
}

/** A row of a bucket (a page's slice), tombstones included, with its canonical text: what the bucket's MAC covers. */
export type BucketRow = {rowid: number; id: string; live: 0 | 1; text: string};

/** One bucket's rows with their canonical text, by rowid (a range on the rowid B-tree). */
export function bucketRows(db: DatabaseSync, bucket: number): BucketRow[] {
	return prepared(db, `SELECT rowid, id, values_ciphertext IS NOT NULL AS live, ${canonicalSql} AS text FROM records WHERE rowid >= ? AND rowid < ? ORDER BY rowid`)
		.all(bucket * pageSize, (bucket + 1) * pageSize) as BucketRow[];
}

/** Format 5 and later keep bucket MACs; formats 3 and 4 a digest of every row (rollback-sum.ts). */
export const firstFormatWithBuckets = 5;

/** Format 3 and later keep a rollback digest (the audit head says so, audit.ts); older files (kept old only by tests of migration) have none. */
export const firstFormatWithDigest = 3;

/** The file's format (PRAGMA user_version), through one prepared statement: readers ask it per page and per lookup. */
export function formatOf(db: DatabaseSync): number {
	return (prepared(db, 'PRAGMA user_version').get() as {user_version: number}).user_version;
}

export function carriesDigest(db: DatabaseSync): boolean {
	return formatOf(db) >= firstFormatWithDigest;
}

export function carriesBuckets(db: DatabaseSync): boolean {
	return formatOf(db) >= firstFormatWithBuckets;
}

export function missingDigest(): IntegrityError {
	return new IntegrityError('the vault\'s rollback digest is missing: the vault file was altered');
}

/**
 * The bucket is refused, and with it the command: a MAC says that the rows changed, not which. A
 * byte flipped in a nonce or tag, or a ciphertext moved, also lands here.
 */
export function rollbackMismatch(): IntegrityError {
	return new RollbackError(
		'the vault failed its integrity check: its records do not match its rollback digest (a record was restored from an older copy of the vault file, or the file was altered)',
	);
}
