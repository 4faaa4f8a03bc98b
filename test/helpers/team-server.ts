/**
 * A team's vault on a real `hush serve` as its members' tokens reach it: each member's stored token,
 * raw pushes and pulls with it, and the signed `remove` entry an admin's client would append (the
 * server's wall is tested under the CLI, with what any client could send).
 */
import {randomUUID} from 'node:crypto';
import {readRemote} from '../../source/sync/settings.js';
import {fingerprintHex, generateIdentity} from '../../source/team/identity.js';
import {appendEntry} from '../../source/team/log-writer.js';
import {type TeamState, verifyLog} from '../../source/team/membership-log.js';
import {openVault} from '../../source/unlock/open-vault.js';
import {call, validRecord} from './server-api.js';
import {type Team, appendSigned, identityOf} from './team.js';
import type {Member} from './team-invite.js';

/** The token `hush join` stored (sealed) in `member`'s vault. */
export async function tokenOf(member: Member): Promise<string> {
	const vault = await openVault({home: member.home, passphrase: member.passphrase});
	try {
		const store = vault.syncStore();
		return store.read(() => readRemote(store, vault.id))!.token;
	} finally {
		vault.close();
	}
}

export type PushAnswer = {status: number; body: any};

/** Pushes one record (new unless `overrides` says otherwise) to the team's vault with `token`. */
export async function push(team: Pick<Team, 'server' | 'vaultId'>, token: string, overrides: Record<string, unknown> = {}): Promise<PushAnswer> {
	const answer = await call(team.server.url, {
		method: 'POST',
		path: `/v1/vaults/${team.vaultId}/records`,
		token,
		contentType: 'application/json',
		body: JSON.stringify({records: [validRecord({id: randomUUID(), ...overrides})]}),
	});
	return {status: answer.status, body: JSON.parse(answer.text)};
}

/** The status of the one result of a push that the server answered 200. */
export function resultOf(answer: PushAnswer): string {
	if (answer.status !== 200) {
		throw new Error(`push answered ${answer.status}: ${JSON.stringify(answer.body)}`);
	}

	return answer.body.results[0].status as string;
}

/** Pulls every change the token sees: the status and the record ids. */
export async function pull(team: Pick<Team, 'server' | 'vaultId'>, token: string): Promise<{status: number; body: any; ids: string[]}> {
	const answer = await call(team.server.url, {method: 'GET', path: `/v1/vaults/${team.vaultId}/changes`, token});
	const body = JSON.parse(answer.text);
	return {status: answer.status, body, ids: answer.status === 200 ? (body.records as Array<{id: string}>).map(record => record.id).sort() : []};
}

/** The founder (alice, an admin) signs and appends `action`, as her client would, after verifying the log the server serves. */
async function appendAsFounder(team: Team, action: (state: TeamState) => Parameters<typeof appendEntry>[2]): Promise<void> {
	const alice = await identityOf(team.home);
	const served = await call(team.server.url, {method: 'GET', path: `/v1/vaults/${team.vaultId}/team/log`, token: team.token});
	const entries = (JSON.parse(served.text) as {entries: string[]}).entries.map(entry => new Uint8Array(Buffer.from(entry, 'base64')));
	const state = verifyLog(entries, fingerprintHex(alice));
	const {entry} = appendEntry(state, alice, action(state));
	await appendSigned(team, state, [entry]);
}

export async function removeMember(team: Team, name: string): Promise<void> {
	await appendAsFounder(team, state => {
		const member = [...state.members.values()].find(candidate => candidate.name === name);
		if (!member) {
			throw new Error(`${name} is not a member`);
		}

		return {type: 'remove', member: new Uint8Array(Buffer.from(member.fingerprint, 'hex'))};
	});
}

/** Adds `name` with a new identity (a removed member comes back only with new keys). */
export async function addMember(team: Team, name: string, role: 'admin' | 'write' | 'read' | 'list'): Promise<void> {
	const keys = generateIdentity(name);
	await appendAsFounder(team, () => ({type: 'add', member: {name, signingKey: keys.signingKey, kemKey: keys.kemKey}, role}));
}
