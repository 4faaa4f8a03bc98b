import type {RecordRow} from './records.js';

/**
 * The canonical text of one `records` row, what the rollback digest (rollback.ts) covers: id
 * (length-prefixed), revision, key generation, and for each part (meta, values) the nonce, the
 * ciphertext's length and its last 16 bytes (its GCM-SIV tag). Built in SQL ({@link canonicalSql})
 * when checking, so no ciphertext is read into JavaScript, and in JavaScript ({@link canonical})
 * from a row a writer holds; the two agree character for character (test/rollback.test.ts).
 *
 * Why the tag stands for the whole ciphertext: every ciphertext is opened with its AEAD before any
 * use, and under one key a GCM-SIV (nonce, tag) pair authenticates exactly one ciphertext: a row
 * keeping an old nonce and tag but another body is a forgery, refused when opened. A genuine older
 * ciphertext has another random nonce and tag, so it changes the text.
 *
 * The `name_mac` column is left out: it is an index, not data (every lookup checks the sealed name
 * and visibility against it), and sync rewrites it on its own when a name clash heals.
 */

/** The last 16 bytes of a blob column (all of it if shorter), in upper-case hex. */
const sqlTag = (column: string) => `hex(substr(${column}, max(length(${column}) - 15, 1)))`;

/** `text`, or '-' when `column` is NULL (hex(NULL) is '', not NULL). */
const orDash = (column: string, text: string) => `CASE WHEN ${column} IS NULL THEN '-' ELSE ${text} END`;

/** {@link canonical}, computed by SQLite: one text column a row. */
export const canonicalSql = [
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

export type CanonicalRow = Pick<RecordRow, 'id' | 'revision' | 'key_generation' | 'meta_nonce' | 'meta_ciphertext' | 'values_nonce' | 'values_ciphertext'>;

const hex = (bytes: Uint8Array) => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex').toUpperCase();
const tag = (bytes: Uint8Array) => hex(bytes.subarray(Math.max(bytes.length - 16, 0)));

/** The text of one row; equal, character for character, to {@link canonicalSql}. */
export function canonical(row: CanonicalRow): string {
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
