import {fromBase64} from '../protocol/index.js';
import {MembershipLogError} from '../team/errors.js';
import {FieldError} from '../team/fields.js';
import {fingerprintHex} from '../team/identity.js';
import {type LogEntry, type Role, parseEntry} from '../team/log-entry.js';
import {type TeamState, applyEntry, maxLogEntries, verifyLog} from '../team/membership-log.js';
import {ApiError} from './errors.js';
import type {Tx} from './store.js';

/**
 * Who the server lets into a team's vault, derived from the membership log it verified (never
 * from what a client claims): one row per identity the log ever admitted, with its role and the
 * entry that removed it, if any. A log member's name is the server user it maps to, except the
 * founder's, who is the vault's owner (the user who first uploaded it). Written in the transaction
 * of the append that changed the log, so the table and the log never disagree; rebuilt from the
 * stored logs by the schema step that adds it.
 *
 * A removal also takes the server's side away at once: the user's tokens for the vault are revoked
 * (401 from then on) and their reach of the vault is dropped (an unscoped token gets 404), and the
 * server issues that name no new token, join or invite for the team while no current member holds it.
 */

export const teamMembersDdl = [
	`CREATE TABLE IF NOT EXISTS team_members (
	team_id TEXT NOT NULL,
	fingerprint TEXT NOT NULL,
	user_name TEXT NOT NULL,
	role TEXT NOT NULL,
	removed_at_seq BIGINT,
	PRIMARY KEY (team_id, fingerprint)
)`,
	'CREATE INDEX IF NOT EXISTS team_members_by_user ON team_members (team_id, user_name)',
];

/** One verified entry with the team before it (null for the entry creating the team) and after it. */
export type VerifiedStep = {entry: LogEntry; before: TeamState | null; after: TeamState};

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');

/** The server permissions a join token carries for each role (the second wall follows the first). */
export function rolePermissions(role: string): string {
	return role === 'read' || role === 'list' ? 'secrets:read' : 'secrets:read,secrets:write';
}

/** The user who first uploaded the vault (the founder of its team, if it has one). */
export async function vaultOwner(tx: Tx, vaultId: string): Promise<string | undefined> {
	const owner = (await tx.all('SELECT created_by FROM vaults WHERE id = ?', [vaultId]))[0]?.['created_by'];
	return owner === undefined || owner === null ? undefined : String(owner);
}

/** Applies verified steps to the team's rows, revoking what a removal takes away; in the append's transaction. */
export async function recordSteps(tx: Tx, teamId: string, steps: readonly VerifiedStep[], now = new Date()): Promise<void> {
	const owner = await vaultOwner(tx, teamId);
	const userOf = (state: TeamState, print: string) => {
		const name = state.members.get(print)?.name ?? state.removed.get(print)?.name ?? '';
		return print === state.founder && owner !== undefined ? owner : name;
	};

	for (const {entry, before, after} of steps) {
		const {action} = entry;
		switch (action.type) {
			case 'create': {
				await insertMember(tx, teamId, after.founder, userOf(after, after.founder), 'admin');
				break;
			}

			case 'add': {
				const print = fingerprintHex(action.member);
				await insertMember(tx, teamId, print, userOf(after, print), action.role);
				break;
			}

			case 'role': {
				const print = hex(action.member);
				const user = userOf(after, print);
				await tx.run('UPDATE team_members SET role = ? WHERE team_id = ? AND fingerprint = ?', [action.role, teamId, print]);
				await tx.run('UPDATE tokens SET perms = ? WHERE user_name = ? AND vault_id = ? AND revoked_at IS NULL', [rolePermissions(action.role), user, teamId]);
				break;
			}

			case 'remove': {
				const print = hex(action.member);
				const user = userOf(before ?? after, print);
				await tx.run('UPDATE team_members SET removed_at_seq = ? WHERE team_id = ? AND fingerprint = ?', [entry.seq, teamId, print]);
				if (!(await currentRow(tx, teamId, user))) {
					await tx.run('UPDATE tokens SET revoked_at = ? WHERE user_name = ? AND vault_id = ? AND revoked_at IS NULL', [now.toISOString(), user, teamId]);
					await tx.run('DELETE FROM vault_members WHERE vault_id = ? AND user_name = ?', [teamId, user]);
				}

				break;
			}

			case 'generation': {
				break;
			}
		}
	}
}

async function insertMember(tx: Tx, teamId: string, print: string, user: string, role: Role): Promise<void> {
	await tx.run('INSERT INTO team_members (team_id, fingerprint, user_name, role, removed_at_seq) VALUES (?, ?, ?, ?, NULL)', [teamId, print, user, role]);
}

async function currentRow(tx: Tx, teamId: string, user: string): Promise<{role: Role} | undefined> {
	const row = (await tx.all('SELECT role FROM team_members WHERE team_id = ? AND user_name = ? AND removed_at_seq IS NULL', [teamId, user]))[0];
	return row ? {role: String(row['role']) as Role} : undefined;
}

/**
 * The steps of a stored log replayed from the founder its first entry names. Throws
 * {@link MembershipLogError} or {@link FieldError} when the stored log does not verify.
 */
export function replaySteps(entries: readonly Uint8Array[]): VerifiedStep[] {
	const parsed = entries.map(bytes => parseEntry(bytes));
	const first = parsed[0];
	if (first?.action.type !== 'create') {
		throw new MembershipLogError('the stored log does not start with the entry creating the team');
	}

	let state = verifyLog([first.bytes], fingerprintHex(first.action.founder));
	const steps: VerifiedStep[] = [{entry: first, before: null, after: state}];
	for (const entry of parsed.slice(1)) {
		const after = applyEntry(state, entry);
		steps.push({entry, before: state, after});
		state = after;
	}

	return steps;
}

/**
 * Rebuilds every team's rows from its stored log (the schema step adding the table). A log that
 * does not verify leaves its team with no members: its vault's records are refused to everyone
 * until an operator restores the log, rather than served under a membership the server cannot check.
 */
export async function rebuildTeamMembers(tx: Tx): Promise<void> {
	await tx.run('DELETE FROM team_members');
	for (const team of await tx.all('SELECT DISTINCT team_id FROM team_log')) {
		const teamId = String(team['team_id']);
		const rows = await tx.all('SELECT entry FROM team_log WHERE team_id = ? ORDER BY seq LIMIT ?', [teamId, maxLogEntries]);
		let steps: VerifiedStep[];
		try {
			steps = replaySteps(rows.map(row => fromBase64(String(row['entry']))));
		} catch (error) {
			if (error instanceof MembershipLogError || error instanceof FieldError) {
				continue;
			}

			throw error;
		}

		await recordSteps(tx, teamId, steps);
	}
}

/** `{team: false}` for a vault with no membership log; else the user's current role (null when not a current member). */
export type TeamAccess = {team: false} | {team: true; role: Role | null; removedAt: number | null};

export async function teamAccess(tx: Tx, vaultId: string, user: string): Promise<TeamAccess> {
	if ((await tx.all('SELECT 1 FROM team_log WHERE team_id = ? LIMIT 1', [vaultId])).length === 0) {
		return {team: false};
	}

	const rows = await tx.all('SELECT role, removed_at_seq FROM team_members WHERE team_id = ? AND user_name = ?', [vaultId, user]);
	const current = rows.find(row => row['removed_at_seq'] === null || row['removed_at_seq'] === undefined);
	const removed = rows.filter(row => row !== current).map(row => Number(row['removed_at_seq']));
	return {team: true, role: current ? (String(current['role']) as Role) : null, removedAt: current || removed.length === 0 ? null : Math.max(...removed)};
}

/** Refuses (403) a token, join or invite for `user` on `vaultId` when the team's log removed them and no current member holds the name. */
export async function refuseRemovedUser(tx: Tx, vaultId: string, user: string): Promise<void> {
	const access = await teamAccess(tx, vaultId, user);
	if (access.team && access.removedAt !== null) {
		throw new ApiError(
			403,
			'forbidden',
			`${user} was removed from this team (membership log entry ${access.removedAt}): the server gives that name no new token, invite or join for it; invite them under another user name`,
		);
	}
}

/** Refuses (403) anyone who is not a current member of a team vault; answers the access for further checks. */
export async function requireTeamMember(tx: Tx, vaultId: string, user: string): Promise<TeamAccess> {
	const access = await teamAccess(tx, vaultId, user);
	if (access.team && access.role === null) {
		throw new ApiError(403, 'forbidden', `${user} is not a current member of this vault's team (an admin approves a joined member with hush team approve)`);
	}

	return access;
}
