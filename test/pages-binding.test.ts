/**
 * A page entry's binding is computed two ways: by SQLite when listing (bindingSql, so no ciphertext
 * is read into JavaScript) and in JavaScript by a writer that has the row in hand (bindingOf). They
 * must agree character for character, or every write would re-open its records to re-seal a page.
 */
import {randomBytes} from 'node:crypto';
import {DatabaseSync} from 'node:sqlite';
import {test} from 'node:test';
import assert from 'node:assert/strict';
import {bindingOf, bindingSql} from '../source/vault/pages-codec.js';

test('the binding SQLite computes equals bindingOf for ciphertexts of every length around the tag', () => {
	const db = new DatabaseSync(':memory:');
	db.exec('CREATE TABLE records (id TEXT, meta_nonce BLOB, meta_ciphertext BLOB)');
	const insert = db.prepare('INSERT INTO records VALUES (?, ?, ?)');
	const rows = [1, 15, 16, 17, 31, 32, 33, 200, 4096].map(length => ({id: `r${length}`, meta_nonce: new Uint8Array(randomBytes(12)), meta_ciphertext: new Uint8Array(randomBytes(length))}));
	for (const row of rows) {
		insert.run(row.id, row.meta_nonce, row.meta_ciphertext);
	}

	const computed = db.prepare(`SELECT id, ${bindingSql} AS binding FROM records`).all() as Array<{id: string; binding: string}>;
	assert.deepEqual(
		computed.map(row => [row.id, row.binding]),
		rows.map(row => [row.id, bindingOf(row)]),
	);
	const long = rows.at(-1)!;
	assert.equal(bindingOf(long), `${Buffer.from(long.meta_nonce).toString('hex').toUpperCase()}:4096:${Buffer.from(long.meta_ciphertext.subarray(4080)).toString('hex').toUpperCase()}`);
	db.close();
});
