import {createHmac, timingSafeEqual} from 'node:crypto';
import type {DatabaseSync} from 'node:sqlite';
import {cryptoFormatVersion, formatTag} from './aad.js';
import {open} from './aead.js';
import {decodeFields, encodeFields} from './encoding.js';
import {IntegrityError} from '../errors.js';
import {canonicalSql} from './rollback-canonical.js';

/**
 * The rollback digest of formats 3 and 4, kept only to check a file once as it moves to format 5
 * (rollback.ts): a keyed multiset hash over every row of the `records` table, sealed in the header.
 *
 *   element(row) = HMAC-SHA256(k_element, canonical(row))      (rollback-canonical.ts)
 *   digest       = Σ element(row) mod 2^256 over every row (tombstones included), and the row count
 *   stored       = AES-256-GCM-SIV(k_seal, fields(digest, count)), AAD = format tag, version, vault id
 *
 * It had to be recomputed over every row at every unlock, which format 5's buckets avoid. The move
 * to format 5 checks the old digest in full once, then builds the buckets from the same rows.
 */

export const sumHeaderKey = 'rollback_digest';

/** Whether the rows match the sealed format-4 digest `stored`; throws when it does not open. */
export function matchesSumDigest(db: DatabaseSync, vaultId: string, keys: {elementKey: Uint8Array; sealKey: Uint8Array}, stored: string): boolean {
	const bytes = new Uint8Array(Buffer.from(stored, 'base64'));
	let fields: Buffer[];
	try {
		const aad = encodeFields([formatTag, cryptoFormatVersion, 'rollback-digest', vaultId]);
		fields = decodeFields(open(keys.sealKey, bytes.subarray(0, 12), bytes.subarray(12), aad));
	} catch {
		throw new IntegrityError('the vault\'s rollback digest failed its integrity check: the vault file was altered');
	}

	if (fields.length !== 2 || fields[0]!.length !== 32) {
		throw new IntegrityError('the vault\'s rollback digest is damaged: the vault file was altered');
	}

	const sum = new Uint8Array(32);
	let count = 0;
	const statement = db.prepare(`SELECT ${canonicalSql} FROM records`);
	statement.setReturnArrays(true);
	for (const [text] of statement.iterate() as Iterable<[string]>) {
		addInto(sum, createHmac('sha256', keys.elementKey).update(text, 'utf8').digest());
		count++;
	}

	return count === Number(fields[1]!.toString('utf8')) && timingSafeEqual(sum, fields[0]!);
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
