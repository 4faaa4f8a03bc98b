import type {DatabaseSync} from 'node:sqlite';
import {pageSize} from './pages-codec.js';
import type {RollbackDigest} from './rollback.js';
import {canonicalSql} from './rollback-canonical.js';
import {type BucketMacs, rollbackMismatch, sameBytes} from './rollback-tables.js';

/** The rollback digest over every bucket at once (rollback.ts): one pass over the rows, the text built by SQLite. */

function computeAll(digest: RollbackDigest, db: DatabaseSync): {macs: BucketMacs; records: number} {
	const statement = db.prepare(
		`SELECT rowid / ${pageSize} AS bucket, count(*) AS records, group_concat(rowid || ':' || ${canonicalSql}, char(10) ORDER BY rowid) AS text FROM records GROUP BY bucket`,
	);
	statement.setReturnArrays(true);
	const macs: BucketMacs = new Map();
	let records = 0;
	for (const [bucket, count, text] of statement.iterate() as Iterable<[number, number, string]>) {
		macs.set(bucket, digest.macOf(bucket, text));
		records += count;
	}

	return {macs, records};
}

/** Every bucket against its MAC, and no MAC without rows; how many rows that covered. */
export function verifyEveryBucket(digest: RollbackDigest, db: DatabaseSync): {records: number} {
	const macs = digest.verifiedMacs(db);
	const computed = computeAll(digest, db);
	if (computed.macs.size !== macs.size) {
		throw rollbackMismatch();
	}

	for (const [bucket, mac] of computed.macs) {
		const stored = macs.get(bucket);
		if (stored === undefined || !sameBytes(stored, mac)) {
			throw rollbackMismatch();
		}
	}

	return {records: computed.records};
}

/** Every bucket's MAC from the rows as they are, stored and sealed. */
export function buildEveryBucket(digest: RollbackDigest, db: DatabaseSync): {records: number} {
	const computed = computeAll(digest, db);
	db.exec('DELETE FROM rollback_buckets');
	const insert = db.prepare('INSERT INTO rollback_buckets (bucket, mac) VALUES (?, ?)');
	for (const [bucket, mac] of computed.macs) {
		insert.run(bucket, mac);
	}

	digest.writeSeal(db, computed.macs);
	return {records: computed.records};
}
