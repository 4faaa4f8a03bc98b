import type {DatabaseSync} from 'node:sqlite';
import {renewAuditHead, verifyAudit} from './audit.js';
import {IntegrityError} from '../errors.js';
import type {VaultKeys} from './keys.js';
import {type RollbackDigest, missingDigest, rollbackMismatch, sealFromSum, sealPending} from './rollback.js';
import {matchesSumDigest, sumHeaderKey} from './rollback-sum.js';
import {prepared} from './statements.js';
import {buildEveryBucket} from './rollback-full.js';

/** The first unlock of a file new or migrated: checks what there was, then builds and seals the buckets. */
export function makeBuckets(db: DatabaseSync, vaultId: string, keys: VaultKeys, digest: RollbackDigest): void {
	const seal = digest.readSeal(db);
	if (seal === sealFromSum) {
		// Format 4: the old digest must still match every row, or the file was altered before the move.
		const old = (prepared(db, 'SELECT value FROM header WHERE key = ?').get(sumHeaderKey) as {value: string} | undefined)?.value;
		if (old === undefined) {
			throw missingDigest();
		}

		if (!matchesSumDigest(db, vaultId, keys.rollback, old)) {
			throw rollbackMismatch();
		}

		prepared(db, 'DELETE FROM header WHERE key = ?').run(sumHeaderKey);
		// Format 4's pages are bound to no bucket MAC (an earlier page layout): none can open now, and
		// trying each under every earlier layout at the first listing costs four opens a page. Gone,
		// they are simply missing, and that listing builds them from the records.
		prepared(db, 'DELETE FROM pages').run();
	} else if (seal === sealPending) {
		// "Pending" is plain text anyone can write back. The keyed audit log is the evidence that a
		// digest was made before: from then on its head MAC is a 'current' one (audit.ts), which
		// nobody without the key can turn back into a 'legacy' one. So a pending digest is made only
		// over a log that is intact and legacy (or empty, in a vault with no records yet). Restoring the
		// log whole from a copy older than the digest is a rollback of the whole file: out of reach of
		// any check inside the file.
		const audit = verifyAudit(db, keys.auditKey, 'legacy');
		if (!audit.ok) {
			throw new IntegrityError(`the vault's rollback digest cannot be made: its audit log is broken at entry ${audit.firstBroken} (${audit.reason}), or the digest was removed`);
		}

		// An empty log is evidence only for a vault with no records (a new one): every record hush
		// writes is logged, so records under an empty log mean the log was wiped.
		const {records} = prepared(db, 'SELECT count(*) AS records FROM records').get() as {records: number};
		if (audit.entries === 0 && records > 0) {
			throw new IntegrityError('the vault\'s rollback digest cannot be made: its audit log is empty but it holds records, so the log was wiped or the digest removed');
		}

		renewAuditHead(db, keys.auditKey);
	} else {
		// Another process made them while we waited for the write lock.
		digest.verifiedMacs(db);
		return;
	}

	buildEveryBucket(digest, db);
}
