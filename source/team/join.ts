import {HushError} from '../errors.js';
import {readRemote, writeRemote} from '../sync/settings.js';
import {readTeamPin, writeTeamPin} from '../vault/team-store.js';
import type {Vault} from '../vault/vault.js';
import {TeamClient} from './client.js';
import {MembershipLogError} from './errors.js';
import {fingerprintHex, wipeIdentity} from './identity.js';
import {type InviteCode, inviteClaim, joinMac} from './invite-code.js';
import {verifyLog} from './membership-log.js';
import {b64} from './service.js';

/**
 * `hush join CODE`: this vault (made under the joiner's own passphrase) sends its identity's public
 * keys, with the invite's MAC, and gets a token scoped to the team's vault. Before anything is kept,
 * the server's membership log must replay from the founder fingerprint the code carries and be the
 * code's team: a server that is not the inviter's (or rewrote the founder) is refused here. Only then
 * are the remote and the team pin stored; the member's keys come once an admin approves.
 */

export type Joined = {teamName: string; user: string; role: string; fingerprint: string; head: number};

export async function joinTeam(vault: Vault, code: InviteCode, options: {insecure: boolean}): Promise<Joined> {
	const store = vault.syncStore();
	store.read(() => {
		if (readRemote(store, vault.id) || readTeamPin(store)) {
			throw new HushError('this vault already has a remote or a team: hush join sets up a new device (use an empty HUSH_HOME)');
		}
	});

	const {identity} = await vault.teamIdentity();
	try {
		const keys = {name: code.user, role: code.role, signingKey: identity.signingKey, kemKey: identity.kemKey};
		const answer = await new TeamClient(code.url, '', code.teamId).join({
			claim: b64(inviteClaim(code.secret, code.teamId)),
			name: code.user,
			signingKey: b64(identity.signingKey),
			kemKey: b64(identity.kemKey),
			mac: b64(joinMac(code.secret, code.teamId, keys)),
		});
		const {entries} = await new TeamClient(code.url, answer.token, code.teamId).log();
		let state;
		try {
			state = verifyLog(entries, code.founder);
		} catch (error) {
			throw error instanceof MembershipLogError
				? new MembershipLogError(`the server's team is not the one this code names (${error.message}): nothing was stored`)
				: error;
		}

		if (state.teamId !== code.teamId) {
			throw new MembershipLogError('the server\'s team is not the one this code names (its log is for another team): nothing was stored');
		}

		store.write(() => {
			writeRemote(store, vault.id, {url: code.url, token: answer.token, insecure: options.insecure, vaultId: code.teamId});
			writeTeamPin(store, {
				teamId: state.teamId,
				teamName: state.teamName,
				founder: code.founder,
				head: state.head,
				role: null,
				wraps: [],
				pending: null,
				verifiedAt: new Date().toISOString(),
			});
		});
		if (identity.name !== code.user) {
			await vault.teamIdentity({rename: code.user});
		}

		return {teamName: state.teamName, user: code.user, role: answer.role, fingerprint: fingerprintHex(identity), head: state.head.seq};
	} finally {
		wipeIdentity(identity);
	}
}
