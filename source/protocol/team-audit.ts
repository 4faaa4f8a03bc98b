import {array, fail, integer, object, type Path, text, timestamp} from './fields.js';
import {idPattern} from './wire.js';

/**
 * A team vault's audit, for its admins:
 *
 *   GET /v1/vaults/:vaultId/team/audit   ?since=SEQ&limit=N → TeamAuditPage
 *
 * The server's audit rows for that vault, oldest first: without `since` the newest `limit` rows,
 * with it the first `limit` rows after that sequence number (for paging on). Only a current admin
 * of the team, as the log the server verified says, may read it (403 otherwise; 404 when the vault
 * is not a team). Rows name the user and what they did, never a token id or a client address.
 */

/** Most rows one page holds; the default is {@link defaultTeamAuditLimit}. */
export const maxTeamAuditPage = 1000;
export const defaultTeamAuditLimit = 100;
/** The audit sequence is a BIGINT; a `since` beyond what a JS number holds exactly is refused. */
export const maxAuditSeq = Number.MAX_SAFE_INTEGER;

export type TeamAuditEntry = {seq: number; at: string; user: string; action: string; recordId: string | null; records: number | null};

export type TeamAuditPage = {entries: TeamAuditEntry[]};

const digits = {type: 'string', pattern: '^(?:0|[1-9][0-9]{0,14})$'} as const;

export const teamAuditQuerySchema = {type: 'object', additionalProperties: false, properties: {since: digits, limit: digits}} as const;

const userPattern = /^[A-Za-z0-9][A-Za-z0-9._@-]{0,63}$/;
const actionPattern = /^[a-z][a-z_]{0,39}$/;
const idRegex = new RegExp(idPattern);

function parseEntry(value: unknown, path: Path): TeamAuditEntry {
	const entry = object(value, path, ['seq', 'at', 'user', 'action', 'recordId', 'records']);
	for (const key of ['seq', 'at', 'user', 'action', 'recordId', 'records']) {
		if (!(key in entry)) {
			fail(`${path}.${key}`, 'is missing');
		}
	}

	return {
		seq: integer(entry['seq'], `${path}.seq`, 1, maxAuditSeq),
		at: timestamp(entry['at'], `${path}.at`),
		user: text(entry['user'], `${path}.user`, 64, userPattern, 'a user name'),
		action: text(entry['action'], `${path}.action`, 40, actionPattern, 'an action name'),
		recordId: entry['recordId'] === null ? null : text(entry['recordId'], `${path}.recordId`, 36, idRegex, 'a UUID'),
		records: entry['records'] === null ? null : integer(entry['records'], `${path}.records`, 0, maxAuditSeq),
	};
}

/** A page as the server answers it: at most `limit` rows, in increasing sequence, each field checked. */
export function parseTeamAuditPage(value: unknown, limit: number, path: Path = 'audit'): TeamAuditPage {
	const entries = array(object(value, path, ['entries'])['entries'], `${path}.entries`, limit).map((entry, index) => parseEntry(entry, `${path}.entries[${index}]`));
	for (let index = 1; index < entries.length; index++) {
		if (entries[index]!.seq <= entries[index - 1]!.seq) {
			fail(`${path}.entries[${index}].seq`, 'is not after the entry before it');
		}
	}

	return {entries};
}
