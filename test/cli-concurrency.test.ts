import assert from 'node:assert/strict';
import {test} from 'node:test';
import {openVault} from '../source/unlock/open-vault.js';
import {hush, initHome, passphrase} from './helpers/hush-cli.js';

const workers = 8;
const writesEach = 25;

test(`${workers} processes × ${writesEach} hush set at once: every write lands, intact`, async t => {
	const home = await initHome(t);
	// Odd writes all go to one shared secret, each adding its own key: a lost read-modify-write
	// anywhere would drop a key. Even writes create secrets of their own.
	const worker = async (w: number) => {
		for (let i = 0; i < writesEach; i++) {
			const args = i % 2 === 0 ? ['set', `own-${w}-${i}`, '--stdin', 'VALUE'] : ['set', 'shared', '--stdin', `K_${w}_${i}`];
			const run = await hush(args, {home, input: `value-${w}-${i}`});
			assert.equal(run.code, 0, `${args.join(' ')}: ${run.stderr}`);
		}
	};

	await Promise.all(Array.from({length: workers}, (_, w) => worker(w)));

	const vault = await openVault({home, passphrase});
	try {
		const secrets = vault.listSecrets();
		const own = secrets.filter(secret => secret.name.startsWith('own-'));
		assert.equal(own.length, workers * Math.ceil(writesEach / 2));
		for (const secret of own) {
			const [, w, i] = secret.name.split('-');
			assert.equal(vault.getSecret(secret.name).get('VALUE'), `value-${w}-${i}`);
		}

		const shared = vault.getSecret('shared');
		const expectedKeys = Array.from({length: workers}, (_, w) => Array.from({length: writesEach}, (_, i) => i).filter(i => i % 2 === 1).map(i => `K_${w}_${i}`)).flat();
		assert.deepEqual(Object.keys(shared.values).sort(), expectedKeys.sort());
		for (const key of expectedKeys) {
			const [, w, i] = key.split('_');
			assert.equal(shared.get(key), `value-${w}-${i}`);
		}

		assert.equal(own.length + expectedKeys.length, workers * writesEach, 'all 200 writes are present');
		const writes = vault.auditLog().filter(entry => entry.action === 'create' || entry.action === 'update');
		assert.equal(writes.length, workers * writesEach, 'one audit entry per write');
		assert.deepEqual(vault.verifyAuditLog(), {ok: true, entries: vault.auditLog().length});
	} finally {
		vault.close();
	}
});
