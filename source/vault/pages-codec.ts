import {hash} from 'node:crypto';
import {cryptoFormatVersion, formatTag} from './aad.js';
import {type Sealed, open, seal} from './aead.js';
import {encodeFields} from './encoding.js';
import {IntegrityError} from '../errors.js';
import type {SealedMeta} from './records.js';

/**
 * One metadata page on disk: the sealed metadata of up to {@link pageSize} live secrets in ONE
 * AES-256-GCM-SIV message, so a listing opens tens of messages instead of one per record.
 *
 * A page is a cache, never a source of truth. Each entry carries the record's id, revision, key
 * generation and a binding (SHA-256 of the record's meta nonce and ciphertext); a reader uses an
 * entry only while the record row in the file still has exactly those, so the entry's metadata is
 * the plaintext of exactly the ciphertext the row holds now. An old page copied back, a page of
 * another vault, space or number, or a page left behind by a write fails that comparison or its
 * AAD, and the reader opens the records instead. The records themselves stay covered by their AEAD
 * and the rollback digest (rollback.ts), so the pages need no digest of their own.
 */

/** Records per page: a few hundred, so a page is tens of KB and a write re-seals one of them. */
export const pageSize = 256;

/** Layout of a page's plaintext; a page of another layout is rebuilt, not read. */
export const pageLayout = 2;

/**
 * The key domain a record is sealed in. Until teams land every record is sealed under the root key:
 * one space. Team records will carry their space in the row; pages are keyed by space from the start.
 */
export type Space = string;
export const personalSpace: Space = 'personal';

export type PageFields = {vaultId: string; space: Space; page: number; keyGeneration: number};

export function pageAad(fields: PageFields): Uint8Array {
	return encodeFields([formatTag, cryptoFormatVersion, 'metadata-page', pageLayout, fields.vaultId, fields.space, fields.page, fields.keyGeneration]);
}

/** What a page says about one record, and what a row must still hold for it to count. */
export type PageEntry = {id: string; revision: number; keyGeneration: number; binding: string; meta: SealedMeta};

/** The record columns an entry is checked against. */
export type BoundRow = {id: string; revision: number; key_generation: number; meta_nonce: Uint8Array; meta_ciphertext: Uint8Array};

/** SHA-256 (first 128 bits, base64) of the meta nonce and ciphertext: the whole sealed metadata, every byte. */
export function bindingOf(row: Pick<BoundRow, 'meta_nonce' | 'meta_ciphertext'>): string {
	return hash('sha256', Buffer.concat([row.meta_nonce, row.meta_ciphertext]), 'base64').slice(0, 22);
}

export function entryMatches(entry: PageEntry | undefined, row: BoundRow, binding: string): entry is PageEntry {
	return entry !== undefined && entry.id === row.id && entry.revision === row.revision && entry.keyGeneration === row.key_generation && entry.binding === binding;
}

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
	const plaintext = JSON.stringify(entries.map(entry => [entry.id, entry.revision, entry.keyGeneration, entry.binding, pack(entry.meta)]));
	return seal(key, Buffer.from(plaintext, 'utf8'), pageAad(fields));
}

/** The entries of a sealed page, by record id; throws {@link IntegrityError} when it fails to open. */
export function openPage(key: Uint8Array, fields: PageFields, nonce: Uint8Array, ciphertext: Uint8Array): Map<string, PageEntry> {
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

	const entries = new Map<string, PageEntry>();
	for (const item of parsed as unknown[]) {
		if (!Array.isArray(item) || item.length !== 5 || typeof item[0] !== 'string' || !Array.isArray(item[4]) || item[4].length !== 12) {
			throw new IntegrityError(`metadata page ${fields.page} is unreadable`);
		}

		const [id, revision, keyGeneration, binding, packed] = item as [string, number, number, string, PackedMeta];
		entries.set(id, {id, revision, keyGeneration, binding, meta: unpack(packed)});
	}

	return entries;
}
