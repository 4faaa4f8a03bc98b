import assert from 'node:assert/strict';
import {describe, test} from 'node:test';
import {IntegrityError} from '../source/errors.js';
import {
	fingerprint,
	fingerprintDigits,
	fingerprintHex,
	generateIdentity,
	publicPart,
	sign,
	verifySignature,
} from '../source/team/identity.js';
import {identityHeaderKey} from '../source/vault/identity-store.js';
import {Vault} from '../source/vault/vault.js';
import {LockedVault} from '../source/vault/vault.js';
import {makeHome, newVault, openRaw, passphrase} from './helpers/vault-fixtures.js';

function headerValue(home: string): string | undefined {
	const db = openRaw(home);
	try {
		return (db.prepare('SELECT value FROM header WHERE key = ?').get(identityHeaderKey) as {value: string} | undefined)?.value;
	} finally {
		db.close();
	}
}

function setHeaderValue(home: string, value: string): void {
	const db = openRaw(home);
	db.prepare('UPDATE header SET value = ? WHERE key = ?').run(value, identityHeaderKey);
	db.close();
}

async function reopen(home: string): Promise<Vault> {
	return LockedVault.open({home}).unlockWithPassphrase(passphrase);
}

describe('identity key pairs and the fingerprint', () => {
	test('the fingerprint covers both public keys, not the name; signatures verify only under the signer\'s key', () => {
		const alice = generateIdentity('alice');
		const other = generateIdentity('alice');
		assert.equal(alice.signingKey.length, 32);
		assert.equal(alice.kemKey.length, 1216);
		assert.equal(fingerprintHex(alice), fingerprintHex(publicPart({...alice, name: 'renamed'})));
		assert.notEqual(fingerprintHex({signingKey: other.signingKey, kemKey: alice.kemKey}), fingerprintHex(alice));
		assert.notEqual(fingerprintHex({signingKey: alice.signingKey, kemKey: other.kemKey}), fingerprintHex(alice));
		assert.match(fingerprintDigits(fingerprint(alice)), /^(?:\d{5} ){7}\d{5}$/);

		const message = new TextEncoder().encode('add bob');
		const signature = sign(alice, message);
		assert.equal(verifySignature(signature, message, alice.signingKey), true);
		assert.equal(verifySignature(signature, message, other.signingKey), false);
		assert.equal(verifySignature(signature, new TextEncoder().encode('add eve'), alice.signingKey), false);
		assert.equal(verifySignature(signature.subarray(1), message, alice.signingKey), false);
	});

	test('the digits: each 4-byte slice of the hash, big-endian, mod 100000, zero-padded to 5', () => {
		const bytes = new Uint8Array(32).fill(0xff);
		bytes.set([0x00, 0x01, 0x86, 0xa0], 0); // 100000 → 00000
		bytes.set([0x00, 0x01, 0x86, 0xa1], 4); // 100001 → 00001
		bytes.set([0x00, 0x00, 0x30, 0x39], 8); // 12345
		// 0xffffffff = 4294967295 → 67295
		assert.equal(fingerprintDigits(bytes), '00000 00001 12345 67295 67295 67295 67295 67295');
		assert.throws(() => fingerprintDigits(new Uint8Array(31)), /32 bytes/);
	});
});

describe('the identity sealed in the vault', () => {
	test('made on first use, the same on every later unlock, and renaming keeps the keys', async t => {
		const home = makeHome(t);
		const vault = await newVault(home, {actor: 'dana'});
		assert.equal(headerValue(home), undefined, 'no identity until something asks for one');
		const first = await vault.teamIdentity();
		assert.equal(first.created, true);
		assert.equal(first.identity.name, 'dana');
		const again = await vault.teamIdentity();
		assert.equal(again.created, false);
		assert.equal(fingerprintHex(again.identity), fingerprintHex(first.identity));
		vault.close();

		const stored = Buffer.from(headerValue(home)!, 'base64');
		for (const secret of [first.identity.signingSecret, first.identity.kemSecret]) {
			assert.equal(stored.includes(Buffer.from(secret)), false, 'the private keys are sealed, not stored as they are');
		}

		const reopened = await reopen(home);
		const loaded = await reopened.teamIdentity();
		assert.equal(loaded.created, false);
		assert.deepEqual(loaded.identity.signingSecret, first.identity.signingSecret);
		assert.deepEqual(loaded.identity.kemSecret, first.identity.kemSecret);
		// The loaded private key still signs for the stored public key.
		const message = new Uint8Array([1, 2, 3]);
		assert.equal(verifySignature(sign(loaded.identity, message), message, first.identity.signingKey), true);

		const renamed = await reopened.teamIdentity({rename: 'dana.w'});
		assert.equal(renamed.identity.name, 'dana.w');
		assert.equal(fingerprintHex(renamed.identity), fingerprintHex(first.identity));
		await assert.rejects(reopened.teamIdentity({rename: 'no spaces'}), /a user name is 1–64 characters/);
		reopened.close();
		const later = await reopen(home);
		assert.equal((await later.teamIdentity()).identity.name, 'dana.w');
		later.close();
	});

	test('it opens with whatever opens the vault: a session as well as the passphrase', async t => {
		const home = makeHome(t);
		const vault = await newVault(home);
		const made = (await vault.teamIdentity()).identity;
		const {token} = vault.createSession({expiresAt: new Date(Date.now() + 60_000)});
		vault.close();
		const locked = LockedVault.open({home});
		const bySession = locked.unlockWithSession(token);
		const loaded = await bySession.teamIdentity();
		assert.equal(loaded.created, false);
		assert.deepEqual(loaded.identity.kemSecret, made.kemSecret);
		bySession.close();
	});

	test('an altered identity, or one copied from another vault, does not open', async t => {
		const home = makeHome(t);
		const vault = await newVault(home);
		await vault.teamIdentity();
		vault.close();
		const original = headerValue(home)!;

		const flipped = Buffer.from(original, 'base64');
		flipped[flipped.length - 5]! ^= 1;
		setHeaderValue(home, flipped.toString('base64'));
		const tampered = await reopen(home);
		await assert.rejects(tampered.teamIdentity(), (error: unknown) => error instanceof IntegrityError && /team identity failed its integrity check/.test(error.message));
		tampered.close();

		const otherHome = makeHome(t);
		const other = await newVault(otherHome);
		await other.teamIdentity();
		other.close();
		setHeaderValue(home, headerValue(otherHome)!);
		const swapped = await reopen(home);
		await assert.rejects(swapped.teamIdentity(), /team identity failed its integrity check/);
		swapped.close();

		// Put back, it opens again: nothing else was harmed.
		setHeaderValue(home, original);
		const restored = await reopen(home);
		assert.equal((await restored.teamIdentity()).created, false);
		restored.close();
	});

	test('a vault whose OS user is not a valid user name gets the name "user"', async t => {
		const home = makeHome(t);
		const vault = await newVault(home, {actor: 'Jane Doe'});
		assert.equal((await vault.teamIdentity()).identity.name, 'user');
		vault.close();
	});
});
