import {array, base64, base64Bytes, boolean, fail, integer, literal, object, type Path, text, timestamp} from './fields.js';
import {maxSealedPartBytes} from '../vault/model.js';
import {fromBase64} from './encoding.js';

/**
 * The records that travel between client and server, and the bodies of the sync endpoints. The
 * server stores exactly these fields — ids, revisions, a deleted flag, a private flag, key
 * generations and ciphertexts — and never anything it could decrypt.
 *
 *   GET  /v1/vaults                      → VaultList
 *   PUT  /v1/vaults/:vaultId             {header} → PutHeaderResult (201 created, 200 replaced)
 *   GET  /v1/vaults/:vaultId             → HeaderResponse
 *   GET  /v1/vaults/:vaultId/changes     ?since&limit → ChangesPage
 *   POST /v1/vaults/:vaultId/records     PushRequest → PushResponse (409 when any result is a conflict;
 *                                        a team vault answers `forbidden` for a record the role may not push)
 */

/** A record id and a vault id are UUIDs (lower-case hex). */
export const idPattern = '^[0-9a-f-]{36}$';
const idRegex = new RegExp(idPattern);
/** Longest base64 text of one nonce or ciphertext: the 192 KiB a sealed part may hold (vault/model.ts), 262,144 characters. */
export const maxBase64Chars = (maxSealedPartBytes / 3) * 4;
/** Most records one page of changes may hold (servers default to fewer). */
export const maxPageSize = 10_000;
/** Most vaults one list may hold. */
export const maxVaults = 10_000;

export type Sealed = {nonce: string; ciphertext: string};

export type WireRecord = {
	id: string;
	rev: number;
	deleted: boolean;
	private: boolean;
	keyGeneration: number;
	meta: Sealed;
	values: Sealed | null;
};

export type PushRecord = WireRecord & {baseRev: number};

/** The base64 characters a record's nonces and ciphertexts take: what sizes a push batch or a pulled page. */
export function sealedChars(record: Pick<WireRecord, 'meta' | 'values'>): number {
	return record.meta.nonce.length + record.meta.ciphertext.length + (record.values ? record.values.nonce.length + record.values.ciphertext.length : 0);
}

export type PushRequest = {records: PushRecord[]};

export type PushResult =
	| {id: string; status: 'ok'; rev: number; seq: number}
	| {id: string; status: 'conflict'; current: WireRecord | null}
	| {id: string; status: 'not_found'}
	/** A team vault refused this record to the pusher's role (see DESIGN.md "Teams"); nothing was written. */
	| {id: string; status: 'forbidden'};

export type PushResponse = {results: PushResult[]};

export type ChangesPage = {records: WireRecord[]; cursor: number; more: boolean};

export type VaultSummary = {id: string; createdAt: string};

export type VaultList = {vaults: VaultSummary[]};

export type PutHeaderResult = {id: string; created: boolean};

export type AuditEntry = {
	seq: number;
	at: string;
	user: string;
	tokenId: string;
	vaultId: string | null;
	recordId: string | null;
	action: string;
	client: string;
};

export function parseId(value: unknown, path: Path): string {
	return text(value, path, 36, idRegex, 'a UUID');
}

export type SealedBytes = {nonce: Uint8Array; ciphertext: Uint8Array};

/**
 * The bytes of each Sealed a client parsed, decoded once by the check that they are canonical
 * base64 (a large pull would otherwise decode every ciphertext twice); taken by {@link sealedBytes}.
 */
const parsedBytes = new WeakMap<Sealed, SealedBytes>();

/** `keepBytes`: a client's parse, whose records are applied (a server stores the text as it came). */
function parseSealed(value: unknown, path: Path, keepBytes: boolean): Sealed {
	const sealed = object(value, path, ['nonce', 'ciphertext']);
	if (!keepBytes) {
		return {nonce: base64(sealed['nonce'], `${path}.nonce`, maxBase64Chars), ciphertext: base64(sealed['ciphertext'], `${path}.ciphertext`, maxBase64Chars)};
	}

	const bytes = {nonce: base64Bytes(sealed['nonce'], `${path}.nonce`, maxBase64Chars), ciphertext: base64Bytes(sealed['ciphertext'], `${path}.ciphertext`, maxBase64Chars)};
	// Frozen: the bytes kept are those of this text, so the text may not change.
	const parsed = Object.freeze({nonce: sealed['nonce'] as string, ciphertext: sealed['ciphertext'] as string});
	parsedBytes.set(parsed, bytes);
	return parsed;
}

/** The bytes of `sealed`: those decoded when it was parsed, the first time (a caller may wipe them), else decoded now. */
export function sealedBytes(sealed: Sealed): SealedBytes {
	const parsed = parsedBytes.get(sealed);
	if (parsed) {
		parsedBytes.delete(sealed);
		return parsed;
	}

	return {nonce: fromBase64(sealed.nonce), ciphertext: fromBase64(sealed.ciphertext)};
}

/** Highest key generation a record may carry: the server stores it in a 32-bit INTEGER column. */
export const maxKeyGeneration = 2_147_483_647;

const wireKeys = ['id', 'rev', 'deleted', 'private', 'keyGeneration', 'meta', 'values'] as const;

function parseRecordFields(record: Record<string, unknown>, path: Path, keepBytes = false): WireRecord {
	const parsed: WireRecord = {
		id: parseId(record['id'], `${path}.id`),
		rev: integer(record['rev'], `${path}.rev`, 1),
		deleted: boolean(record['deleted'], `${path}.deleted`),
		private: boolean(record['private'], `${path}.private`),
		keyGeneration: integer(record['keyGeneration'], `${path}.keyGeneration`, 1, maxKeyGeneration),
		meta: parseSealed(record['meta'], `${path}.meta`, keepBytes),
		values: record['values'] === null ? null : parseSealed(record['values'], `${path}.values`, keepBytes),
	};
	if (parsed.deleted !== (parsed.values === null)) {
		fail(path, 'is inconsistent: a deleted record has no values, and a live one has them');
	}

	return parsed;
}

/** One record as the server sends it (in a page of changes, or as the current copy in a conflict). */
export function parseWireRecord(value: unknown, path: Path = 'record'): WireRecord {
	return parseRecordFields(object(value, path, wireKeys), path, true);
}

/** One record as a client pushes it. */
export function parsePushRecord(value: unknown, path: Path = 'record'): PushRecord {
	const record = object(value, path, [...wireKeys, 'baseRev']);
	return {...parseRecordFields(record, path), baseRev: integer(record['baseRev'], `${path}.baseRev`, 0)};
}

export function parseChangesPage(value: unknown, path: Path = 'changes'): ChangesPage {
	const page = object(value, path);
	return {
		records: array(page['records'], `${path}.records`, maxPageSize).map((record, index) => parseWireRecord(record, `${path}.records[${index}]`)),
		cursor: integer(page['cursor'], `${path}.cursor`, 0),
		more: boolean(page['more'], `${path}.more`),
	};
}

export function parsePushResult(value: unknown, path: Path = 'result'): PushResult {
	const result = object(value, path);
	const status = literal(result['status'], `${path}.status`, ['ok', 'conflict', 'not_found', 'forbidden'] as const);
	switch (status) {
		case 'ok': {
			object(value, path, ['id', 'status', 'rev', 'seq']);
			return {id: parseId(result['id'], `${path}.id`), status, rev: integer(result['rev'], `${path}.rev`, 1), seq: integer(result['seq'], `${path}.seq`, 1)};
		}

		case 'conflict': {
			object(value, path, ['id', 'status', 'current']);
			const current = result['current'] === null ? null : parseWireRecord(result['current'], `${path}.current`);
			const id = parseId(result['id'], `${path}.id`);
			if (current && current.id !== id) {
				fail(`${path}.current.id`, 'names another record than the result');
			}

			return {id, status, current};
		}

		case 'not_found':
		case 'forbidden': {
			object(value, path, ['id', 'status']);
			return {id: parseId(result['id'], `${path}.id`), status};
		}
	}
}

/**
 * The results of a push of `sent`: exactly one result per record sent, each naming one of them.
 */
export function parsePushResponse(value: unknown, sent: readonly string[], path: Path = 'push'): PushResponse {
	const results = array(object(value, path)['results'], `${path}.results`, sent.length).map((result, index) => parsePushResult(result, `${path}.results[${index}]`));
	const expected = new Set(sent);
	for (const [index, result] of results.entries()) {
		if (!expected.delete(result.id)) {
			fail(`${path}.results[${index}].id`, 'names a record that was not sent, or one already answered');
		}
	}

	if (expected.size > 0) {
		fail(`${path}.results`, `answers ${results.length} of the ${sent.length} records sent`);
	}

	return {results};
}

export function parseVaultList(value: unknown, path: Path = 'vaults'): VaultList {
	const vaults = array(object(value, path)['vaults'], `${path}.vaults`, maxVaults).map((item, index) => {
		const vault = object(item, `${path}.vaults[${index}]`);
		return {id: parseId(vault['id'], `${path}.vaults[${index}].id`), createdAt: timestamp(vault['createdAt'], `${path}.vaults[${index}].createdAt`)};
	});
	return {vaults};
}

export function parsePutHeaderResult(value: unknown, path: Path = 'result'): PutHeaderResult {
	const result = object(value, path);
	return {id: parseId(result['id'], `${path}.id`), created: boolean(result['created'], `${path}.created`)};
}

/** GET /v1/health answers `{"ok": true}`: what tells a hush server from any other. */
export function parseHealth(value: unknown, path: Path = 'health'): {ok: true} {
	if (object(value, path)['ok'] !== true) {
		fail(`${path}.ok`, 'must be true');
	}

	return {ok: true};
}
