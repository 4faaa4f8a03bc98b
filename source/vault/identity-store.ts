import type {DatabaseSync} from 'node:sqlite';
import {cryptoFormatVersion, formatTag} from './aad.js';
import {open, seal} from './aead.js';
import type {VaultCore} from './core.js';
import {decodeFields, encodeFields} from './encoding.js';
import {IntegrityError} from '../errors.js';
import type {Identity} from '../team/identity.js';

/**
 * The owner's team identity, kept as one sealed value in the `header` table (no schema change):
 *   key   'team_identity'
 *   value base64(nonce ‖ AES-256-GCM-SIV(k, fields(version, name, createdAt, Ed25519 secret and
 *         public key, X-Wing secret and public key)))
 *   k     HKDF(root key, vault id, 'hush/v1/team-identity'); AAD = format tag, version,
 *         'team-identity', vault id
 * So it opens with whatever opens the vault (passphrase, keychain, session), and a value copied
 * from another vault, or altered, fails to open.
 *
 * A vault made before identities has no such value. It gets one the first time something asks
 * ({@link loadOrCreateIdentity}: `hush whoami`, the team commands), not at every unlock: key
 * generation and loading the lattice code cost tens of milliseconds, which `hush get` never pays.
 */

export const identityHeaderKey = 'team_identity';

const version = '1';

export type LoadedIdentity = {identity: Identity; created: boolean};

/**
 * The identity, made and sealed now if the vault has none (named after the acting user, the OS
 * user by default), and renamed to `rename` if given.
 */
export async function teamIdentity(core: VaultCore, options: {rename?: string} = {}): Promise<LoadedIdentity> {
	const team = await import('../team/identity.js');
	if (options.rename !== undefined) {
		team.assertValidUserName(options.rename);
	}

	const existing = core.guard(() => readIdentity(core));
	if (existing) {
		return {identity: options.rename === undefined || options.rename === existing.name ? existing : rename(core, options.rename), created: false};
	}

	const fresh = team.generateIdentity(options.rename ?? team.defaultUserName(core.actor));
	return core.write(() => {
		// Another process may have made one while this one generated: the first one stays.
		const raced = readIdentity(core);
		if (raced) {
			return {identity: raced, created: false};
		}

		writeIdentity(core, fresh);
		return {identity: fresh, created: true};
	});
}

/** Renames the identity; the keys, and so the fingerprint, stay. */
function rename(core: VaultCore, name: string): Identity {
	return core.write(() => {
		const identity = readIdentity(core)!;
		identity.name = name;
		writeIdentity(core, identity);
		return identity;
	});
}

export function hasIdentity(db: DatabaseSync): boolean {
	return db.prepare('SELECT 1 FROM header WHERE key = ?').get(identityHeaderKey) !== undefined;
}

function sealingKey(core: VaultCore): Uint8Array {
	return core.deriveKey('team-identity');
}

function aad(core: VaultCore): Uint8Array {
	return encodeFields([formatTag, cryptoFormatVersion, 'team-identity', core.id]);
}

/** The identity's name, for `createdBy`/`updatedBy` in a team (its secret keys are wiped at once). */
export function identityName(core: VaultCore): string | undefined {
	const identity = readIdentity(core);
	if (!identity) {
		return undefined;
	}

	for (const secret of [identity.signingSecret, identity.kemSecret]) {
		secret.fill(0);
	}

	return identity.name;
}

function readIdentity(core: VaultCore): Identity | undefined {
	const stored = (core.db.prepare('SELECT value FROM header WHERE key = ?').get(identityHeaderKey) as {value: string} | undefined)?.value;
	if (stored === undefined) {
		return undefined;
	}

	const bytes = new Uint8Array(Buffer.from(stored, 'base64'));
	const key = sealingKey(core);
	let plain: Uint8Array;
	try {
		plain = open(key, bytes.subarray(0, 12), bytes.subarray(12), aad(core));
	} catch {
		throw new IntegrityError('the vault\'s team identity failed its integrity check: the vault file was altered');
	} finally {
		key.fill(0);
	}

	const fields = decodeFields(plain);
	plain.fill(0);
	if (fields.length !== 7 || fields[0]!.toString('utf8') !== version) {
		throw new IntegrityError('the vault\'s team identity is in an unknown format: it was written by a newer hush');
	}

	const [, name, createdAt, signingSecret, signingKey, kemSecret, kemKey] = fields.map(field => new Uint8Array(field));
	return {
		name: Buffer.from(name!).toString('utf8'),
		createdAt: Buffer.from(createdAt!).toString('utf8'),
		signingSecret: signingSecret!,
		signingKey: signingKey!,
		kemSecret: kemSecret!,
		kemKey: kemKey!,
	};
}

function writeIdentity(core: VaultCore, identity: Identity): void {
	const plain = encodeFields([version, identity.name, identity.createdAt, identity.signingSecret, identity.signingKey, identity.kemSecret, identity.kemKey]);
	const key = sealingKey(core);
	try {
		const {nonce, ciphertext} = seal(key, plain, aad(core));
		const value = Buffer.concat([nonce, ciphertext]).toString('base64');
		core.db.prepare('INSERT INTO header (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value').run(identityHeaderKey, value);
	} finally {
		key.fill(0);
		plain.fill(0);
	}
}
