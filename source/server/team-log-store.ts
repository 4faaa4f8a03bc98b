import {FieldError} from '../team/fields.js';
import {type LogEntry, parseEntry} from '../team/log-entry.js';
import type {Tx} from './store.js';

/**
 * A sketch of the server's side of the membership log: append-only storage with compare-and-swap
 * on the head. Not yet wired to a route or to the schema migrations (store.ts): the table below is
 * to become a migration step, and routes (GET the log after N, POST entries with the head the
 * client saw, 409 with the current head on a mismatch) come with `hush team init`.
 *
 * The server is the second wall, not the first: it holds no admin's key, so it checks what it can
 * without trusting itself (each entry parses strictly, belongs to this team, carries the next
 * sequence number and the hash of the entry before it) and keeps rows append-only. Signatures,
 * roles and removals are verified by every client replaying the log (team/membership-log.ts), so
 * a row edited in the server's database is refused there.
 */

export const teamLogDdl = `CREATE TABLE IF NOT EXISTS team_log (
	team_id TEXT NOT NULL,
	seq BIGINT NOT NULL,
	hash TEXT NOT NULL,
	entry TEXT NOT NULL,
	appended_by TEXT NOT NULL,
	appended_at TEXT NOT NULL,
	PRIMARY KEY (team_id, seq)
)`;

export type TeamLogHead = {seq: number; hash: string};

/** The log moved on since the client read it: nothing was written; `head` is the current head. */
export class TeamLogConflict extends Error {
	constructor(readonly head: TeamLogHead | null) {
		super(head ? `the team's membership log has moved on to entry ${head.seq}: fetch it, verify it and try again` : 'the team has no membership log yet');
	}
}

/** An entry the server will not store (malformed, another team's, out of sequence): nothing was written. */
export class TeamLogRefused extends Error {}

/** At most this many entries in one append (a team change is one or two entries). */
export const maxAppend = 16;

export async function teamLogHead(tx: Tx, teamId: string): Promise<TeamLogHead | null> {
	const rows = await tx.all('SELECT seq, hash FROM team_log WHERE team_id = ? ORDER BY seq DESC LIMIT 1', [teamId]);
	const row = rows[0];
	return row ? {seq: Number(row['seq']), hash: String(row['hash'])} : null;
}

/** Entries after `after` (-1 for all), oldest first, as base64, with the head. */
export async function readTeamLog(tx: Tx, teamId: string, after: number, limit = 1000): Promise<{entries: string[]; head: TeamLogHead | null}> {
	const rows = await tx.all('SELECT entry FROM team_log WHERE team_id = ? AND seq > ? ORDER BY seq LIMIT ?', [teamId, after, limit]);
	return {entries: rows.map(row => String(row['entry'])), head: await teamLogHead(tx, teamId)};
}

/**
 * Appends `entries` (base64) if the log's head is still `expected` (null: the team is new and
 * entries[0] must create it). Run inside one write transaction: two admins appending at once
 * cannot both win, and the (team, seq) primary key refuses a second row at the same place even
 * across `hush serve` processes.
 */
export async function appendTeamLog(
	tx: Tx,
	input: {teamId: string; expected: TeamLogHead | null; entries: readonly string[]; actor: string; now?: Date},
): Promise<TeamLogHead> {
	if (input.entries.length === 0 || input.entries.length > maxAppend) {
		throw new TeamLogRefused(`an append carries 1 to ${maxAppend} entries, not ${input.entries.length}`);
	}

	const current = await teamLogHead(tx, input.teamId);
	if (current?.seq !== input.expected?.seq || current?.hash !== input.expected?.hash) {
		throw new TeamLogConflict(current);
	}

	let head = current;
	const rows: Array<{entry: LogEntry; text: string}> = [];
	for (const text of input.entries) {
		const entry = parseWire(text, (head?.seq ?? -1) + 1);
		checkPlace(entry, input.teamId, head);
		head = {seq: entry.seq, hash: Buffer.from(entry.hash).toString('hex')};
		rows.push({entry, text});
	}

	const at = (input.now ?? new Date()).toISOString();
	for (const {entry, text} of rows) {
		await tx.run('INSERT INTO team_log (team_id, seq, hash, entry, appended_by, appended_at) VALUES (?, ?, ?, ?, ?, ?)', [
			input.teamId,
			entry.seq,
			Buffer.from(entry.hash).toString('hex'),
			text,
			input.actor,
			at,
		]);
	}

	return head!;
}

function parseWire(text: string, seq: number): LogEntry {
	if (text.length > 8192 || !/^[A-Za-z0-9+/]*={0,2}$/.test(text)) {
		throw new TeamLogRefused(`entry ${seq} is not base64 of at most 6 KiB`);
	}

	try {
		return parseEntry(new Uint8Array(Buffer.from(text, 'base64')));
	} catch (error) {
		if (error instanceof FieldError) {
			throw new TeamLogRefused(`entry ${seq} is malformed: ${error.message}`);
		}

		throw error;
	}
}

function checkPlace(entry: LogEntry, teamId: string, head: TeamLogHead | null): void {
	const seq = (head?.seq ?? -1) + 1;
	if (entry.teamId !== teamId) {
		throw new TeamLogRefused(`entry ${seq} belongs to another team`);
	}

	if (head === null ? entry.action.type !== 'create' : entry.action.type === 'create') {
		throw new TeamLogRefused(head === null ? 'a team\'s log starts with the entry that creates it' : `entry ${seq} creates the team again`);
	}

	if (entry.seq !== seq) {
		throw new TeamLogRefused(`entry ${seq} claims to be entry ${entry.seq}`);
	}

	const previous = Buffer.from(entry.previous).toString('hex');
	if (previous !== (head?.hash ?? '0'.repeat(64))) {
		throw new TeamLogRefused(`entry ${seq} does not follow the log's head (its previous hash differs)`);
	}
}
