import {ProtocolError, fromBase64} from '../protocol/index.js';
import {maxTeamLogPage, parseTeamEntry} from '../protocol/team.js';
import {MembershipLogError} from '../team/errors.js';
import {FieldError} from '../team/fields.js';
import {fingerprintHex, verifySignature} from '../team/identity.js';
import {type LogEntry, parseEntry} from '../team/log-entry.js';
import {type TeamState, applyEntry, maxLogEntries, verifyLog} from '../team/membership-log.js';
import type {Tx} from './store.js';
import {type VerifiedStep, recordSteps} from './team-members.js';

/**
 * The server's side of the membership log: append-only storage with compare-and-swap on the head
 * (routes: team-routes.ts; table: a schema step in store.ts). One team per vault: the team's id
 * is the vault's id.
 *
 * The server is the second wall, not the first: it holds no admin's key. It checks what it can
 * without trusting itself — each entry parses strictly, belongs to this team, carries the next
 * sequence number and the hash of the entry before it, and is signed by someone the stored log
 * makes an admin at that point (the server replays the log from its first entry, whose founder it
 * takes as given) — and keeps rows append-only. Every client replays the log again from the
 * founder it pinned (team/membership-log.ts), so a row edited in the server's database, or a
 * founder swapped before a client pinned one, is refused there.
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

/**
 * An entry the server will not store: nothing was written. `forbidden` when it is not signed by a
 * current admin (403); otherwise it is malformed, misplaced or incoherent (400).
 */
export class TeamLogRefused extends Error {
	constructor(
		message: string,
		readonly forbidden = false,
	) {
		super(message);
	}
}

/** At most this many entries in one append (a team change is one or two entries). */
export const maxAppend = 16;

export async function teamLogHead(tx: Tx, teamId: string): Promise<TeamLogHead | null> {
	const rows = await tx.all('SELECT seq, hash FROM team_log WHERE team_id = ? ORDER BY seq DESC LIMIT 1', [teamId]);
	const row = rows[0];
	return row ? {seq: Number(row['seq']), hash: String(row['hash'])} : null;
}

/** Entries after `after` (-1 for all), oldest first, as base64, with the head. */
export async function readTeamLog(tx: Tx, teamId: string, after: number, limit = maxTeamLogPage): Promise<{entries: string[]; head: TeamLogHead | null}> {
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

	const steps = await checkSigners(tx, input.teamId, current, rows.map(row => row.entry));

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

	// The second wall follows the first: who may reach the vault's records, with which role, and
	// what a removal revokes, change in this transaction (team-members.ts).
	await recordSteps(tx, input.teamId, steps, input.now);
	return head!;
}

function parseWire(text: string, seq: number): LogEntry {
	let bytes: Uint8Array;
	try {
		bytes = fromBase64(parseTeamEntry(text, `entry ${seq}`));
	} catch (error) {
		throw error instanceof ProtocolError ? new TeamLogRefused(error.message) : error;
	}

	try {
		return parseEntry(bytes);
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

/**
 * Replays the stored log and then `entries` on it: each new entry must be signed, under the key the
 * log holds, by someone who is an admin at that point (else {@link TeamLogRefused} `forbidden`),
 * and keep membership coherent. The founder of a new team is taken from its own first entry.
 */
async function checkSigners(tx: Tx, teamId: string, current: TeamLogHead | null, entries: readonly LogEntry[]): Promise<VerifiedStep[]> {
	let state: TeamState;
	let rest = entries;
	const steps: VerifiedStep[] = [];
	try {
		if (current === null) {
			const create = entries[0]!;
			if (create.action.type !== 'create') {
				throw new TeamLogRefused('a team\'s log starts with the entry that creates it');
			}

			state = verifyLog([create.bytes], fingerprintHex(create.action.founder));
			steps.push({entry: create, before: null, after: state});
			rest = entries.slice(1);
		} else {
			const rows = await tx.all('SELECT entry FROM team_log WHERE team_id = ? ORDER BY seq LIMIT ?', [teamId, maxLogEntries]);
			state = verifyLog(rows.map(row => fromBase64(String(row['entry']))), founderOf(rows[0]?.['entry']));
		}
	} catch (error) {
		if (error instanceof MembershipLogError || error instanceof FieldError) {
			throw new TeamLogRefused(current === null ? error.message : `the stored membership log does not verify (${error.message}): nothing more is appended`, current === null);
		}

		throw error;
	}

	for (const entry of rest) {
		const signer = state.members.get(Buffer.from(entry.signer).toString('hex'));
		if (signer?.role !== 'admin' || !verifySignature(entry.signature, entry.body, signer.signingKey)) {
			throw new TeamLogRefused(
				`entry ${entry.seq} is not signed by an admin of the team${signer ? ` (${signer.name} is a ${signer.role} member${signer.role === 'admin' ? ', but the signature does not verify' : ''})` : ''}`,
				true,
			);
		}

		try {
			const after = applyEntry(state, entry);
			steps.push({entry, before: state, after});
			state = after;
		} catch (error) {
			throw error instanceof MembershipLogError ? new TeamLogRefused(error.message) : error;
		}
	}

	return steps;
}

/** The team as its stored log makes it (from the founder its first entry names), or null when the vault is not a team. */
export async function storedTeamState(tx: Tx, teamId: string): Promise<TeamState | null> {
	const rows = await tx.all('SELECT entry FROM team_log WHERE team_id = ? ORDER BY seq LIMIT ?', [teamId, maxLogEntries]);
	if (rows.length === 0) {
		return null;
	}

	try {
		return verifyLog(rows.map(row => fromBase64(String(row['entry']))), founderOf(rows[0]!['entry']));
	} catch (error) {
		if (error instanceof MembershipLogError || error instanceof FieldError) {
			throw new TeamLogRefused(`the stored membership log does not verify (${error.message})`);
		}

		throw error;
	}
}

function founderOf(text: unknown): string {
	const entry = parseEntry(fromBase64(String(text)));
	if (entry.action.type !== 'create') {
		throw new MembershipLogError('the stored log does not start with the entry creating the team');
	}

	return fingerprintHex(entry.action.founder);
}
