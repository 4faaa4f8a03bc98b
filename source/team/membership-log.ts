import {timingSafeEqual} from 'node:crypto';
import {MembershipLogError} from './errors.js';
import {FieldError} from './fields.js';
import {fingerprint, verifySignature} from './identity.js';
import {type LogAction, type LogEntry, type Role, hashLength, parseEntry} from './log-entry.js';

/**
 * A team's membership log, replayed. Every client replays the whole chain from the founder it has
 * pinned (from the invite code, or because it founded the team) before it trusts a member's keys,
 * wraps a key to anyone or accepts a wrapped key:
 *   - entry 0 creates the team, is signed by the founder, whose fingerprint is the pinned one;
 *   - entry n carries n and the hash of entry n-1 (so nothing can be reordered, dropped or spliced);
 *   - each entry is signed by someone who is an admin *at that point* of the chain: a removed or
 *     demoted admin's later signature is refused;
 *   - membership stays coherent: no one added twice or after removal, no role change or removal of
 *     a non-member, never zero admins, generations numbered 1, 2, 3…;
 *   - the chain must reach, and agree with, the head this device pinned last time, so the server
 *     cannot serve an older (truncated) or different (forked) chain.
 * The server stores the log and checks that it only grows, but it holds no admin's key: it cannot
 * add a member, change a role or swap a key without every client refusing the log. Entry times are
 * the signer's clock: shown, never trusted for order (the chain is the order).
 */

export type Member = {name: string; role: Role; signingKey: Uint8Array; kemKey: Uint8Array; fingerprint: string; addedAt: number};

export type Generation = {generation: number; commitment: Uint8Array; seq: number};

export type LogHead = {seq: number; hash: string};

export type TeamState = {
	teamId: string;
	teamName: string;
	founder: string;
	/** Current members by fingerprint (hex). */
	members: Map<string, Member>;
	/** Removed members by fingerprint, with the entry that removed them. */
	removed: Map<string, {name: string; removedAt: number; role: Role}>;
	generations: Generation[];
	head: LogHead;
};

/** At most this many entries are replayed from the wire in one go. */
export const maxLogEntries = 100_000;

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');
const equalBytes = (a: Uint8Array, b: Uint8Array) => a.length === b.length && timingSafeEqual(a, b);

/**
 * Replays `entries` (as they came from the server, each the entry's bytes) from the founder whose
 * fingerprint (hex) is `pinnedFounder`, and checks them against `pinnedHead` if this device has
 * seen the log before. Returns the team as the log makes it, or throws one
 * {@link MembershipLogError} naming the entry and what failed.
 */
export function verifyLog(entries: readonly Uint8Array[], pinnedFounder: string, pinnedHead?: LogHead): TeamState {
	if (entries.length === 0) {
		throw new MembershipLogError('the membership log is empty: it has no entry creating the team');
	}

	if (entries.length > maxLogEntries) {
		throw new MembershipLogError(`the membership log has ${entries.length} entries, over the limit of ${maxLogEntries}`);
	}

	if (pinnedHead && entries.length <= pinnedHead.seq) {
		throw new MembershipLogError(
			`the membership log was truncated: it ends at entry ${entries.length - 1}, but this device has already seen entry ${pinnedHead.seq} (the server rolled it back)`,
		);
	}

	let state: TeamState | undefined;
	for (const [seq, bytes] of entries.entries()) {
		const entry = parseAt(bytes, seq);
		if (pinnedHead?.seq === seq && hex(entry.hash) !== pinnedHead.hash) {
			throw new MembershipLogError(`the membership log is forked: entry ${seq} differs from the one this device has already seen`);
		}

		state = state === undefined ? startTeam(entry, pinnedFounder) : applyEntry(state, entry);
	}

	return state!;
}

/**
 * Verifies entries that follow an already verified `state` (e.g. the ones a sync fetched after the
 * pinned head) and returns the new state; `state` itself is left as it was.
 */
export function extendLog(state: TeamState, entries: readonly Uint8Array[]): TeamState {
	let next = cloneState(state);
	for (const [index, bytes] of entries.entries()) {
		next = applyEntry(next, parseAt(bytes, state.head.seq + 1 + index));
	}

	return next;
}

function parseAt(bytes: Uint8Array, seq: number): LogEntry {
	try {
		return parseEntry(bytes);
	} catch (error) {
		if (error instanceof FieldError) {
			throw new MembershipLogError(`membership log entry ${seq} is malformed: ${error.message}`);
		}

		throw error;
	}
}

function startTeam(entry: LogEntry, pinnedFounder: string): TeamState {
	const refuse = (what: string) => new MembershipLogError(`membership log entry 0 (create): ${what}`);
	if (entry.action.type !== 'create') {
		throw refuse(`the first entry must create the team, not ${entry.action.type} a member`);
	}

	if (entry.seq !== 0 || !equalBytes(entry.previous, new Uint8Array(hashLength))) {
		throw refuse('it does not start the chain (its sequence number or previous hash is not zero)');
	}

	const {founder, teamName} = entry.action;
	const founderPrint = hex(fingerprint(founder));
	if (founderPrint !== pinnedFounder.toLowerCase()) {
		throw refuse('the founder is not the one this device trusts (their fingerprint differs from the pinned one)');
	}

	if (hex(entry.signer) !== founderPrint || !verifySignature(entry.signature, entry.body, founder.signingKey)) {
		throw refuse('the signature does not verify under the founder\'s key');
	}

	const member: Member = {...founder, role: 'admin', fingerprint: founderPrint, addedAt: 0};
	return {
		teamId: entry.teamId,
		teamName,
		founder: founderPrint,
		members: new Map([[founderPrint, member]]),
		removed: new Map(),
		generations: [],
		head: {seq: 0, hash: hex(entry.hash)},
	};
}

/** Checks one entry against the team as it stands and returns the team after it (`previous` is left as it was). */
export function applyEntry(previous: TeamState, entry: LogEntry): TeamState {
	const seq = previous.head.seq + 1;
	const refuse = (what: string) => new MembershipLogError(`membership log entry ${seq} (${describe(entry.action, previous)}): ${what}`);
	if (entry.seq !== seq) {
		throw refuse(`it claims to be entry ${entry.seq}: the log was reordered or has a gap`);
	}

	if (hex(entry.previous) !== previous.head.hash) {
		throw refuse('it does not follow the entry before it (previous hash differs): the log was reordered or spliced');
	}

	if (entry.teamId !== previous.teamId) {
		throw refuse('it belongs to another team');
	}

	const signerPrint = hex(entry.signer);
	const signer = previous.members.get(signerPrint);
	if (!signer) {
		const removed = previous.removed.get(signerPrint);
		throw refuse(removed ? `it is signed by ${removed.name}, who was removed at entry ${removed.removedAt}` : 'it is signed by someone who is not a member');
	}

	if (signer.role !== 'admin') {
		throw refuse(`it is signed by ${signer.name}, who is a ${signer.role} member, not an admin`);
	}

	if (!verifySignature(entry.signature, entry.body, signer.signingKey)) {
		throw refuse(`the signature does not verify under ${signer.name}'s key: the entry was forged or altered`);
	}

	if (entry.action.type === 'create') {
		throw refuse('a team is created only once, by its first entry');
	}

	const state = cloneState(previous);
	applyAction(state, entry.action, seq, refuse);
	state.head = {seq, hash: hex(entry.hash)};
	return state;
}

function applyAction(state: TeamState, action: Exclude<LogAction, {type: 'create'}>, seq: number, refuse: (what: string) => MembershipLogError): void {
	switch (action.type) {
		case 'add': {
			const print = hex(fingerprint(action.member));
			const removed = state.removed.get(print);
			if (removed) {
				throw refuse(`this identity was removed at entry ${removed.removedAt}; a removed member rejoins only with a new identity`);
			}

			if (state.members.has(print)) {
				throw refuse('this identity is already a member');
			}

			if ([...state.members.values()].some(member => member.name === action.member.name)) {
				throw refuse(`another member is already named ${action.member.name}`);
			}

			state.members.set(print, {...action.member, role: action.role, fingerprint: print, addedAt: seq});
			return;
		}

		case 'role': {
			const member = currentMember(state, action.member, refuse);
			if (member.role === action.role) {
				throw refuse(`${member.name} already has the role ${action.role}`);
			}

			if (member.role === 'admin') {
				assertAnotherAdmin(state, member, refuse);
			}

			state.members.set(member.fingerprint, {...member, role: action.role});
			return;
		}

		case 'remove': {
			const member = currentMember(state, action.member, refuse);
			if (member.role === 'admin') {
				assertAnotherAdmin(state, member, refuse);
			}

			state.members.delete(member.fingerprint);
			state.removed.set(member.fingerprint, {name: member.name, removedAt: seq, role: member.role});
			return;
		}

		case 'generation': {
			const expected = (state.generations.at(-1)?.generation ?? 0) + 1;
			if (action.generation !== expected) {
				throw refuse(`key generation ${action.generation} is out of order (expected ${expected})`);
			}

			state.generations.push({generation: action.generation, commitment: action.commitment, seq});
		}
	}
}

function currentMember(state: TeamState, print: Uint8Array, refuse: (what: string) => MembershipLogError): Member {
	const member = state.members.get(hex(print));
	if (!member) {
		throw refuse(state.removed.has(hex(print)) ? 'that member was already removed' : 'that identity is not a member');
	}

	return member;
}

function assertAnotherAdmin(state: TeamState, leaving: Member, refuse: (what: string) => MembershipLogError): void {
	if (![...state.members.values()].some(member => member.role === 'admin' && member.fingerprint !== leaving.fingerprint)) {
		throw refuse(`${leaving.name} is the last admin: a team always keeps one`);
	}
}

function describe(action: LogAction, state: TeamState): string {
	const name = (print: Uint8Array) => state.members.get(hex(print))?.name ?? state.removed.get(hex(print))?.name ?? 'an unknown identity';
	switch (action.type) {
		case 'create': {
			return 'create';
		}

		case 'add': {
			return `add ${action.member.name} as ${action.role}`;
		}

		case 'role': {
			return `make ${name(action.member)} ${action.role}`;
		}

		case 'remove': {
			return `remove ${name(action.member)}`;
		}

		case 'generation': {
			return `key generation ${action.generation}`;
		}
	}
}

function cloneState(state: TeamState): TeamState {
	return {...state, members: new Map(state.members), removed: new Map(state.removed), generations: [...state.generations], head: {...state.head}};
}
