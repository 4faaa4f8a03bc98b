import {randomInt} from 'node:crypto';
import {IntegrityError, SecretExistsError, SecretNotFoundError} from '../errors.js';
import type {VaultCore} from './core.js';
import type {LookupOptions} from './options.js';
import {liveRecordById, liveRecordByNameMac, nameMacHolder, recordById} from './record-store.js';
import type {RecordRow, SealedMeta} from './records.js';
import {bucketOfRowid, carriesBuckets, rollbackMismatch} from './rollback.js';
import {canonical, canonicalSql} from './rollback-canonical.js';
import {prepared} from './statements.js';

/** Finding a secret by name (private first, then public) or id, and keeping names unique. */

export type Found = {row: RecordRow; meta: SealedMeta};

export function findSecret(core: VaultCore, reference: string, options: LookupOptions): Found | undefined {
	const namespaces = options.private === undefined ? [true, false] : [options.private];
	for (const isPrivate of namespaces) {
		const row = liveRecordByNameMac(core.db, core.keys.nameMac(isPrivate, reference));
		if (row) {
			verifyFoundRow(core, row);
			const meta = core.codec.openLiveMeta(row);
			// The MAC column is an index, not proof: the sealed name and visibility must agree.
			if (meta.name !== reference || meta.private !== isPrivate) {
				throw new IntegrityError(`secret ${row.id} is filed under another name: the vault file was altered`);
			}

			return {row, meta};
		}
	}

	const byId = liveRecordById(core.db, reference);
	if (byId) {
		verifyFoundRow(core, byId);
		const meta = core.codec.openLiveMeta(byId);
		if (options.private === undefined || meta.private === options.private) {
			return {row: byId, meta};
		}
	}

	return undefined;
}

export function resolveSecret(core: VaultCore, reference: string, options: LookupOptions): Found {
	const found = findSecret(core, reference, options);
	if (!found) {
		// A row removed from the file reads as no secret: every bucket is checked before saying so.
		core.verifyRollback();
		const where = options.private === undefined ? '' : options.private ? ' among private secrets' : ' among public secrets';
		throw new SecretNotFoundError(`no secret named ${JSON.stringify(reference)}${where}: see 'hush list'`);
	}

	return found;
}

/** A record id for a name or id, deleted secrets included (by id only): for the audit log. */
export function resolveIncludingDeleted(core: VaultCore, reference: string): string {
	const found = findSecret(core, reference, {});
	if (found) {
		return found.row.id;
	}

	const row = recordById(core.db, reference);
	if (!row) {
		throw new SecretNotFoundError(`no secret named ${JSON.stringify(reference)}: see 'hush list'`);
	}

	return row.id;
}

export function assertNameFree(core: VaultCore, nameMac: Uint8Array, name: string, isPrivate: boolean, exceptId: string | null): void {
	const holder = nameMacHolder(core.db, nameMac);
	if (holder !== undefined && holder !== exceptId) {
		throw new SecretExistsError(`a ${isPrivate ? 'private' : 'public'} secret named ${name} already exists`);
	}
}

/** An agent may not take a name the other space holds either: its secret would shadow that one (or be shadowed). */
export function assertNameFreeForAgent(core: VaultCore, name: string, otherSpaceIsPrivate: boolean): void {
	if (nameMacHolder(core.db, core.keys.nameMac(otherSpaceIsPrivate, name)) !== undefined) {
		throw new SecretExistsError(
			`a ${otherSpaceIsPrivate ? 'private' : 'public'} secret named ${name} already exists: an agent may not create a secret under a name that exists, public or private (it would shadow it); pick another name`,
		);
	}
}

/**
 * A person's public secret may not take a name an agent-made private secret holds: private-first
 * lookup would hand the agent's value to `get`, `run` and `inject` in its place.
 */
export function assertNotShadowedByAgent(core: VaultCore, name: string, isPrivate: boolean, exceptId: string | null): void {
	if (isPrivate) {
		return;
	}

	const twin = liveRecordByNameMac(core.db, core.keys.nameMac(true, name));
	// exceptId: the agent's own private secret moving to public is no twin of itself.
	if (twin) {
		verifyFoundRow(core, twin);
	}

	if (twin && twin.id !== exceptId && core.codec.openLiveMeta(twin).createdByAgent === true) {
		throw new SecretExistsError(
			`a private secret named ${name}, created by an AI agent through hush mcp, already exists and would shadow a public one in lookups: check it (hush show ${name} --private=true), then rename or delete it first`,
		);
	}
}

/** Other buckets (of 256 records) up to which a read checks them all, rather than its own and one other at random. */
const smallVaultBuckets = 2;

/**
 * Checks, before `row` is used (lookup.ts), that it is the one row of its id in the file, still
 * as it was read, in a bucket that matches its MAC: so the row opened is the row checked.
 */
export function verifyFoundRow(core: VaultCore, row: RecordRow): void {
	if (!carriesBuckets(core.db)) {
		return;
	}

	core.inReadTransaction(() => {
		const found = prepared(core.db, `SELECT rowid, ${canonicalSql} AS text FROM records WHERE id = ?`).all(row.id) as Array<{rowid: number; text: string}>;
		if (found.length !== 1 || found[0]!.text !== canonical(row)) {
			throw rollbackMismatch();
		}

		const macs = core.verifiedBucketMacs()!;
		const own = bucketOfRowid(found[0]!.rowid);
		core.codec.digest.verifyBucket(core.db, own, macs);
		// A bucket restored with the MAC table and the seal from an older copy matches them: only
		// the buckets changed since then no longer do. A small vault checks them all (each once a
		// process); a larger one one more, at random, at each read (listing, sync, audit --verify
		// and writes check them all).
		const others = [...macs.keys()].filter(bucket => bucket !== own);
		for (const bucket of others.length <= smallVaultBuckets ? others : [others[randomInt(others.length)]!]) {
			core.codec.digest.verifyBucket(core.db, bucket, macs);
		}
	});
}
