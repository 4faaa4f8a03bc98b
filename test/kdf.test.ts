/**
 * argon2id parameters: hard floors and ceilings, checked before anything is derived, and
 * authenticated as part of the passphrase key slot.
 */
import {existsSync} from 'node:fs';
import {join} from 'node:path';
import {describe, test} from 'node:test';
import assert from 'node:assert/strict';
import {IntegrityError, InvalidInputError, KdfParametersError, WrongPassphraseError} from '../source/errors.js';
import {
	type DeriveFunction,
	type KdfParams,
	assertKdfParamsAllowed,
	defaultKdfParams,
	deriveArgon2id,
	kdfCeiling,
	kdfFloor,
	serializeKdfParams,
} from '../source/vault/kdf.js';
import {LockedVault, Vault} from '../source/vault/vault.js';
import {fastKdf, makeHome, newVault, openRaw, passphrase} from './helpers/vault-fixtures.js';

const floorParams: KdfParams = {algorithm: 'argon2id', ...kdfFloor};
const ceilingParams: KdfParams = {algorithm: 'argon2id', ...kdfCeiling};

describe('assertKdfParamsAllowed', () => {
	test('accepts the floor, the ceiling and the default', () => {
		assert.doesNotThrow(() => assertKdfParamsAllowed(floorParams));
		assert.doesNotThrow(() => assertKdfParamsAllowed(ceilingParams));
		assert.doesNotThrow(() => assertKdfParamsAllowed(defaultKdfParams));
	});

	test('the floor is at least OWASP\'s argon2id minimum (19 MiB, t=2, p=1)', () => {
		assert.ok(kdfFloor.memory >= 19 * 1024);
		assert.ok(kdfFloor.passes >= 2);
		assert.ok(kdfFloor.parallelism >= 1);
		assert.deepEqual({...fastKdf}, {...kdfFloor}, 'the test fixture uses exactly the floor');
	});

	test('refuses each parameter one below its floor', () => {
		for (const name of ['memory', 'passes', 'parallelism'] as const) {
			const params = {...floorParams, [name]: kdfFloor[name] - 1};
			assert.throws(() => assertKdfParamsAllowed(params), KdfParametersError, name);
		}
	});

	test('refuses each parameter one above its ceiling, and absurd values', () => {
		for (const name of ['memory', 'passes', 'parallelism'] as const) {
			for (const value of [kdfCeiling[name] + 1, 2 ** 32, Number.MAX_SAFE_INTEGER, Number.POSITIVE_INFINITY]) {
				const params = {...floorParams, [name]: value};
				assert.throws(() => assertKdfParamsAllowed(params), KdfParametersError, `${name}=${value}`);
			}
		}
	});

	test('refuses non-integers, strings, NaN, negatives, and missing fields', () => {
		for (const name of ['memory', 'passes', 'parallelism'] as const) {
			for (const value of [kdfFloor[name] + 0.5, String(kdfFloor[name]), Number.NaN, -kdfFloor[name], null, undefined, [kdfFloor[name]]]) {
				const params = {...floorParams, [name]: value};
				assert.throws(() => assertKdfParamsAllowed(params), KdfParametersError, `${name}=${String(value)}`);
			}
		}
	});

	test('refuses any algorithm but argon2id', () => {
		for (const algorithm of ['argon2i', 'argon2d', 'Argon2id', 'scrypt', 'pbkdf2', '', undefined]) {
			assert.throws(() => assertKdfParamsAllowed({...floorParams, algorithm}), KdfParametersError, String(algorithm));
		}
	});

	test('refuses a missing or non-object parameter set', () => {
		for (const params of [null, undefined, 'argon2id', 19_456, true]) {
			assert.throws(() => assertKdfParamsAllowed(params), KdfParametersError, String(params));
		}
	});

	test('a KDF refusal is an integrity failure', () => {
		assert.ok(new KdfParametersError('x') instanceof IntegrityError);
	});
});

describe('deriveArgon2id', () => {
	const salt = new Uint8Array(16).fill(7);

	test('is deterministic, 32 bytes, and depends on passphrase, salt and every parameter', async () => {
		const base = Buffer.from(await deriveArgon2id(passphrase, salt, floorParams)).toString('hex');
		assert.equal(base.length, 64);
		assert.equal(Buffer.from(await deriveArgon2id(passphrase, salt, floorParams)).toString('hex'), base);
		const variants = [
			await deriveArgon2id(`${passphrase}!`, salt, floorParams),
			await deriveArgon2id(passphrase, new Uint8Array(16).fill(8), floorParams),
			await deriveArgon2id(passphrase, salt, {...floorParams, memory: floorParams.memory + 1024}),
			await deriveArgon2id(passphrase, salt, {...floorParams, passes: floorParams.passes + 1}),
			await deriveArgon2id(passphrase, salt, {...floorParams, parallelism: floorParams.parallelism + 1}),
		].map(key => Buffer.from(key).toString('hex'));
		assert.equal(new Set([base, ...variants]).size, 6);
	});

	test('normalises the passphrase to NFC: composed and decomposed accents unlock alike', async () => {
		const composed = await deriveArgon2id('caf\u00e9 au lait', salt, floorParams);
		const decomposed = await deriveArgon2id('cafe\u0301 au lait', salt, floorParams);
		assert.deepEqual(composed, decomposed);
	});

	test('refuses out-of-range parameters itself (defence in depth)', async () => {
		await assert.rejects(deriveArgon2id(passphrase, salt, {...floorParams, memory: 8}), KdfParametersError);
		await assert.rejects(deriveArgon2id(passphrase, salt, {...floorParams, memory: 2 ** 31}), KdfParametersError);
	});
});

/** A derive function that records its calls and otherwise does the real work. */
function spyDerive(): {derive: DeriveFunction; calls: Array<{salt: Uint8Array; params: KdfParams}>} {
	const calls: Array<{salt: Uint8Array; params: KdfParams}> = [];
	return {
		calls,
		async derive(pass, salt, params) {
			calls.push({salt: new Uint8Array(salt), params: {...params}});
			return deriveArgon2id(pass, salt, params);
		},
	};
}

async function vaultWithSecret(t: Parameters<typeof makeHome>[0]): Promise<string> {
	const home = makeHome(t);
	const vault = await newVault(home);
	vault.createSecret('kept', {TOKEN: 'still-here'});
	vault.close();
	return home;
}

function setSlotKdf(home: string, kdf: string | null): void {
	const db = openRaw(home);
	try {
		const changes = db.prepare('UPDATE keyslots SET kdf = ? WHERE slot = 1').run(kdf).changes;
		assert.equal(Number(changes), 1, 'test setup: slot 1 exists');
	} finally {
		db.close();
	}
}

function readSlotKdf(home: string): string {
	const db = openRaw(home);
	try {
		return (db.prepare('SELECT kdf FROM keyslots WHERE slot = 1').get() as {kdf: string}).kdf;
	} finally {
		db.close();
	}
}

async function unlockWith(home: string, pass: string, derive?: DeriveFunction): Promise<Vault> {
	const locked = LockedVault.open({home});
	try {
		return await locked.unlockWithPassphrase(pass, derive ? {derive} : {});
	} catch (error) {
		locked.close();
		throw error;
	}
}

describe('the vault checks its stored KDF parameters before deriving', () => {
	test('the slot stores the parameters it was created with, and unlock derives with exactly those', async t => {
		const home = await vaultWithSecret(t);
		assert.equal(readSlotKdf(home), serializeKdfParams(floorParams));
		const spy = spyDerive();
		const vault = await unlockWith(home, passphrase, spy.derive);
		try {
			assert.equal(spy.calls.length, 1, 'the spy sees real unlocks, so "never called" below means something');
			assert.deepEqual(spy.calls[0]!.params, floorParams);
			assert.equal(spy.calls[0]!.salt.length, 16);
			assert.equal(vault.getSecret('kept').get('TOKEN'), 'still-here');
		} finally {
			vault.close();
		}
	});

	const refused: Array<[string, string | null]> = [
		['memory below the floor', JSON.stringify({algorithm: 'argon2id', memory: 1024, passes: 2, parallelism: 1})],
		['memory one KiB below the floor', JSON.stringify({algorithm: 'argon2id', memory: kdfFloor.memory - 1, passes: 2, parallelism: 1})],
		['a memory bomb (1 TiB) above the ceiling', JSON.stringify({algorithm: 'argon2id', memory: 2 ** 30, passes: 2, parallelism: 1})],
		['passes below the floor', JSON.stringify({algorithm: 'argon2id', memory: kdfFloor.memory, passes: 1, parallelism: 1})],
		['passes above the ceiling', JSON.stringify({algorithm: 'argon2id', memory: kdfFloor.memory, passes: 10_000, parallelism: 1})],
		['parallelism above the ceiling', JSON.stringify({algorithm: 'argon2id', memory: kdfFloor.memory, passes: 2, parallelism: 255})],
		['a fractional memory size', JSON.stringify({algorithm: 'argon2id', memory: kdfFloor.memory + 0.5, passes: 2, parallelism: 1})],
		['another algorithm', JSON.stringify({algorithm: 'argon2i', memory: kdfFloor.memory, passes: 2, parallelism: 1})],
		['no parameters at all', null],
	];

	for (const [label, kdf] of refused) {
		test(`${label}: KdfParametersError, and nothing is derived`, async t => {
			const home = await vaultWithSecret(t);
			setSlotKdf(home, kdf);
			const spy = spyDerive();
			await assert.rejects(unlockWith(home, passphrase, spy.derive), KdfParametersError);
			assert.equal(spy.calls.length, 0, 'derive must not be called with refused parameters');
		});
	}

	test('unparseable parameters: IntegrityError, and nothing is derived', async t => {
		const home = await vaultWithSecret(t);
		setSlotKdf(home, '{"algorithm":"argon2id",');
		const spy = spyDerive();
		await assert.rejects(unlockWith(home, passphrase, spy.derive), IntegrityError);
		assert.equal(spy.calls.length, 0);
	});

	test('an in-range edit (passes 2 → 3) fails to unlock', async t => {
		const home = await vaultWithSecret(t);
		setSlotKdf(home, serializeKdfParams({...floorParams, passes: 3}));
		await assert.rejects(unlockWith(home, passphrase), WrongPassphraseError);
	});

	test('the AAD covers the parameters: an in-range edit fails even when the derived key is the original one', async t => {
		const home = await vaultWithSecret(t);
		setSlotKdf(home, serializeKdfParams({...floorParams, passes: 3}));
		// Derive with the original parameters whatever the file says: the key encryption key is right,
		// so only the authenticated parameters can make the unwrap fail.
		const original: DeriveFunction = async (pass, salt) => deriveArgon2id(pass, salt, floorParams);
		await assert.rejects(unlockWith(home, passphrase, original), IntegrityError);
	});

	test('the AAD covers the exact parameter text: the same values re-ordered fail to unlock', async t => {
		const home = await vaultWithSecret(t);
		setSlotKdf(home, JSON.stringify({parallelism: 1, passes: 2, memory: kdfFloor.memory, algorithm: 'argon2id'}));
		await assert.rejects(unlockWith(home, passphrase), WrongPassphraseError);
	});

	test('restoring the original parameters restores access', async t => {
		const home = await vaultWithSecret(t);
		const original = readSlotKdf(home);
		setSlotKdf(home, serializeKdfParams({...floorParams, passes: 3}));
		await assert.rejects(unlockWith(home, passphrase), WrongPassphraseError);
		setSlotKdf(home, original);
		const vault = await unlockWith(home, passphrase);
		assert.equal(vault.getSecret('kept').get('TOKEN'), 'still-here');
		vault.close();
	});
});

describe('passphrases', () => {
	test('a wrong passphrase is WrongPassphraseError; the right one still works afterwards', async t => {
		const home = await vaultWithSecret(t);
		for (const wrong of ['correct horse battery ', 'Correct horse battery', 'correct horse batter', '']) {
			await assert.rejects(unlockWith(home, wrong), WrongPassphraseError, JSON.stringify(wrong));
		}

		const vault = await unlockWith(home, passphrase);
		assert.equal(vault.getSecret('kept').get('TOKEN'), 'still-here');
		vault.close();
	});

	test('the wrong-passphrase message is one line and names the next step', async t => {
		const home = await vaultWithSecret(t);
		const error = await unlockWith(home, 'not the passphrase').then(
			() => assert.fail('unlocked with a wrong passphrase'),
			(error: unknown) => error,
		);
		assert.ok(error instanceof WrongPassphraseError);
		assert.doesNotMatch(error.message, /\n/);
		assert.match(error.message, /passphrase/);
	});

	test('init refuses parameters below the floor before creating anything', async t => {
		const home = join(makeHome(t), 'vault-home');
		const spy = spyDerive();
		await assert.rejects(Vault.init({home, passphrase, kdf: {memory: 1024}, derive: spy.derive}), KdfParametersError);
		await assert.rejects(Vault.init({home, passphrase, kdf: {passes: 1}, derive: spy.derive}), KdfParametersError);
		assert.equal(spy.calls.length, 0);
		assert.equal(existsSync(join(home, 'vault.db')), false);
	});

	test('init refuses a passphrase shorter than 8 characters', async t => {
		const home = makeHome(t);
		await assert.rejects(Vault.init({home, passphrase: 'short', kdf: fastKdf}), InvalidInputError);
		assert.equal(existsSync(join(home, 'vault.db')), false);
	});

	test('changePassphrase refuses parameters below the floor and leaves the old passphrase working', async t => {
		const home = await vaultWithSecret(t);
		const vault = await unlockWith(home, passphrase);
		await assert.rejects(vault.changePassphrase('a brand new passphrase', {kdf: {memory: 1024}}), KdfParametersError);
		vault.close();
		const again = await unlockWith(home, passphrase);
		again.close();
	});
});
