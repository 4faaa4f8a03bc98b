import {fromBase64, isBase64, toBase64} from './encoding.js';
import {array, boolean, fail, integer, literal, object, type Path, text} from './fields.js';

/**
 * The team's membership log on the wire. One team per vault: the team's id is the vault's id, and
 * its log hangs off the vault's routes, reached with the vault's tokens.
 *
 *   GET  /v1/vaults/:vaultId/team/log   ?since=N&limit=M → TeamLogPage (entries N, N+1, …; 404 when
 *                                       the vault is not a team)
 *   POST /v1/vaults/:vaultId/team/log   TeamAppendRequest → TeamAppendAnswer (200 appended; 409
 *                                       conflict, with the current head)
 *
 * An entry travels as canonical base64 of its binary encoding (source/team/log-entry.ts), so it
 * has one spelling and one hash. What the server answers is only shape-checked here: the chain,
 * the signatures and the roles are checked by every client replaying the log (team/membership-log.ts).
 */

/** An entry is at most 4,096 bytes (team/log-entry.ts maxEntryBytes), so 5,464 base64 characters. */
export const maxTeamEntryBase64 = 5464;
/** Most entries one page of the log holds. */
export const maxTeamLogPage = 1000;
/** Most entries one append carries (a membership change is one or two). */
export const maxTeamAppend = 16;
/** Highest sequence number a log may reach (team/log-entry.ts maxSeq). */
export const maxTeamSeq = 1_000_000;

export type TeamLogHead = {seq: number; hash: string};

export type TeamLogPage = {entries: string[]; head: TeamLogHead; more: boolean};

export type TeamAppendRequest = {expected: TeamLogHead | null; entries: string[]};

export type TeamAppendAnswer = {status: 'appended'; head: TeamLogHead} | {status: 'conflict'; head: TeamLogHead | null};

const hashRegex = /^[0-9a-f]{64}$/;

export function parseTeamLogHead(value: unknown, path: Path): TeamLogHead {
	const head = object(value, path, ['seq', 'hash']);
	return {seq: integer(head['seq'], `${path}.seq`, 0, maxTeamSeq), hash: text(head['hash'], `${path}.hash`, 64, hashRegex, '64 lower-case hex digits')};
}

function parseHeadOrNull(value: unknown, path: Path): TeamLogHead | null {
	return value === null ? null : parseTeamLogHead(value, path);
}

/** One entry: canonical base64 (it re-encodes to itself), 1 to 4,096 bytes. */
export function parseTeamEntry(value: unknown, path: Path): string {
	const entry = text(value, path, maxTeamEntryBase64);
	if (entry.length === 0 || !isBase64(entry) || toBase64(fromBase64(entry)) !== entry) {
		fail(path, 'is not canonical base64 of a log entry');
	}

	return entry;
}

function parseEntries(value: unknown, path: Path, max: number, min: number): string[] {
	const entries = array(value, path, max);
	if (entries.length < min) {
		fail(path, `must hold at least ${min} entr${min === 1 ? 'y' : 'ies'}`);
	}

	return entries.map((entry, index) => parseTeamEntry(entry, `${path}[${index}]`));
}

/** A page of the log the client asked for from `since`; the head must lie at or after the page's last entry. */
export function parseTeamLogPage(value: unknown, since: number, path: Path = 'log'): TeamLogPage {
	const page = object(value, path, ['entries', 'head', 'more']);
	const entries = parseEntries(page['entries'], `${path}.entries`, maxTeamLogPage, 0);
	const head = parseTeamLogHead(page['head'], `${path}.head`);
	const more = boolean(page['more'], `${path}.more`);
	if (head.seq < since + entries.length - 1) {
		fail(`${path}.head`, `is entry ${head.seq}, before the last entry of the page (${since + entries.length - 1})`);
	}

	if (more && entries.length === 0) {
		fail(`${path}.more`, 'is true on an empty page');
	}

	return {entries, head, more};
}

export function parseTeamAppendRequest(value: unknown, path: Path = 'body'): TeamAppendRequest {
	const body = object(value, path, ['expected', 'entries']);
	return {expected: parseHeadOrNull(body['expected'], `${path}.expected`), entries: parseEntries(body['entries'], `${path}.entries`, maxTeamAppend, 1)};
}

export function parseTeamAppendAnswer(value: unknown, path: Path = 'answer'): TeamAppendAnswer {
	const answer = object(value, path, ['status', 'head']);
	const status = literal(answer['status'], `${path}.status`, ['appended', 'conflict'] as const);
	return status === 'appended' ? {status, head: parseTeamLogHead(answer['head'], `${path}.head`)} : {status, head: parseHeadOrNull(answer['head'], `${path}.head`)};
}

const digits = {type: 'string', pattern: '^(?:0|[1-9][0-9]{0,14})$'} as const;
const head = {
	type: 'object',
	required: ['seq', 'hash'],
	additionalProperties: false,
	properties: {seq: {type: 'integer', minimum: 0, maximum: maxTeamSeq}, hash: {type: 'string', pattern: '^[0-9a-f]{64}$'}},
} as const;

/** The server's schemas for the two routes; the route still parses the body with {@link parseTeamAppendRequest}. */
export const teamLogQuerySchema = {type: 'object', additionalProperties: false, properties: {since: digits, limit: digits}} as const;

export const teamAppendBodySchema = {
	type: 'object',
	required: ['expected', 'entries'],
	additionalProperties: false,
	properties: {
		expected: {anyOf: [head, {type: 'null'}]},
		entries: {type: 'array', minItems: 1, maxItems: maxTeamAppend, items: {type: 'string', maxLength: maxTeamEntryBase64}},
	},
} as const;
