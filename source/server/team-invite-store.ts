import {fromBase64} from '../protocol/index.js';
import {claimHash} from '../protocol/team-invite.js';
import type {TeamJoin, TeamJoinRequest} from '../protocol/team-invite.js';
import {verifySignature} from '../team/identity.js';
import {ApiError} from './errors.js';
import type {Tx} from './store.js';
import {TeamLogRefused, storedTeamState} from './team-log-store.js';

/**
 * The server's side of invites, joins and key wraps (routes: team-invite-routes.ts). An invite row
 * holds the SHA-256 of the joiner's claim (never the invite secret, which the server never sees),
 * the user it is for, the role, the expiry and whether it was used. A join row holds the joiner's
 * public keys and their MAC, for an admin's client to check. A wrap row is opaque bytes the member's
 * client checks against the log's commitment.
 */

export const teamInviteDdl = [
	`CREATE TABLE IF NOT EXISTS team_invites (
	claim_hash TEXT PRIMARY KEY,
	team_id TEXT NOT NULL,
	user_name TEXT NOT NULL,
	role TEXT NOT NULL,
	expires_at TEXT NOT NULL,
	created_by TEXT NOT NULL,
	created_at TEXT NOT NULL,
	used_at TEXT
)`,
	`CREATE TABLE IF NOT EXISTS team_joins (
	team_id TEXT NOT NULL,
	user_name TEXT NOT NULL,
	signing_key TEXT NOT NULL,
	kem_key TEXT NOT NULL,
	mac TEXT NOT NULL,
	joined_at TEXT NOT NULL,
	PRIMARY KEY (team_id, user_name)
)`,
	`CREATE TABLE IF NOT EXISTS team_wraps (
	team_id TEXT NOT NULL,
	member TEXT NOT NULL,
	generation BIGINT NOT NULL,
	wrap TEXT NOT NULL,
	stored_by TEXT NOT NULL,
	stored_at TEXT NOT NULL,
	PRIMARY KEY (team_id, member, generation)
)`,
];

/**
 * Refuses (403) unless `signature` over `message` verifies under the key the stored log holds for
 * `signer`, who must be a current admin: the server's wall, under the clients' own checks.
 */
export async function assertAdminSigned(tx: Tx, teamId: string, signer: string, signature: string, message: Uint8Array): Promise<void> {
	let state;
	try {
		state = await storedTeamState(tx, teamId);
	} catch (error) {
		throw error instanceof TeamLogRefused ? new ApiError(409, 'invalid_request', error.message) : error;
	}

	if (!state) {
		throw new ApiError(404, 'not_found', 'this vault is not a team: its owner makes it one with hush team init');
	}

	const member = state.members.get(signer);
	if (member?.role !== 'admin' || !verifySignature(fromBase64(signature), message, member.signingKey)) {
		throw new ApiError(403, 'forbidden', `only an admin of the team may do this${member ? ` (${member.name} is a ${member.role} member)` : ''}`);
	}
}

export async function createInvite(tx: Tx, input: {teamId: string; claimHash: string; user: string; role: string; expiresAt: string; createdBy: string}): Promise<void> {
	await tx.run('INSERT INTO team_invites (claim_hash, team_id, user_name, role, expires_at, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)', [
		input.claimHash,
		input.teamId,
		input.user,
		input.role,
		input.expiresAt,
		input.createdBy,
		new Date().toISOString(),
	]);
}

/**
 * Uses the invite `request.claim` proves, once: it must exist for this team and this user, be
 * unexpired and unused. The update that marks it used is conditional, so two joins racing on one
 * invite cannot both win. Records the join; the caller issues the token in the same transaction.
 */
export async function claimInvite(tx: Tx, teamId: string, request: TeamJoinRequest, now = new Date()): Promise<{user: string; role: string}> {
	const hash = claimHash(fromBase64(request.claim));
	const row = (await tx.all('SELECT user_name, role, expires_at, used_at FROM team_invites WHERE claim_hash = ? AND team_id = ?', [hash, teamId]))[0];
	if (!row) {
		throw new ApiError(403, 'forbidden', 'this invite is not one this server holds for this team');
	}

	if (row['used_at']) {
		throw new ApiError(403, 'forbidden', 'this invite was already used: ask an admin for a new one');
	}

	if (Date.parse(String(row['expires_at'])) <= now.getTime()) {
		throw new ApiError(403, 'forbidden', `this invite expired at ${String(row['expires_at'])}: ask an admin for a new one`);
	}

	const user = String(row['user_name']);
	if (request.name !== user) {
		throw new ApiError(403, 'forbidden', 'this invite is for another user name');
	}

	const at = now.toISOString();
	if ((await tx.run('UPDATE team_invites SET used_at = ? WHERE claim_hash = ? AND used_at IS NULL', [at, hash])) !== 1) {
		throw new ApiError(403, 'forbidden', 'this invite was already used: ask an admin for a new one');
	}

	await tx.run('DELETE FROM team_joins WHERE team_id = ? AND user_name = ?', [teamId, user]);
	await tx.run('INSERT INTO team_joins (team_id, user_name, signing_key, kem_key, mac, joined_at) VALUES (?, ?, ?, ?, ?, ?)', [
		teamId,
		user,
		request.signingKey,
		request.kemKey,
		request.mac,
		at,
	]);
	return {user, role: String(row['role'])};
}

export async function listJoins(tx: Tx, teamId: string): Promise<TeamJoin[]> {
	const rows = await tx.all('SELECT user_name, signing_key, kem_key, mac, joined_at FROM team_joins WHERE team_id = ? ORDER BY joined_at, user_name LIMIT 1000', [teamId]);
	return rows.map(row => ({name: String(row['user_name']), signingKey: String(row['signing_key']), kemKey: String(row['kem_key']), mac: String(row['mac']), joinedAt: String(row['joined_at'])}));
}

export async function putWrap(tx: Tx, input: {teamId: string; member: string; generation: number; wrap: string; storedBy: string}): Promise<void> {
	await tx.run('DELETE FROM team_wraps WHERE team_id = ? AND member = ? AND generation = ?', [input.teamId, input.member, input.generation]);
	await tx.run('INSERT INTO team_wraps (team_id, member, generation, wrap, stored_by, stored_at) VALUES (?, ?, ?, ?, ?, ?)', [
		input.teamId,
		input.member,
		input.generation,
		input.wrap,
		input.storedBy,
		new Date().toISOString(),
	]);
}

/** The wrap for `member`, if the token's user is that member's name in the stored log (else 403). */
export async function getWrap(tx: Tx, teamId: string, user: string, member: string, generation: number): Promise<string | undefined> {
	const state = await storedTeamState(tx, teamId);
	const holder = state?.members.get(member);
	if (holder?.name !== user) {
		throw new ApiError(403, 'forbidden', 'a key wrap is given only to the member it is for');
	}

	const row = (await tx.all('SELECT wrap FROM team_wraps WHERE team_id = ? AND member = ? AND generation = ?', [teamId, member, generation]))[0];
	return row ? String(row['wrap']) : undefined;
}
