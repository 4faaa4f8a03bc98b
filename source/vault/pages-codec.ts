import {cryptoFormatVersion, formatTag} from './aad.js';
import {type Sealed, open, seal} from './aead.js';
import {encodeFields} from './encoding.js';
import {IntegrityError} from '../errors.js';
import type {SealedMeta} from './records.js';

/**
 * One metadata page on disk: the sealed metadata of up to {@link pageSize} live secrets in ONE
 * AES-256-GCM-SIV message, so a listing opens tens of messages instead of one per record.
 *
 * A page is a cache, never a source of truth. It covers one rollback bucket (rollback.ts: the same
 * slice of rowids) and its AAD binds that bucket's MAC as it stood when the page was sealed, in the
 * same transaction as the rows. A reader checks the bucket's rows against the MAC (one HMAC over
 * their ids, revisions, nonces, lengths and tags, read by SQLite without any ciphertext) and opens
 * the page under it: a page opens only over exactly the rows it was sealed from. An old page
 * copied back, a page of another vault, space or number, or a page left behind by a write fails
 * its AAD, and the reader opens the records instead; rows restored or altered fail the bucket.
 *
 * Why the tag stands for the whole ciphertext (as in the rollback digest): an entry is sealed only
 * from an authentic open of the row's ciphertext (or from the plaintext its writer sealed), and
 * under one key a GCM-SIV (nonce, tag) pair authenticates exactly one ciphertext. A row keeping
 * that nonce and tag but another body is a forgery: the entry still shows the metadata that was
 * authentically sealed under that (nonce, tag), never the forged body, and every open of the row
 * (show, get, a write, sync) refuses it.
 */

/** Records per page: a few hundred, so a page is tens of KB and a write re-seals one of them. */
export const pageSize = 256;

/** The page, and the rollback bucket (rollback.ts), a row lives in: its SQLite rowid, which an upsert keeps, in slices of {@link pageSize}. */
export const sliceOfRowid = (rowid: number) => Math.floor(rowid / pageSize);

/**
 * Layout of a page's plaintext and AAD; a page of another layout is rebuilt, not read. Layout 4
 * binds the page to its rollback bucket's MAC (rollback.ts); layout 5 drops what each entry held to
 * be checked against its row (revision, key generation, nonce, length and tag), which the bucket's
 * MAC now vouches for.
 */
export const pageLayout = 5;

/**
 * The key domain a record is sealed in. Until teams land every record is sealed under the root key:
 * one space. Team records will carry their space in the row; pages are keyed by space from the start.
 */
export type Space = string;
export const personalSpace: Space = 'personal';

/**
 * What a page is bound to. `bucketMac` is the MAC of the rows the page covers as they stood when it
 * was sealed (rollback.ts; empty in a file without buckets): a page opens only while its bucket is
 * unchanged, so an entry that matches its row vouches that the row is the one the seal covers, and
 * a listing needs no check of its own for rollback.
 */
export type PageFields = {vaultId: string; space: Space; page: number; keyGeneration: number; bucketMac: Uint8Array};

export function pageAad(fields: PageFields, layout = pageLayout): Uint8Array {
	const bound = [formatTag, cryptoFormatVersion, 'metadata-page', layout, fields.vaultId, fields.space, fields.page, fields.keyGeneration];
	return encodeFields(layout >= 4 ? [...bound, fields.bucketMac] : bound);
}

/**
 * Whether a page that failed to open is an authentic page of an earlier layout (an upgrade of hush,
 * not damage): it is rebuilt without a warning. Tried only on a page that already failed.
 */
export function isEarlierLayout(key: Uint8Array, fields: PageFields, nonce: Uint8Array, ciphertext: Uint8Array): boolean {
	for (let layout = 1; layout < pageLayout; layout++) {
		try {
			open(key, nonce, ciphertext, pageAad(fields, layout));
			return true;
		} catch {}
	}

	return false;
}

/** What a page says about one record: its metadata, by the record's id. */
export type PageEntry = {id: string; meta: SealedMeta};

/**
 * A summary as a positional array: a page's bytes are what its AES-GCM-SIV open costs, and field
 * names repeated in every entry would be a third of them.
 */
type PackedMeta = [string, boolean, SealedMeta['type'], string, string, boolean, string[], string, string, string, string | null, 0 | 1];

function pack(meta: SealedMeta): PackedMeta {
	return [
		meta.name,
		meta.private,
		meta.type,
		meta.description,
		meta.integration,
		meta.writeOnly,
		meta.keys,
		meta.createdAt,
		meta.createdBy,
		meta.updatedAt,
		meta.expiresAt,
		meta.createdByAgent === true ? 1 : 0,
	];
}

function unpack(packed: PackedMeta): SealedMeta {
	const [name, isPrivate, type, description, integration, writeOnly, keys, createdAt, createdBy, updatedAt, expiresAt, agent] = packed;
	const meta: SealedMeta = {name, private: isPrivate, type, description, integration, writeOnly, keys, createdAt, createdBy, updatedAt, expiresAt};
	if (agent === 1) {
		meta.createdByAgent = true;
	}

	return meta;
}

export function sealPage(key: Uint8Array, fields: PageFields, entries: readonly PageEntry[]): Sealed {
	const plaintext = JSON.stringify(entries.map(entry => [entry.id, pack(entry.meta)]));
	return seal(key, Buffer.from(plaintext, 'utf8'), pageAad(fields));
}

/** The entries of a sealed page, in the order of their rows; throws {@link IntegrityError} when it fails to open. */
export function openPage(key: Uint8Array, fields: PageFields, nonce: Uint8Array, ciphertext: Uint8Array): PageEntry[] {
	const plaintext = open(key, nonce, ciphertext, pageAad(fields));
	let parsed: unknown;
	try {
		parsed = JSON.parse(Buffer.from(plaintext.buffer, plaintext.byteOffset, plaintext.byteLength).toString('utf8'));
	} catch {
		throw new IntegrityError(`metadata page ${fields.page} is unreadable`);
	}

	if (!Array.isArray(parsed)) {
		throw new IntegrityError(`metadata page ${fields.page} is unreadable`);
	}

	return (parsed as unknown[]).map(item => {
		if (!Array.isArray(item) || item.length !== 2 || typeof item[0] !== 'string' || !Array.isArray(item[1]) || item[1].length !== 12) {
			throw new IntegrityError(`metadata page ${fields.page} is unreadable`);
		}

		const [id, packed] = item as [string, PackedMeta];
		return {id, meta: unpack(packed)};
	});
}

/** What a listing says about pages it could not use: the same words for a whole listing (pages.ts) and a page-at-a-time one (summary-pages.ts). */
export function failedPagesWarning(failed: readonly number[]): string | undefined {
	if (failed.length === 0) {
		return undefined;
	}

	const which = failed.length === 1 ? `metadata page ${failed[0]}` : failed.length <= 5 ? `metadata pages ${failed.join(', ')}` : `${failed.length} metadata pages`;
	return `${which} failed ${failed.length === 1 ? 'its' : 'their'} integrity check: listed from the records instead, and rebuilt`;
}

export function outdatedPagesWarning(outdated: number): string | undefined {
	return outdated === 0 ? undefined : `${outdated} metadata page${outdated === 1 ? ' was' : 's were'} out of date (an older copy, or written behind hush's back): listed from the records instead, and rebuilt`;
}
