import {InvalidInputError} from '../errors.js';
import {FieldError} from './fields.js';
import {type Identity, fingerprint, isUsableKemKey} from './identity.js';
import {type EntryDraft, type LogAction, type LogEntry, hashLength, signEntry} from './log-entry.js';
import {type TeamState, applyEntry} from './membership-log.js';

/** Writing the membership log: what an admin's client signs. */

/** The first entry of a new team, signed by its founder. */
export function createTeamEntry(founder: Identity, team: {teamId: string; teamName: string; at?: Date}): LogEntry {
	const action: LogAction = {type: 'create', teamName: team.teamName, founder: {name: founder.name, signingKey: founder.signingKey, kemKey: founder.kemKey}};
	return signed({teamId: team.teamId, seq: 0, previous: new Uint8Array(hashLength), at: (team.at ?? new Date()).toISOString(), action}, founder);
}

/**
 * The next entry after `state`, signed by `admin`. It is checked as every client will check it
 * before it is returned, so an admin's client never sends an entry the others would refuse.
 */
export function appendEntry(state: TeamState, admin: Identity, action: Exclude<LogAction, {type: 'create'}>, at = new Date()): {entry: LogEntry; state: TeamState} {
	if (action.type === 'add' && !isUsableKemKey(action.member.kemKey)) {
		throw new InvalidInputError(`${action.member.name}'s key-exchange public key is not a valid X-Wing key: not added`);
	}

	const previous = new Uint8Array(Buffer.from(state.head.hash, 'hex'));
	const entry = signed({teamId: state.teamId, seq: state.head.seq + 1, previous, at: at.toISOString(), action}, admin);
	return {entry, state: applyEntry(state, entry)};
}

/** Signs `draft`; a field out of bounds (a team name too long, say) is the caller's bad input. */
function signed(draft: EntryDraft, signer: Identity): LogEntry {
	try {
		return signEntry(draft, signer, fingerprint(signer));
	} catch (error) {
		throw error instanceof FieldError ? new InvalidInputError(`that membership change cannot be written: ${error.message}`) : error;
	}
}
