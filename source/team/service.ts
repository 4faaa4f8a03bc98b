import {HushError, InvalidInputError} from '../errors.js';
import {readRemote} from '../sync/settings.js';
import {type TeamPin, clearTeamPin, readTeamPin, writeTeamPin} from '../vault/team-store.js';
import type {SyncStore, Vault} from '../vault/vault.js';
import {NoTeamError, TeamClient, TeamRefusedError, TeamRemoteError} from './client.js';
import {MembershipLogError} from './errors.js';
import {type Identity, fingerprintHex, wipeIdentity} from './identity.js';
import {generationCommitment, newGenerationKeys, wipeGenerationKeys, wrapFor} from './keys.js';
import {entryHash, parseEntry, teamNamePattern} from './log-entry.js';
import {appendEntry, createTeamEntry} from './log-writer.js';
import {type TeamState, verifyLog} from './membership-log.js';
import {type MyKeys, openMyKeys} from './my-keys.js';

/**
 * `hush team init` and `hush team members`: the vault's remote holds the membership log, this
 * device holds the pin (vault/team-store.ts), and nothing from the server is used before the log
 * has been replayed from the pinned founder and reached the pinned head.
 */

export type TeamMemberView = {name: string; role: string; fingerprint: string; addedAtEntry: number; addedAt: string; you: boolean; founder: boolean};

export type TeamView = {teamId: string; teamName: string; head: {seq: number; hash: string}; role: string | null; members: TeamMemberView[]; keys?: MyKeys};

export type Session = {store: SyncStore; client: TeamClient; identity: Identity; me: string};

export async function session(vault: Vault): Promise<Session> {
	const store = vault.syncStore();
	const remote = store.read(() => readRemote(store, vault.id));
	if (!remote) {
		throw new HushError('this vault has no remote: connect one with hush remote add URL and run hush sync first');
	}

	const {identity} = await vault.teamIdentity();
	return {store, client: new TeamClient(remote.url, remote.token, remote.vaultId), identity, me: fingerprintHex(identity)};
}

export const b64 = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64');

/**
 * Makes the remote's copy of this vault a team with this identity as its founder and first admin:
 * the create entry, key generation 1 with its commitment, and this identity's own wrap of the
 * generation's keys. The pin (with the wrap and the signed entries) is stored before anything is
 * sent, so an interrupted init is finished by running it again.
 */
export async function initTeam(vault: Vault, options: {name?: string; now?: Date}): Promise<{view: TeamView; resumed: boolean}> {
	const teamName = options.name ?? 'team';
	if (!teamNamePattern.test(teamName)) {
		throw new InvalidInputError('a team name is 1–64 characters: letters, digits, spaces and . _ -, starting with a letter or digit');
	}

	const s = await session(vault);
	try {
		let pin = s.store.read(() => readTeamPin(s.store));
		if (pin && !pin.pending) {
			throw new HushError(`this vault is already in team ${pin.teamName}: see hush team members`);
		}

		const resumed = pin !== undefined;
		if (!pin) {
			await assertNoTeamYet(s.client);
			pin = foundTeam(s, vault.id, teamName, options.now ?? new Date());
			const fresh = pin;
			s.store.write(() => {
				if (readTeamPin(s.store)) {
					throw new HushError('another hush process is setting up a team for this vault: run hush team members');
				}

				writeTeamPin(s.store, fresh);
			});
		}

		const entries = pin.pending!.map(entry => new Uint8Array(Buffer.from(entry, 'base64')));
		const answer = await s.client.append(null, entries).catch((error: unknown) => {
			if (error instanceof TeamRefusedError) {
				// The server answered no and stored nothing: the attempt is forgotten, not left pending.
				s.store.write(() => clearTeamPin(s.store));
			}

			throw error;
		});
		if (answer.head?.seq !== pin.head.seq || answer.head.hash !== pin.head.hash) {
			// Nothing of ours was stored (the server's log is someone else's): forget the attempt.
			s.store.write(() => clearTeamPin(s.store));
			throw new HushError('the server already holds another team for this vault: nothing was changed; see hush team members');
		}

		const confirmed: TeamPin = {...pin, pending: null, verifiedAt: new Date().toISOString()};
		s.store.write(() => writeTeamPin(s.store, confirmed));
		return {view: toView(verifyLog(entries, pin.founder), entries, s.me), resumed};
	} finally {
		wipeIdentity(s.identity);
	}
}

async function assertNoTeamYet(client: TeamClient): Promise<void> {
	try {
		await client.log();
	} catch (error) {
		if (error instanceof NoTeamError) {
			return;
		}

		throw error;
	}

	throw new HushError('the server already holds a team for this vault: nothing was changed; see hush team members');
}

function foundTeam(s: Session, teamId: string, teamName: string, now: Date): TeamPin {
	const create = createTeamEntry(s.identity, {teamId, teamName, at: now});
	const keys = newGenerationKeys(teamId, 1);
	try {
		const generation = appendEntry(verifyLog([create.bytes], s.me), s.identity, {type: 'generation', generation: 1, commitment: generationCommitment(keys)}, now);
		const wrap = wrapFor(generation.state, keys, s.me);
		return {
			teamId,
			teamName,
			founder: s.me,
			head: generation.state.head,
			role: 'admin',
			wraps: [{generation: 1, wrap: b64(wrap)}],
			pending: [b64(create.bytes), b64(generation.entry.bytes)],
			verifiedAt: now.toISOString(),
		};
	} finally {
		wipeGenerationKeys(keys);
	}
}

/**
 * The team as the server's log makes it, replayed from the pinned founder and checked against the
 * pinned head; the pin then moves to the new head. A log that does not verify throws one
 * {@link MembershipLogError} and changes nothing here.
 */
export async function teamMembers(vault: Vault): Promise<TeamView> {
	const s = await session(vault);
	try {
		const {state, entries} = await verifiedTeam(s);
		advancePin(s.store, state, entries, s.me);
		const keys = await openMyKeys(s, state);
		return {...toView(state, entries, s.me), keys};
	} finally {
		wipeIdentity(s.identity);
	}
}

/** The pinned team's log from the server, replayed from the pinned founder to at least the pinned head. */
export async function verifiedTeam(s: Session): Promise<{pin: TeamPin; state: TeamState; entries: Uint8Array[]}> {
	const pin = s.store.read(() => readTeamPin(s.store));
	if (!pin) {
		throw new HushError('this vault is in no team: its owner makes the remote one with hush team init');
	}

	if (pin.pending) {
		throw new HushError('hush team init did not finish on this device: run it again');
	}

	let entries: Uint8Array[];
	try {
		({entries} = await s.client.log());
	} catch (error) {
		if (error instanceof NoTeamError) {
			throw new MembershipLogError(`the server holds no membership log, but this device has verified team ${pin.teamName} up to entry ${pin.head.seq}: the server lost or hid it`);
		}

		throw error;
	}

	const state = verifyLog(entries, pin.founder, pin.head);
	if (state.teamId !== pin.teamId) {
		throw new MembershipLogError(`the server's membership log is for another team, not ${pin.teamName}`);
	}

	return {pin, state, entries};
}

/** Moves the pin to the verified head, never back: another process may have pinned a later one. */
export function advancePin(store: SyncStore, state: TeamState, entries: readonly Uint8Array[], me: string): void {
	store.write(() => {
		const current = readTeamPin(store);
		if (!current || current.head.seq > state.head.seq) {
			return;
		}

		if (Buffer.from(entryHash(entries[current.head.seq]!)).toString('hex') !== current.head.hash) {
			throw new MembershipLogError(`the membership log is forked: entry ${current.head.seq} differs from the one this device has already seen`);
		}

		writeTeamPin(store, {...current, teamName: state.teamName, head: state.head, role: state.members.get(me)?.role ?? null, verifiedAt: new Date().toISOString()});
	});
}

function toView(state: TeamState, entries: readonly Uint8Array[], me: string): TeamView {
	const members = [...state.members.values()]
		.sort((a, b) => a.addedAt - b.addedAt)
		.map(member => ({
			name: member.name,
			role: member.role,
			fingerprint: member.fingerprint,
			addedAtEntry: member.addedAt,
			addedAt: parseEntry(entries[member.addedAt]!).at,
			you: member.fingerprint === me,
			founder: member.fingerprint === state.founder,
		}));
	return {teamId: state.teamId, teamName: state.teamName, head: state.head, role: state.members.get(me)?.role ?? null, members};
}

/** The team this vault has pinned, as of the last verified head (no network): for hush whoami. */
export function pinnedTeam(vault: Vault): Pick<TeamPin, 'teamId' | 'teamName' | 'role' | 'head' | 'pending'> | undefined {
	const store = vault.syncStore();
	return store.read(() => readTeamPin(store));
}

export {TeamRemoteError};
