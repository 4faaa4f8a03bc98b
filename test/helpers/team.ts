/**
 * A team on a real `hush serve`: its founder's home (hush init, remote add, sync, team init through
 * the CLI), the founder's identity read from their vault (tests sign entries with it, as an
 * admin's client would), raw appends over HTTP, and edits to the server's stored log (the attacker
 * with the database).
 */
import {createHash} from 'node:crypto';
import {join} from 'node:path';
import {DatabaseSync} from 'node:sqlite';
import type {TestContext} from 'node:test';
import type {Identity} from '../../source/team/identity.js';
import type {LogEntry} from '../../source/team/log-entry.js';
import {type TeamState, verifyLog} from '../../source/team/membership-log.js';
import {openVault} from '../../source/unlock/open-vault.js';
import {hushOk, initHome, passphrase} from './hush-cli.js';
import {type RunningServer, initServerDb, serverToken, startServer} from './sync-server.js';

export type Team = {db: string; server: RunningServer; token: string; home: string; vaultId: string};

/** A server (SQLite unless `db` is given, already initialised) and alice's vault (identity `alice`) made a team named `platform`. */
export async function foundTeam(t: TestContext, options: {db?: string} = {}): Promise<Team> {
	const db = options.db ?? (await initServerDb(t)).db;
	const server = await startServer(db);
	t.after(() => server.stop());
	const token = await serverToken(db, ['token', 'create', '--user', 'alice', '--perm', 'secrets:read,secrets:write']);
	const home = await initHome(t);
	await hushOk(['remote', 'add', server.url, '--token-stdin'], {home, input: token});
	await hushOk(['sync'], {home});
	await hushOk(['whoami', '--name', 'alice'], {home});
	await hushOk(['team', 'init', '--name', 'platform'], {home});
	const vaultId = (JSON.parse((await hushOk(['remote', 'show', '--json'], {home})).stdout) as {vaultId: string}).vaultId;
	return {db, server, token, home, vaultId};
}

export async function identityOf(home: string): Promise<Identity> {
	const vault = await openVault({home, passphrase});
	try {
		return (await vault.teamIdentity()).identity;
	} finally {
		vault.close();
	}
}

export const b64 = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64');

export async function appendOverHttp(team: Pick<Team, 'server' | 'vaultId'>, token: string, body: unknown): Promise<{status: number; body: any}> {
	const response = await fetch(`${team.server.url}/v1/vaults/${team.vaultId}/team/log`, {
		method: 'POST',
		headers: {authorization: `Bearer ${token}`, 'content-type': 'application/json'},
		body: JSON.stringify(body),
	});
	return {status: response.status, body: await response.json()};
}

/** Appends `entries` (signed by the test) after `state` over HTTP with the founder's token; throws unless stored. */
export async function appendSigned(team: Team, state: TeamState, entries: readonly LogEntry[]): Promise<void> {
	const answer = await appendOverHttp(team, team.token, {expected: state.head, entries: entries.map(entry => b64(entry.bytes))});
	if (answer.status !== 200) {
		throw new Error(`append refused (${answer.status}): ${JSON.stringify(answer.body)}`);
	}
}

/** The log as the server's SQLite database holds it. */
export function storedLog(db: string, teamId: string): Uint8Array[] {
	const handle = new DatabaseSync(db, {readOnly: true});
	try {
		const rows = handle.prepare('SELECT entry FROM team_log WHERE team_id = ? ORDER BY seq').all(teamId) as Array<{entry: string}>;
		return rows.map(row => new Uint8Array(Buffer.from(row.entry, 'base64')));
	} finally {
		handle.close();
	}
}

/** The team as a client verifies the stored log from its founder. */
export function storedState(team: Team, founder: string): TeamState {
	return verifyLog(storedLog(team.db, team.vaultId), founder);
}

/** The attacker with the database: runs `sql` on the server's SQLite file while it serves. */
export function tamper(db: string, sql: string, ...params: Array<string | number>): void {
	const handle = new DatabaseSync(db, {timeout: 10_000});
	try {
		handle.prepare(sql).run(...params);
	} finally {
		handle.close();
	}
}

/** A digest of the vault file's tables, the team pin (sync_settings) included. */
export function wholeVaultDigest(home: string): string {
	const db = new DatabaseSync(join(home, 'vault.db'), {readOnly: true});
	try {
		const hash = createHash('sha256');
		for (const table of ['header', 'keyslots', 'records', 'audit', 'sync_settings', 'sync_status']) {
			for (const row of db.prepare(`SELECT * FROM ${table} ORDER BY 1`).all()) {
				hash.update(JSON.stringify(row, (_key, value: unknown) => (value instanceof Uint8Array ? Buffer.from(value).toString('hex') : value)));
			}
		}

		return hash.digest('hex');
	} finally {
		db.close();
	}
}
