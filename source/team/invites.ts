import {HushError, IntegrityError, InvalidInputError} from '../errors.js';
import {claimHash, inviteMessage, wrapPutMessage} from '../protocol/team-invite.js';
import {type TeamInvite, type TeamPin, readTeamPin, writeTeamPin} from '../vault/team-store.js';
import type {Vault} from '../vault/vault.js';
import {assertValidUserName, fingerprintHex, sign, wipeIdentity} from './identity.js';
import {formatInviteCode, inviteClaim, joinMacMatches, newInviteSecret} from './invite-code.js';
import {unwrap, wipeGenerationKeys, wrapFor} from './keys.js';
import type {Role} from './log-entry.js';
import {appendEntry} from './log-writer.js';
import type {TeamState} from './membership-log.js';
import {type Session, advancePin, b64, session, verifiedTeam} from './service.js';

/**
 * `hush team invite` and `hush team approve`, on an admin's device. The invite secret is kept in
 * this device's sealed team pin until the join is approved: only it checks the joiner's MAC, so a
 * server that swapped the joiner's keys is caught here, before anything is signed or wrapped.
 */

/** Longest an invite may live: a code sitting in a chat log for weeks is a code someone else uses. */
export const maxInviteLifetime = 30 * 24 * 60 * 60 * 1000;

export async function asAdmin<T>(vault: Vault, work: (s: Session, team: {pin: TeamPin; state: TeamState; entries: Uint8Array[]}) => Promise<T>): Promise<T> {
	const s = await session(vault);
	try {
		const team = await verifiedTeam(s);
		const role = team.state.members.get(s.me)?.role;
		if (role !== 'admin') {
			throw new HushError(`only an admin of team ${team.state.teamName} can do this: you are ${role ? `a ${role} member` : 'not a member'}`);
		}

		return await work(s, team);
	} finally {
		wipeIdentity(s.identity);
	}
}

/** Registers a one-time invite for `user` on the server and returns its code. */
export async function inviteMember(vault: Vault, input: {user: string; role: Role; lifetime: number; now?: Date}): Promise<{code: string; expiresAt: string}> {
	assertValidUserName(input.user);
	if (input.lifetime <= 0 || input.lifetime > maxInviteLifetime) {
		throw new InvalidInputError('an invite lives from 1 minute to 30 days (--expires 30m, 24h, 7d)');
	}

	return asAdmin(vault, async (s, {pin, state}) => {
		if ([...state.members.values()].some(member => member.name === input.user)) {
			throw new HushError(`${input.user} is already a member of team ${state.teamName}`);
		}

		const secret = newInviteSecret();
		const expiresAt = new Date((input.now ?? new Date()).getTime() + input.lifetime).toISOString();
		const request = {claimHash: claimHash(inviteClaim(secret, state.teamId)), user: input.user, role: input.role, expiresAt};
		const signature = b64(sign(s.identity, inviteMessage(state.teamId, request)));
		await s.client.invite({...request, signer: s.me, signature});
		const kept: TeamInvite = {user: input.user, role: input.role, secret: b64(secret), expiresAt};
		s.store.write(() => {
			const current = readTeamPin(s.store) ?? pin;
			writeTeamPin(s.store, {...current, invites: [...(current.invites ?? []).filter(invite => invite.user !== input.user), kept]});
		});
		const code = formatInviteCode({url: s.client.base, teamId: state.teamId, founder: state.founder, secret, user: input.user, role: input.role});
		secret.fill(0);
		return {code, expiresAt};
	});
}

export type Joiner = {name: string; role: Role; fingerprint: string};

/**
 * Approves `user`'s join: their request must carry the MAC of the invite this device made for
 * them; `confirm` shows their fingerprint for the admin to compare with what they read out. Then
 * the signed add entry, and their wrap of the current generation. Run again after an interruption,
 * it finishes the wrap for a member already added.
 */
export async function approveMember(vault: Vault, user: string, confirm: (joiner: Joiner) => Promise<boolean>): Promise<Joiner & {added: boolean; generation: number}> {
	assertValidUserName(user);
	return asAdmin(vault, async (s, {pin, state, entries}) => {
		const invite = pin.invites?.find(candidate => candidate.user === user);
		if (!invite) {
			throw new HushError(`this device holds no pending invite for ${user}: invite them with hush team invite ${user} (on the device that made the invite, run approve there)`);
		}

		const join = (await s.client.joins()).find(candidate => candidate.name === user);
		if (!join) {
			throw new HushError(`${user} has not joined yet: they run hush join CODE with the code you gave them`);
		}

		const keys = {name: user, role: invite.role, signingKey: fromB64(join.signingKey), kemKey: fromB64(join.kemKey)};
		if (!joinMacMatches(fromB64(invite.secret), state.teamId, keys, fromB64(join.mac))) {
			throw new IntegrityError(`the join request for ${user} does not carry the MAC of your invite: it was not made with the code you gave them, or was altered; not approved`);
		}

		const joiner: Joiner = {name: user, role: invite.role, fingerprint: fingerprintHex(keys)};
		let after = state;
		let allEntries = entries;
		const added = !state.members.has(joiner.fingerprint);
		if (added) {
			if ([...state.members.values()].some(member => member.name === user)) {
				throw new HushError(`another member of team ${state.teamName} is already named ${user}: not approved`);
			}

			if (!(await confirm(joiner))) {
				throw new HushError(`${user} was not approved: nothing was changed`);
			}

			const next = appendEntry(state, s.identity, {type: 'add', member: {name: user, signingKey: keys.signingKey, kemKey: keys.kemKey}, role: invite.role});
			const answer = await s.client.append(state.head, [next.entry.bytes]);
			if (answer.status !== 'appended') {
				throw new HushError('the membership log moved on while approving (another admin changed it): nothing was added; run hush team approve again');
			}

			after = next.state;
			allEntries = [...entries, next.entry.bytes];
		}

		advancePin(s.store, after, allEntries, s.me);
		const generation = await publishWrap(s, after, joiner.fingerprint);
		s.store.write(() => {
			const current = readTeamPin(s.store);
			if (current) {
				writeTeamPin(s.store, {...current, invites: (current.invites ?? []).filter(candidate => candidate.user !== user)});
			}
		});
		return {...joiner, added, generation};
	});
}

/** Wraps the current generation's keys (opened from this admin's own wrap) to `member` and publishes it. */
export async function publishWrap(s: Session, state: TeamState, member: string): Promise<number> {
	const {generation} = state.generations.at(-1)!;
	const pinned = s.store.read(() => readTeamPin(s.store))?.wraps.find(wrap => wrap.generation === generation);
	const mine = pinned ? fromB64(pinned.wrap) : await s.client.wrap(s.me, generation);
	if (!mine) {
		throw new HushError(`this device holds no key of generation ${generation} to give: run hush team members first`);
	}

	const opened = unwrap(mine, s.identity, state);
	try {
		if (!opened.valuesKey) {
			throw new HushError('your wrap of the team keys holds no values key: only an admin with every key can approve');
		}

		const wrap = b64(wrapFor(state, {teamId: state.teamId, generation, metadataKey: opened.metadataKey, valuesKey: opened.valuesKey}, member));
		const signature = b64(sign(s.identity, wrapPutMessage(state.teamId, member, generation, wrap)));
		await s.client.putWrap(member, generation, {wrap, signer: s.me, signature});
		return generation;
	} finally {
		wipeGenerationKeys(opened);
	}
}

const fromB64 = (text: string) => new Uint8Array(Buffer.from(text, 'base64'));
