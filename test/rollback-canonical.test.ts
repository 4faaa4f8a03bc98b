/**
 * A row's canonical text (source/vault/rollback-canonical.ts), what its rollback bucket's MAC
 * covers, is computed two ways: by SQLite when checking a bucket or listing (canonicalSql, so no
 * ciphertext is read into JavaScript) and in JavaScript by a writer that has the row in hand
 * (canonical). They must agree character for character, or every write would be refused by its
 * own bucket and every re-sealed page would re-open its records.
 */
import {randomBytes} from 'node:crypto';
import {DatabaseSync} from 'node:sqlite';
import {test} from 'node:test';
import assert from 'node:assert/strict';
import {canonical, canonicalSql} from '../source/vault/rollback-canonical.js';

test('the canonical text SQLite computes equals canonical() for ciphertexts of every length around the tag, tombstones and non-ASCII ids included', () => {
	const db = new DatabaseSync(':memory:');
	db.exec('CREATE TABLE records (id TEXT, revision INTEGER, key_generation INTEGER, meta_nonce BLOB, meta_ciphertext BLOB, values_nonce BLOB, values_ciphertext BLOB)');
	const insert = db.prepare('INSERT INTO records VALUES (?, ?, ?, ?, ?, ?, ?)');
	const bytes = (length: number) => new Uint8Array(randomBytes(length));
	const rows = [1, 15, 16, 17, 31, 32, 33, 200, 4096].map((length, index) => ({
		id: index === 3 ? `r-é-${length}` : `r${length}`,
		revision: index + 1,
		key_generation: index === 4 ? 2 ** 30 + 2 : 1,
		meta_nonce: bytes(12),
		meta_ciphertext: bytes(length),
		values_nonce: index === 2 ? null : bytes(12),
		values_ciphertext: index === 2 ? null : bytes(length + 5),
	}));
	for (const row of rows) {
		insert.run(row.id, row.revision, row.key_generation, row.meta_nonce, row.meta_ciphertext, row.values_nonce, row.values_ciphertext);
	}

	const computed = db.prepare(`SELECT ${canonicalSql} AS text FROM records`).all() as Array<{text: string}>;
	assert.deepEqual(computed.map(row => row.text), rows.map(row => canonical(row)));
	const long = rows.at(-1)!;
	const hex = (value: Uint8Array) => Buffer.from(value).toString('hex').toUpperCase();
	assert.equal(
		canonical(long),
		`5:r4096:9:1:${hex(long.meta_nonce)}:4096:${hex(long.meta_ciphertext.subarray(4080))}:${hex(long.values_nonce!)}:4101:${hex(long.values_ciphertext!.subarray(4085))}`,
	);
	assert.match(computed[3]!.text, /^7:r-é-17:/, 'the id is length-prefixed in bytes, not characters');
	assert.match(computed[2]!.text, /:-:-:-$/, 'a tombstone has no values part');
	db.close();
});
