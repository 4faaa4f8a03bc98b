import {createHash} from 'node:crypto';
import type {DatabaseSync} from 'node:sqlite';
import {encodeFields} from './encoding.js';
import {pageSize} from './pages-codec.js';
import {canonicalSql} from './rollback-canonical.js';
import {prepared} from './statements.js';

/** The rollback digest's stored parts (rollback.ts): the bucket MACs, what the seal holds, and a bucket's rows. */

export type BucketMacs = Map<number, Uint8Array>;

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

/** One bucket's rows with their canonical text, by rowid (a range on the rowid B-tree). */
export function bucketRows(db: DatabaseSync, bucket: number): Array<{rowid: number; id: string; text: string}> {
	return prepared(db, `SELECT rowid, id, ${canonicalSql} AS text FROM records WHERE rowid >= ? AND rowid < ? ORDER BY rowid`)
		.all(bucket * pageSize, (bucket + 1) * pageSize) as Array<{rowid: number; id: string; text: string}>;
}
