import {cryptoFormatVersion, formatTag} from './aad.js';
import {open, seal} from './aead.js';
import {encodeFields} from './encoding.js';
import {IntegrityError} from '../errors.js';
import type {SyncStore} from './sync-store.js';

/**
 * What this device has pinned about its team: the team, the founder's fingerprint, the last log
 * head it verified, its own role there and its own key wraps. Kept beside the remote in the sync
 * settings table (the remote's team is a fact about the remote), as one value sealed with
 * AES-256-GCM-SIV under HKDF(root key, vault id, 'hush/v1/team-pin'), AAD naming the vault: the
 * pin opens with whatever opens the vault, and a pin altered or copied from another vault is
 * refused rather than trusted. Removing the remote leaves the pin: a new server must serve the
 * same team, or every team command refuses it.
 *
 * `pending` holds the entries `hush team init` signed but the server has not yet confirmed; the
 * generation keys' wrap is stored before they are sent, so an interrupted init loses no key.
 */

export type TeamRole = 'admin' | 'write' | 'read' | 'list';

export type TeamInvite = {user: string; role: TeamRole; secret: string; expiresAt: string};

export type TeamPin = {
	teamId: string;
	teamName: string;
	/** The founder's fingerprint (hex): the root of trust the log is verified from. */
	founder: string;
	/** The last head this device verified (or, while `pending`, the head its pending entries reach). */
	head: {seq: number; hash: string};
	/** This identity's role at `head`; null once removed. */
	role: TeamRole | null;
	/** This identity's key wraps (base64 of team/wrap-encoding.ts), by generation. */
	wraps: Array<{generation: number; wrap: string}>;
	/**
	 * Invites this admin's client made and has not yet approved: the invite secret (base64) is kept
	 * here, sealed, because only it checks the joiner's MAC. Absent in pins written before invites.
	 */
	invites?: TeamInvite[];
	/** Wraps of a new generation this admin still has to publish (team/owed-wraps.ts). */
	owedWraps?: {generation: number; members: string[]};
	/** Entries signed here and not yet confirmed by the server (base64), oldest first. */
	pending: string[] | null;
	verifiedAt: string;
};

const settingKey = 'team_pin';
const version = 1;

function aad(vaultId: string): Uint8Array {
	return encodeFields([formatTag, cryptoFormatVersion, 'team-pin', vaultId]);
}

/** The pin, or undefined when this vault is in no team. Run inside the store's read or write. */
export function readTeamPin(store: SyncStore): TeamPin | undefined {
	const row = store.sealedSetting(settingKey);
	if (!row) {
		return undefined;
	}

	const key = store.deriveKey('team-pin');
	let parsed: {version?: unknown; pin?: TeamPin | null};
	try {
		const plain = open(key, row.nonce, row.ciphertext, aad(store.vaultId));
		parsed = JSON.parse(Buffer.from(plain).toString('utf8')) as typeof parsed;
	} catch {
		throw new IntegrityError('the vault\'s team pin failed its integrity check: the vault file was altered');
	} finally {
		key.fill(0);
	}

	if (parsed.version !== version || parsed.pin === undefined) {
		throw new IntegrityError('the vault\'s team pin is in an unknown format: it was written by a newer hush');
	}

	return parsed.pin ?? undefined;
}

/** Seals and stores `pin` (null: in no team any more). Run inside the store's write. */
export function writeTeamPin(store: SyncStore, pin: TeamPin | null): void {
	const key = store.deriveKey('team-pin');
	try {
		store.setSealedSetting(settingKey, seal(key, Buffer.from(JSON.stringify({version, pin}), 'utf8'), aad(store.vaultId)));
	} finally {
		key.fill(0);
	}
}

/** Forgets a team init the server never took (the sync settings table has no delete of its own). */
export function clearTeamPin(store: SyncStore): void {
	writeTeamPin(store, null);
}
