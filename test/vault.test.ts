/**
 * The vault SDK: CRUD, DESIGN.md's naming and visibility rules, upsert/update/remove semantics,
 * write-only secrets, timestamps, wiping, typed errors, passphrase change and the audit chain.
 */
import {existsSync, readdirSync} from 'node:fs';
import {describe, test, type TestContext} from 'node:test';
import assert from 'node:assert/strict';
import type {AuditVerification} from '../source/vault/audit.js';
import {
	ExitCode,
	InvalidInputError,
	KeyNotFoundError,
	SecretExistsError,
	SecretNotFoundError,
	VaultExistsError,
	VaultLockedError,
	VaultNotFoundError,
	WriteOnlyError,
	WrongPassphraseError,
} from '../source/errors.js';
import {maxValueBytes} from '../source/vault/model.js';
import {LockedVault, type Vault} from '../source/vault/vault.js';
import {openVault} from '../source/unlock/open-vault.js';
import {fastKdf, isAllZero, makeHome, newVault, openRaw, passphrase} from './helpers/vault-fixtures.js';

const actor = 'alice';

async function setup(t: TestContext): Promise<{home: string; vault: Vault}> {
	const home = makeHome(t);
	const vault = await newVault(home, {actor, command: 'test'});
	t.after(() => {
		vault.close();
	});
	return {home, vault};
}

/** Freezes `Date` at a known instant; `tick` moves it on. No real waiting anywhere. */
function fakeClock(t: TestContext, start = '2030-01-01T00:00:00.000Z'): {tick(ms?: number): string} {
	t.mock.timers.enable({apis: ['Date'], now: Date.parse(start)});
	return {
		tick(ms = 1000) {
			t.mock.timers.tick(ms);
			return new Date().toISOString();
		},
	};
}

// ---- create, read, list -------------------------------------------------------------------------

describe('create, read and list', () => {
	test('createSecret returns a summary with the documented defaults and no values', async t => {
		fakeClock(t);
		const {vault} = await setup(t);
		const summary = vault.createSecret('openai-creds', {OPENAI_API_KEY: 'sk-123', ORG_ID: 'org-9'});
		assert.match(summary.id, /^[0-9a-f-]{36}$/);
		assert.deepEqual({...summary, id: 'x'}, {
			id: 'x',
			name: 'openai-creds',
			private: false,
			type: 'generic',
			description: '',
			integration: '',
			writeOnly: false,
			keys: ['OPENAI_API_KEY', 'ORG_ID'],
			createdAt: '2030-01-01T00:00:00.000Z',
			createdBy: actor,
			createdByAgent: false,
			updatedAt: '2030-01-01T00:00:00.000Z',
			lastUsedAt: null,
			expiresAt: null,
		});
		assert.equal('values' in summary, false);
		assert.deepEqual(vault.describeSecret('openai-creds'), summary);
	});

	test('metadata given at creation is stored', async t => {
		const {vault} = await setup(t);
		vault.createSecret('gh', {GITHUB_TOKEN: 'ghp_x'}, {
			type: 'token',
			description: 'CI token',
			integration: 'github',
			expiresAt: '2031-05-01T00:00:00.000Z',
			private: true,
		});
		const summary = vault.describeSecret('gh');
		assert.equal(summary.type, 'token');
		assert.equal(summary.description, 'CI token');
		assert.equal(summary.integration, 'github');
		assert.equal(summary.expiresAt, '2031-05-01T00:00:00.000Z');
		assert.equal(summary.private, true);
	});

	test('getSecret returns the values, frozen, with get() refusing unknown keys', async t => {
		const {vault} = await setup(t);
		vault.createSecret('db', {USER: 'admin', PASSWORD: 'pä$$ wörd\nline two'});
		const secret = vault.getSecret('db');
		assert.deepEqual({...secret.values}, {USER: 'admin', PASSWORD: 'pä$$ wörd\nline two'});
		assert.equal(secret.get('PASSWORD'), 'pä$$ wörd\nline two');
		assert.equal(secret.name, 'db');
		assert.ok(Object.isFrozen(secret.values));
		assert.throws(() => secret.get('NOPE'), KeyNotFoundError);
	});

	test('key names keep their exact case: API_KEY and api_key are two keys', async t => {
		const {vault} = await setup(t);
		vault.createSecret('mixed', {API_KEY: 'upper', api_key: 'lower', Api_Key: 'title'});
		const secret = vault.getSecret('mixed');
		assert.equal(secret.get('API_KEY'), 'upper');
		assert.equal(secret.get('api_key'), 'lower');
		assert.equal(secret.get('Api_Key'), 'title');
		assert.deepEqual([...vault.describeSecret('mixed').keys].sort(), ['API_KEY', 'Api_Key', 'api_key']);
	});

	test('a value of exactly 64 KiB round-trips byte for byte', async t => {
		const {vault} = await setup(t);
		const header = '-----BEGIN CERTIFICATE-----\n';
		const footer = '\n-----END CERTIFICATE-----';
		const certificate = header + 'A'.repeat(maxValueBytes - header.length - footer.length) + footer;
		assert.equal(Buffer.byteLength(certificate), maxValueBytes);
		vault.createSecret('cert', {PEM: certificate}, {type: 'certificate'});
		assert.equal(vault.getSecret('cert').get('PEM'), certificate);
	});

	test('listSecrets returns every live secret as a summary, without values', async t => {
		const {vault} = await setup(t);
		vault.createSecret('b', {K: '1'});
		vault.createSecret('a', {K: '2'});
		vault.createSecret('c', {K: '3'}, {private: true});
		const list = vault.listSecrets();
		assert.deepEqual(
			list.map(summary => summary.name),
			['a', 'b', 'c'],
		);
		for (const summary of list) {
			assert.equal('values' in summary, false);
			assert.deepEqual(summary.keys, ['K']);
		}
	});

	test('lookup by id works for describe, get, update, rename and delete', async t => {
		const {vault} = await setup(t);
		const {id} = vault.createSecret('by-id', {K: 'v1'}, {private: true});
		assert.equal(vault.describeSecret(id).name, 'by-id');
		assert.equal(vault.getSecret(id).get('K'), 'v1');
		assert.equal(vault.describeSecret(id, {private: true}).name, 'by-id');
		assert.throws(() => vault.describeSecret(id, {private: false}), SecretNotFoundError, 'an explicit visibility must match');
		vault.updateSecret(id, {values: {K: 'v2'}});
		assert.equal(vault.getSecret('by-id').get('K'), 'v2');
		assert.equal(vault.renameSecret(id, 'renamed').id, id);
		assert.equal(vault.deleteSecret(id).name, 'renamed');
		assert.throws(() => vault.describeSecret(id), SecretNotFoundError);
	});

	test('delete removes the secret from list and lookups, and frees the name', async t => {
		const {vault} = await setup(t);
		const first = vault.createSecret('gone', {K: 'old'});
		vault.createSecret('stays', {K: 'x'});
		const deleted = vault.deleteSecret('gone');
		assert.equal(deleted.id, first.id);
		assert.deepEqual(deleted.keys, ['K']);
		assert.deepEqual(
			vault.listSecrets().map(summary => summary.name),
			['stays'],
		);
		assert.throws(() => vault.describeSecret('gone'), SecretNotFoundError);
		assert.throws(() => vault.getSecret(first.id), SecretNotFoundError);
		assert.throws(() => vault.deleteSecret('gone'), SecretNotFoundError);
		const second = vault.createSecret('gone', {K: 'new'});
		assert.notEqual(second.id, first.id);
		assert.equal(vault.getSecret('gone').get('K'), 'new');
	});

	test('rename keeps id and values; the old name stops resolving', async t => {
		const {vault} = await setup(t);
		const original = vault.createSecret('old-name', {K: 'v'});
		const renamed = vault.renameSecret('old-name', 'new-name');
		assert.equal(renamed.id, original.id);
		assert.equal(renamed.name, 'new-name');
		assert.equal(vault.getSecret('new-name').get('K'), 'v');
		assert.throws(() => vault.describeSecret('old-name'), SecretNotFoundError);
		assert.deepEqual(
			vault.listSecrets().map(summary => summary.name),
			['new-name'],
		);
	});

	test('rename refuses a taken name in the same namespace, the same name, and an invalid name', async t => {
		const {vault} = await setup(t);
		vault.createSecret('one', {K: '1'});
		vault.createSecret('two', {K: '2'});
		vault.createSecret('three', {K: '3'}, {private: true});
		assert.throws(() => vault.renameSecret('one', 'two'), SecretExistsError);
		assert.throws(() => vault.renameSecret('one', 'one'), InvalidInputError);
		assert.throws(() => vault.renameSecret('one', 'bad name'), InvalidInputError);
		// A public secret may take a name only a private secret uses.
		vault.renameSecret('one', 'three', {private: false});
		assert.equal(vault.describeSecret('three', {private: false}).id, vault.getSecret('three', {private: false}).id);
		assert.equal(vault.getSecret('three', {private: false}).get('K'), '1');
		assert.equal(vault.getSecret('three', {private: true}).get('K'), '3');
		assert.equal(vault.getSecret('two').get('K'), '2');
	});
});

// ---- names and visibility -----------------------------------------------------------------------

describe('names are unique per visibility; lookups go private first', () => {
	test('a private and a public secret may share a name', async t => {
		const {vault} = await setup(t);
		const pub = vault.createSecret('db', {URL: 'public-url'});
		const priv = vault.createSecret('db', {URL: 'private-url'}, {private: true});
		assert.notEqual(pub.id, priv.id);
		assert.equal(pub.private, false);
		assert.equal(priv.private, true);
		const list = vault.listSecrets();
		assert.deepEqual(
			list.map(summary => [summary.name, summary.private]),
			[['db', true], ['db', false]],
		);
	});

	test('createSecret fails on an existing name in the same namespace', async t => {
		const {vault} = await setup(t);
		vault.createSecret('db', {URL: 'a'});
		vault.createSecret('db', {URL: 'b'}, {private: true});
		assert.throws(() => vault.createSecret('db', {URL: 'c'}), SecretExistsError);
		assert.throws(() => vault.createSecret('db', {URL: 'c'}, {private: false}), SecretExistsError);
		assert.throws(() => vault.createSecret('db', {URL: 'c'}, {private: true}), SecretExistsError);
		assert.equal(vault.listSecrets().length, 2);
		assert.equal(vault.getSecret('db', {private: false}).get('URL'), 'a');
		assert.equal(vault.getSecret('db', {private: true}).get('URL'), 'b');
	});

	test('a name resolves private first; {private} picks one explicitly', async t => {
		const {vault} = await setup(t);
		vault.createSecret('db', {URL: 'public-url'});
		vault.createSecret('db', {URL: 'private-url'}, {private: true});
		assert.equal(vault.describeSecret('db').private, true);
		assert.equal(vault.getSecret('db').get('URL'), 'private-url');
		assert.equal(vault.getSecret('db', {private: true}).get('URL'), 'private-url');
		assert.equal(vault.getSecret('db', {private: false}).get('URL'), 'public-url');
		assert.equal(vault.describeSecret('db', {private: false}).private, false);
	});

	test('with only a public secret, the default lookup finds it and a private lookup does not', async t => {
		const {vault} = await setup(t);
		vault.createSecret('api', {K: 'v'});
		assert.equal(vault.describeSecret('api').private, false);
		assert.throws(() => vault.describeSecret('api', {private: true}), SecretNotFoundError);
		assert.throws(() => vault.getSecret('api', {private: true}), SecretNotFoundError);
		vault.createSecret('only-private', {K: 'v'}, {private: true});
		assert.throws(() => vault.describeSecret('only-private', {private: false}), SecretNotFoundError);
	});

	test('deleting the private secret of a shared name leaves the public one resolving', async t => {
		const {vault} = await setup(t);
		vault.createSecret('db', {URL: 'public-url'});
		vault.createSecret('db', {URL: 'private-url'}, {private: true});
		assert.equal(vault.deleteSecret('db').private, true);
		assert.equal(vault.getSecret('db').get('URL'), 'public-url');
	});

	test('update, rename and delete act on the private secret by default', async t => {
		const {vault} = await setup(t);
		vault.createSecret('db', {URL: 'public-url'});
		vault.createSecret('db', {URL: 'private-url'}, {private: true});
		vault.updateSecret('db', {values: {URL: 'private-2'}});
		assert.equal(vault.getSecret('db', {private: true}).get('URL'), 'private-2');
		assert.equal(vault.getSecret('db', {private: false}).get('URL'), 'public-url');
		vault.updateSecret('db', {values: {URL: 'public-2'}}, {private: false});
		assert.equal(vault.getSecret('db', {private: false}).get('URL'), 'public-2');
		assert.equal(vault.renameSecret('db', 'db-private').private, true);
		assert.equal(vault.getSecret('db').get('URL'), 'public-2');
	});
});

describe('setSecret (upsert)', () => {
	test('creates with the given visibility when the name is absent', async t => {
		const {vault} = await setup(t);
		const pub = vault.setSecret('new-pub', {K: '1'});
		assert.equal(pub.created, true);
		assert.equal(pub.secret.private, false);
		const priv = vault.setSecret('new-priv', {K: '2'}, {private: true, type: 'token'});
		assert.equal(priv.created, true);
		assert.equal(priv.secret.private, true);
		assert.equal(priv.secret.type, 'token');
		assert.equal(vault.describeSecret('new-priv', {private: true}).type, 'token');
	});

	test('updates the given keys of an existing secret, keeps the rest, and leaves visibility alone', async t => {
		const {vault} = await setup(t);
		const original = vault.createSecret('svc', {A: '1', B: '2'});
		const result = vault.setSecret('svc', {B: '20', C: '30'});
		assert.equal(result.created, false);
		assert.equal(result.secret.id, original.id);
		assert.equal(result.secret.private, false);
		assert.deepEqual({...vault.getSecret('svc').values}, {A: '1', B: '20', C: '30'});
		assert.equal(vault.listSecrets().length, 1);
	});

	test('an existing private secret stays private', async t => {
		const {vault} = await setup(t);
		vault.createSecret('svc', {A: '1'}, {private: true});
		const result = vault.setSecret('svc', {A: '2'});
		assert.equal(result.created, false);
		assert.equal(result.secret.private, true);
		assert.deepEqual(
			vault.listSecrets().map(summary => summary.private),
			[true],
		);
	});

	test('with both visibilities present, the private one is updated and the public one untouched', async t => {
		const {vault} = await setup(t);
		vault.createSecret('svc', {A: 'public'});
		vault.createSecret('svc', {A: 'private'}, {private: true});
		const result = vault.setSecret('svc', {A: 'changed'});
		assert.equal(result.secret.private, true);
		assert.equal(vault.getSecret('svc', {private: true}).get('A'), 'changed');
		assert.equal(vault.getSecret('svc', {private: false}).get('A'), 'public');
		vault.setSecret('svc', {A: 'public-changed'}, {private: false});
		assert.equal(vault.getSecret('svc', {private: false}).get('A'), 'public-changed');
		assert.equal(vault.getSecret('svc', {private: true}).get('A'), 'changed');
	});

	test('metadata given to an upsert of an existing secret is applied', async t => {
		const {vault} = await setup(t);
		vault.createSecret('svc', {A: '1'});
		vault.setSecret('svc', {A: '1'}, {description: 'now described', integration: 'stripe'});
		const summary = vault.describeSecret('svc');
		assert.equal(summary.description, 'now described');
		assert.equal(summary.integration, 'stripe');
	});
});

// ---- update -------------------------------------------------------------------------------------

describe('updateSecret', () => {
	test('fails when the secret does not exist', async t => {
		const {vault} = await setup(t);
		assert.throws(() => vault.updateSecret('missing', {values: {K: 'v'}}), SecretNotFoundError);
		assert.equal(vault.listSecrets().length, 0);
	});

	test('adds and replaces keys, leaving the others', async t => {
		const {vault} = await setup(t);
		vault.createSecret('svc', {A: '1', B: '2'});
		const summary = vault.updateSecret('svc', {values: {B: 'two', C: 'three'}});
		assert.deepEqual([...summary.keys].sort(), ['A', 'B', 'C']);
		assert.deepEqual({...vault.getSecret('svc').values}, {A: '1', B: 'two', C: 'three'});
	});

	test('remove drops a key', async t => {
		const {vault} = await setup(t);
		vault.createSecret('svc', {A: '1', B: '2', C: '3'});
		const summary = vault.updateSecret('svc', {remove: ['B']});
		assert.deepEqual([...summary.keys].sort(), ['A', 'C']);
		assert.deepEqual({...vault.getSecret('svc').values}, {A: '1', C: '3'});
		assert.deepEqual([...vault.describeSecret('svc').keys].sort(), ['A', 'C']);
	});

	test('removing a key that does not exist is KeyNotFoundError and changes nothing', async t => {
		const {vault} = await setup(t);
		vault.createSecret('svc', {A: '1', B: '2'});
		assert.throws(() => vault.updateSecret('svc', {remove: ['NOPE']}), KeyNotFoundError);
		assert.throws(() => vault.updateSecret('svc', {values: {A: 'changed'}, remove: ['B', 'NOPE']}), KeyNotFoundError);
		assert.throws(() => vault.updateSecret('svc', {remove: ['a']}), KeyNotFoundError, 'key names are case-sensitive');
		assert.deepEqual({...vault.getSecret('svc').values}, {A: '1', B: '2'});
	});

	test('removing every key is refused (delete the secret instead) and changes nothing', async t => {
		const {vault} = await setup(t);
		vault.createSecret('svc', {A: '1', B: '2'});
		assert.throws(() => vault.updateSecret('svc', {remove: ['A', 'B']}), InvalidInputError);
		assert.deepEqual({...vault.getSecret('svc').values}, {A: '1', B: '2'});
		// Replacing the last keys with new ones in the same call is fine.
		vault.updateSecret('svc', {remove: ['A', 'B'], values: {C: '3'}});
		assert.deepEqual({...vault.getSecret('svc').values}, {C: '3'});
	});

	test('setting and removing the same key at once is refused', async t => {
		const {vault} = await setup(t);
		vault.createSecret('svc', {A: '1', B: '2'});
		assert.throws(() => vault.updateSecret('svc', {values: {A: 'x'}, remove: ['A']}), InvalidInputError);
		assert.deepEqual({...vault.getSecret('svc').values}, {A: '1', B: '2'});
	});

	test('an update that changes nothing is refused', async t => {
		const {vault} = await setup(t);
		vault.createSecret('svc', {A: '1'}, {type: 'token', private: true});
		assert.throws(() => vault.updateSecret('svc', {}), InvalidInputError);
		assert.throws(() => vault.updateSecret('svc', {type: 'token', private: true}), InvalidInputError);
	});

	test('private: true / false moves a secret between namespaces, keeping id and values', async t => {
		const {vault} = await setup(t);
		const original = vault.createSecret('svc', {A: '1'});
		const moved = vault.updateSecret('svc', {private: true});
		assert.equal(moved.id, original.id);
		assert.equal(moved.private, true);
		assert.throws(() => vault.describeSecret('svc', {private: false}), SecretNotFoundError);
		assert.equal(vault.getSecret('svc', {private: true}).get('A'), '1');
		const back = vault.updateSecret('svc', {private: false});
		assert.equal(back.id, original.id);
		assert.equal(back.private, false);
		assert.throws(() => vault.describeSecret('svc', {private: true}), SecretNotFoundError);
		assert.equal(vault.getSecret('svc', {private: false}).get('A'), '1');
		assert.equal(vault.listSecrets().length, 1);
	});

	test('after a move, the old namespace\'s name is free again', async t => {
		const {vault} = await setup(t);
		vault.createSecret('svc', {A: 'moved'});
		vault.updateSecret('svc', {private: true});
		vault.createSecret('svc', {A: 'new public'});
		assert.equal(vault.getSecret('svc', {private: true}).get('A'), 'moved');
		assert.equal(vault.getSecret('svc', {private: false}).get('A'), 'new public');
	});

	test('moving into a namespace where the name is taken is SecretExistsError and changes nothing', async t => {
		const {vault} = await setup(t);
		vault.createSecret('svc', {A: 'public'});
		const priv = vault.createSecret('svc', {A: 'private'}, {private: true});
		assert.throws(() => vault.updateSecret('svc', {private: false}, {private: true}), SecretExistsError);
		assert.throws(() => vault.updateSecret('svc', {private: true}, {private: false}), SecretExistsError);
		assert.throws(() => vault.updateSecret('svc', {private: false, values: {A: 'lost?'}}), SecretExistsError);
		assert.equal(vault.describeSecret('svc', {private: true}).id, priv.id);
		assert.equal(vault.getSecret('svc', {private: true}).get('A'), 'private');
		assert.equal(vault.getSecret('svc', {private: false}).get('A'), 'public');
	});

	test('metadata can be changed and expiry cleared', async t => {
		const {vault} = await setup(t);
		vault.createSecret('svc', {A: '1'}, {expiresAt: '2031-01-01T00:00:00.000Z'});
		vault.updateSecret('svc', {type: 'url', description: 'the url', integration: 'aws'});
		let summary = vault.describeSecret('svc');
		assert.equal(summary.type, 'url');
		assert.equal(summary.description, 'the url');
		assert.equal(summary.integration, 'aws');
		assert.equal(summary.expiresAt, '2031-01-01T00:00:00.000Z');
		vault.updateSecret('svc', {expiresAt: null});
		summary = vault.describeSecret('svc');
		assert.equal(summary.expiresAt, null);
		assert.equal(vault.getSecret('svc').get('A'), '1');
	});
});

// ---- timestamps ---------------------------------------------------------------------------------

describe('updatedAt is the rotation clock; lastUsedAt follows reads', () => {
	test('updatedAt moves only when a value changes', async t => {
		const clock = fakeClock(t);
		const {vault} = await setup(t);
		const created = vault.createSecret('svc', {A: '1', B: '2'});
		const t0 = created.updatedAt;
		assert.equal(created.createdAt, t0);

		clock.tick();
		assert.equal(vault.updateSecret('svc', {description: 'metadata only'}).updatedAt, t0, 'metadata-only update');
		clock.tick();
		assert.equal(vault.setSecret('svc', {A: '1'}).secret.updatedAt, t0, 'setting the same value');
		clock.tick();
		assert.equal(vault.updateSecret('svc', {values: {A: '1', B: '2'}, type: 'token'}).updatedAt, t0, 'same values plus metadata');
		clock.tick();
		assert.equal(vault.updateSecret('svc', {private: true}).updatedAt, t0, 'visibility change');
		clock.tick();
		assert.equal(vault.renameSecret('svc', 'svc2').updatedAt, t0, 'rename');
		clock.tick();
		vault.getSecret('svc2');
		assert.equal(vault.describeSecret('svc2').updatedAt, t0, 'read');

		const t1 = clock.tick();
		assert.equal(vault.updateSecret('svc2', {values: {A: 'rotated'}}).updatedAt, t1, 'value changed');
		assert.equal(vault.describeSecret('svc2').updatedAt, t1);
		const t2 = clock.tick();
		assert.equal(vault.setSecret('svc2', {NEW_KEY: 'x'}).secret.updatedAt, t2, 'key added');
		const t3 = clock.tick();
		assert.equal(vault.updateSecret('svc2', {remove: ['NEW_KEY']}).updatedAt, t3, 'key removed');
		assert.equal(vault.describeSecret('svc2').createdAt, t0, 'createdAt never moves');
	});

	test('lastUsedAt is null until a read, set by reads, and not by describe or list', async t => {
		const clock = fakeClock(t);
		const {vault} = await setup(t);
		vault.createSecret('svc', {A: '1'});
		vault.createSecret('other', {A: '1'});
		clock.tick();
		vault.describeSecret('svc');
		vault.listSecrets();
		assert.equal(vault.describeSecret('svc').lastUsedAt, null);

		const read1 = clock.tick();
		const secret = vault.getSecret('svc');
		assert.equal(secret.lastUsedAt, read1);
		assert.equal(vault.describeSecret('svc').lastUsedAt, read1);
		assert.equal(vault.listSecrets().find(summary => summary.name === 'svc')?.lastUsedAt, read1);
		assert.equal(vault.describeSecret('other').lastUsedAt, null);

		const read2 = clock.tick();
		await vault.withSecret('svc', revealed => revealed.get('A'));
		assert.equal(vault.describeSecret('svc').lastUsedAt, read2);

		const read3 = clock.tick();
		vault.revealSecret('svc', {action: 'inject'}).wipe();
		assert.equal(vault.describeSecret('svc').lastUsedAt, read3, 'inject counts as a use');

		clock.tick();
		vault.updateSecret('svc', {values: {A: '2'}});
		assert.equal(vault.describeSecret('svc').lastUsedAt, read3, 'a write is not a use');
	});
});

// ---- write-only ---------------------------------------------------------------------------------

describe('write-only secrets', () => {
	test('runtime reads are allowed; display reads (allowWriteOnly: false) throw WriteOnlyError', async t => {
		const {vault} = await setup(t);
		const summary = vault.createSecret('deploy-key', {KEY: 'never-shown'}, {writeOnly: true});
		assert.equal(summary.writeOnly, true);
		assert.equal(vault.getSecret('deploy-key').get('KEY'), 'never-shown');
		assert.equal(await vault.withSecret('deploy-key', secret => secret.get('KEY')), 'never-shown');
		assert.throws(() => vault.revealSecret('deploy-key', {allowWriteOnly: false}), WriteOnlyError);
		assert.throws(() => vault.getSecret('deploy-key', {allowWriteOnly: false}), WriteOnlyError);
		await assert.rejects(vault.withSecret('deploy-key', secret => secret.get('KEY'), {allowWriteOnly: false}), WriteOnlyError);
	});

	test('a refused display read is not recorded as a use', async t => {
		const {vault} = await setup(t);
		vault.createSecret('deploy-key', {KEY: 'never-shown'}, {writeOnly: true});
		const before = vault.auditLog().length;
		assert.throws(() => vault.getSecret('deploy-key', {allowWriteOnly: false}), WriteOnlyError);
		assert.equal(vault.auditLog().length, before);
		assert.equal(vault.describeSecret('deploy-key').lastUsedAt, null);
	});

	test('the WriteOnlyError message does not contain the value', async t => {
		const {vault} = await setup(t);
		vault.createSecret('deploy-key', {KEY: 'never-shown-value'}, {writeOnly: true});
		assert.throws(
			() => vault.getSecret('deploy-key', {allowWriteOnly: false}),
			(error: unknown) => error instanceof WriteOnlyError && !error.message.includes('never-shown-value') && !error.message.includes('\n'),
		);
	});

	test('write-only cannot be turned off, by update or by upsert', async t => {
		const {vault} = await setup(t);
		vault.createSecret('deploy-key', {KEY: 'v'}, {writeOnly: true});
		assert.throws(() => vault.updateSecret('deploy-key', {writeOnly: false}), InvalidInputError);
		assert.throws(() => vault.updateSecret('deploy-key', {writeOnly: false, values: {KEY: 'w'}}), InvalidInputError);
		assert.throws(() => vault.setSecret('deploy-key', {KEY: 'w'}, {writeOnly: false}), InvalidInputError);
		assert.equal(vault.describeSecret('deploy-key').writeOnly, true);
		assert.equal(vault.getSecret('deploy-key').get('KEY'), 'v');
		// Other changes keep it write-only.
		vault.updateSecret('deploy-key', {values: {KEY: 'rotated'}, description: 'd'});
		assert.equal(vault.describeSecret('deploy-key').writeOnly, true);
		assert.throws(() => vault.getSecret('deploy-key', {allowWriteOnly: false}), WriteOnlyError);
	});

	test('an ordinary secret can be made write-only', async t => {
		const {vault} = await setup(t);
		vault.createSecret('svc', {KEY: 'v'});
		assert.equal(vault.getSecret('svc', {allowWriteOnly: false}).get('KEY'), 'v');
		assert.equal(vault.updateSecret('svc', {writeOnly: true}).writeOnly, true);
		assert.throws(() => vault.getSecret('svc', {allowWriteOnly: false}), WriteOnlyError);
	});
});

// ---- wiping -------------------------------------------------------------------------------------

describe('withSecret wipes the decrypted buffers', () => {
	test('after the callback returns', async t => {
		const {vault} = await setup(t);
		vault.createSecret('svc', {A: 'alpha-value', B: 'beta-value'});
		const kept: Buffer[] = [];
		const result = await vault.withSecret('svc', secret => {
			kept.push(secret.buffer('A'), secret.buffer('B'));
			assert.equal(secret.get('A'), 'alpha-value');
			assert.equal(kept[1]!.toString('utf8'), 'beta-value');
			return 'returned';
		});
		assert.equal(result, 'returned');
		assert.equal(kept.length, 2);
		for (const buffer of kept) {
			assert.ok(buffer.length > 0);
			assert.ok(isAllZero(buffer), `buffer still holds ${JSON.stringify(buffer.toString('utf8'))}`);
		}
	});

	test('after an async callback resolves', async t => {
		const {vault} = await setup(t);
		vault.createSecret('svc', {A: 'alpha-value'});
		const kept: Buffer[] = [];
		await vault.withSecret('svc', async secret => {
			kept.push(secret.buffer('A'));
			await Promise.resolve();
			assert.equal(secret.get('A'), 'alpha-value', 'still readable across an await inside the callback');
		});
		assert.ok(isAllZero(kept[0]!));
	});

	test('when the callback throws, and the error comes through unchanged', async t => {
		const {vault} = await setup(t);
		vault.createSecret('svc', {A: 'alpha-value'});
		const kept: Buffer[] = [];
		const boom = new Error('callback failed');
		await assert.rejects(
			vault.withSecret('svc', secret => {
				kept.push(secret.buffer('A'));
				throw boom;
			}),
			(error: unknown) => error === boom,
		);
		assert.ok(isAllZero(kept[0]!));

		await assert.rejects(
			vault.withSecret('svc', async secret => {
				kept.push(secret.buffer('A'));
				await Promise.resolve();
				throw boom;
			}),
			(error: unknown) => error === boom,
		);
		assert.ok(isAllZero(kept[1]!));
	});

	test('the secret handed to the callback is unusable after it', async t => {
		const {vault} = await setup(t);
		vault.createSecret('svc', {A: 'alpha-value'});
		const escaped = await vault.withSecret('svc', secret => secret);
		assert.throws(() => escaped.get('A'));
		assert.throws(() => escaped.buffer('A'));
		assert.throws(() => escaped.values);
	});

	test('revealSecret hands back buffers that wipe() zeroes', async t => {
		const {vault} = await setup(t);
		vault.createSecret('svc', {A: 'alpha-value'});
		const revealed = vault.revealSecret('svc');
		const buffer = revealed.buffer('A');
		assert.equal(buffer.toString('utf8'), 'alpha-value');
		revealed.wipe();
		assert.ok(isAllZero(buffer));
	});

	test('updates keep working after values were wiped (the stored record is untouched)', async t => {
		const {vault} = await setup(t);
		vault.createSecret('svc', {A: 'alpha-value'});
		await vault.withSecret('svc', () => undefined);
		vault.updateSecret('svc', {values: {B: 'beta'}});
		assert.deepEqual({...vault.getSecret('svc').values}, {A: 'alpha-value', B: 'beta'});
	});
});

// ---- validation and typed errors ----------------------------------------------------------------

describe('typed errors', () => {
	test('invalid names are InvalidInputError; edge-case valid names work', async t => {
		const {vault} = await setup(t);
		for (const name of ['', ' ', 'a b', '-leading-dash', '.hidden', '_under', 'slash/name', 'tab\tname', 'é', 'x'.repeat(129), 'semi;colon']) {
			assert.throws(() => vault.createSecret(name, {K: 'v'}), InvalidInputError, JSON.stringify(name));
			assert.throws(() => vault.setSecret(name, {K: 'v'}), InvalidInputError, JSON.stringify(name));
		}

		for (const name of ['a', '0', '9lives', 'a.b_c-d', 'A', 'x'.repeat(128)]) {
			vault.createSecret(name, {K: 'v'});
		}

		assert.equal(vault.listSecrets().length, 6);
	});

	test('invalid key names are InvalidInputError', async t => {
		const {vault} = await setup(t);
		for (const key of ['', '1ABC', 'A-B', 'A B', 'A.B', 'ÄPI', '$HOME', 'K'.repeat(257)]) {
			assert.throws(() => vault.createSecret('svc', {[key]: 'v'}), InvalidInputError, JSON.stringify(key));
		}

		vault.createSecret('svc', {_private: 'v', A1: 'v', a_b_C: 'v'});
		for (const key of ['1ABC', 'A-B']) {
			assert.throws(() => vault.updateSecret('svc', {values: {[key]: 'v'}}), InvalidInputError, JSON.stringify(key));
		}
	});

	test('empty values and values over 64 KiB are InvalidInputError, counted in UTF-8 bytes', async t => {
		const {vault} = await setup(t);
		assert.throws(() => vault.createSecret('svc', {K: ''}), InvalidInputError);
		assert.throws(() => vault.createSecret('svc', {K: 'x'.repeat(maxValueBytes + 1)}), InvalidInputError);
		// 32,769 two-byte characters: under the limit as a string length, over it in bytes.
		assert.throws(() => vault.createSecret('svc', {K: 'é'.repeat(32_769)}), InvalidInputError);
		vault.createSecret('svc', {K: 'é'.repeat(32_768)});
		assert.throws(() => vault.updateSecret('svc', {values: {K: ''}}), InvalidInputError);
		assert.throws(() => vault.setSecret('svc', {K: 'y'.repeat(maxValueBytes + 1)}), InvalidInputError);
		assert.equal(vault.getSecret('svc').get('K'), 'é'.repeat(32_768));
	});

	test('error messages about values never contain the value', async t => {
		const {vault} = await setup(t);
		const huge = 'TOPSECRET'.repeat(8000);
		assert.throws(
			() => vault.createSecret('svc', {K: huge}),
			(error: unknown) => error instanceof InvalidInputError && !error.message.includes('TOPSECRET') && !error.message.includes('\n'),
		);
	});

	test('a secret needs at least one value', async t => {
		const {vault} = await setup(t);
		assert.throws(() => vault.createSecret('svc', {}), InvalidInputError);
		assert.throws(() => vault.setSecret('svc', {}), InvalidInputError);
		assert.equal(vault.listSecrets().length, 0);
	});

	test('bad metadata is InvalidInputError', async t => {
		const {vault} = await setup(t);
		assert.throws(() => vault.createSecret('svc', {K: 'v'}, {type: 'password' as never}), InvalidInputError);
		assert.throws(() => vault.createSecret('svc', {K: 'v'}, {description: 'd'.repeat(1025)}), InvalidInputError);
		assert.throws(() => vault.createSecret('svc', {K: 'v'}, {expiresAt: 'next tuesday-ish'}), InvalidInputError);
	});

	test('refused input leaves no trace: no secret and no audit entry', async t => {
		const {vault} = await setup(t);
		assert.throws(() => vault.createSecret('bad name', {K: 'v'}), InvalidInputError);
		assert.throws(() => vault.createSecret('svc', {'bad-key': 'v'}), InvalidInputError);
		assert.equal(vault.listSecrets().length, 0);
		assert.equal(vault.auditLog().length, 0);
	});

	test('unknown secrets are SecretNotFoundError for every operation', async t => {
		const {vault} = await setup(t);
		vault.createSecret('exists', {K: 'v'});
		assert.throws(() => vault.describeSecret('missing'), SecretNotFoundError);
		assert.throws(() => vault.getSecret('missing'), SecretNotFoundError);
		assert.throws(() => vault.revealSecret('missing'), SecretNotFoundError);
		await assert.rejects(vault.withSecret('missing', () => 1), SecretNotFoundError);
		assert.throws(() => vault.updateSecret('missing', {values: {K: 'v'}}), SecretNotFoundError);
		assert.throws(() => vault.renameSecret('missing', 'other'), SecretNotFoundError);
		assert.throws(() => vault.deleteSecret('missing'), SecretNotFoundError);
		assert.throws(() => vault.auditLog({reference: 'missing'}), SecretNotFoundError);
		assert.throws(() => vault.describeSecret('EXISTS'), SecretNotFoundError, 'names are case-sensitive');
	});

	test('exit codes: input errors are usage errors (2), the rest failures (1)', () => {
		assert.equal(new InvalidInputError('x').exitCode, ExitCode.usage);
		assert.equal(new SecretNotFoundError('x').exitCode, ExitCode.failure);
		assert.equal(new WriteOnlyError('x').exitCode, ExitCode.failure);
		assert.equal(new WrongPassphraseError('x').exitCode, ExitCode.failure);
	});

	test('a closed vault refuses everything with VaultLockedError', async t => {
		const {vault} = await setup(t);
		vault.createSecret('svc', {K: 'v'});
		vault.close();
		assert.throws(() => vault.listSecrets(), VaultLockedError);
		assert.throws(() => vault.getSecret('svc'), VaultLockedError);
		assert.throws(() => vault.createSecret('svc2', {K: 'v'}), VaultLockedError);
		assert.throws(() => vault.verifyAuditLog(), VaultLockedError);
		vault.close();
	});
});

// ---- list ---------------------------------------------------------------------------------------

describe('listSecrets filters and sorts', () => {
	test('filters by type, integration and visibility, alone and together', async t => {
		const {vault} = await setup(t);
		vault.createSecret('gh-token', {K: 'v'}, {type: 'token', integration: 'github'});
		vault.createSecret('gh-app', {K: 'v'}, {type: 'credentials', integration: 'github', private: true});
		vault.createSecret('stripe', {K: 'v'}, {type: 'token', integration: 'stripe', private: true});
		vault.createSecret('plain', {K: 'v'});
		const names = (filter: Parameters<Vault['listSecrets']>[0]) => vault.listSecrets(filter).map(summary => summary.name);
		assert.deepEqual(names({type: 'token'}), ['gh-token', 'stripe']);
		assert.deepEqual(names({integration: 'github'}), ['gh-app', 'gh-token']);
		assert.deepEqual(names({private: true}), ['gh-app', 'stripe']);
		assert.deepEqual(names({private: false}), ['gh-token', 'plain']);
		assert.deepEqual(names({type: 'token', private: true}), ['stripe']);
		assert.deepEqual(names({type: 'token', integration: 'github', private: true}), []);
		assert.deepEqual(names({type: 'certificate'}), []);
		assert.deepEqual(names({}), ['gh-app', 'gh-token', 'plain', 'stripe']);
	});

	test('sort by name (the default): private before public on a shared name', async t => {
		const {vault} = await setup(t);
		vault.createSecret('b', {K: 'v'});
		vault.createSecret('c', {K: 'v'});
		vault.createSecret('b', {K: 'v'}, {private: true});
		vault.createSecret('a', {K: 'v'});
		const order = vault.listSecrets({sort: 'name'}).map(summary => `${summary.name}:${summary.private ? 'private' : 'public'}`);
		assert.deepEqual(order, ['a:public', 'b:private', 'b:public', 'c:public']);
		assert.deepEqual(
			vault.listSecrets().map(summary => summary.name),
			['a', 'b', 'b', 'c'],
		);
	});

	test('sort by updated: most recently changed value first; metadata edits do not count', async t => {
		const clock = fakeClock(t);
		const {vault} = await setup(t);
		vault.createSecret('first', {K: 'v'});
		clock.tick();
		vault.createSecret('second', {K: 'v'});
		clock.tick();
		vault.createSecret('third', {K: 'v'});
		clock.tick();
		vault.updateSecret('first', {values: {K: 'rotated'}});
		clock.tick();
		vault.updateSecret('second', {description: 'metadata only'});
		assert.deepEqual(
			vault.listSecrets({sort: 'updated'}).map(summary => summary.name),
			['first', 'third', 'second'],
		);
	});

	test('sort by used: most recently read first, never-read last (by name)', async t => {
		const clock = fakeClock(t);
		const {vault} = await setup(t);
		for (const name of ['d', 'c', 'b', 'a']) {
			vault.createSecret(name, {K: 'v'});
		}

		clock.tick();
		vault.getSecret('c');
		clock.tick();
		vault.getSecret('b');
		clock.tick();
		vault.getSecret('c');
		assert.deepEqual(
			vault.listSecrets({sort: 'used'}).map(summary => summary.name),
			['c', 'b', 'a', 'd'],
		);
	});
});

// ---- passphrase change --------------------------------------------------------------------------

describe('changePassphrase', () => {
	test('the old passphrase stops working, the new one opens the same data', async t => {
		const home = makeHome(t);
		const vault = await newVault(home);
		vault.createSecret('svc', {K: 'kept across passwd'});
		await vault.changePassphrase('a completely new passphrase', {kdf: fastKdf});
		assert.equal(vault.getSecret('svc').get('K'), 'kept across passwd', 'the open vault keeps working');
		vault.close();

		await assert.rejects(openVault({home, passphrase}), WrongPassphraseError);
		const reopened = await openVault({home, passphrase: 'a completely new passphrase'});
		try {
			assert.equal(reopened.getSecret('svc').get('K'), 'kept across passwd');
			assert.ok(reopened.auditLog().some(entry => entry.action === 'passwd' && entry.recordId === null));
			assert.deepEqual(reopened.verifyAuditLog(), {ok: true, entries: reopened.auditLog().length});
		} finally {
			reopened.close();
		}
	});

	test('a too-short new passphrase is refused and the old one keeps working', async t => {
		const home = makeHome(t);
		const vault = await newVault(home);
		await assert.rejects(vault.changePassphrase('short', {kdf: fastKdf}), InvalidInputError);
		vault.close();
		(await openVault({home, passphrase})).close();
	});
});

// ---- vault lifecycle ----------------------------------------------------------------------------

describe('opening and creating', () => {
	test('init refuses to overwrite an existing vault, which stays intact; no staging files linger', async t => {
		const home = makeHome(t);
		const vault = await newVault(home);
		vault.createSecret('svc', {K: 'original'});
		vault.close();
		await assert.rejects(newVault(home, {passphrase: 'another passphrase entirely'}), VaultExistsError);
		assert.deepEqual(
			readdirSync(home).filter(file => file.startsWith('.vault-')),
			[],
		);
		const reopened = await openVault({home, passphrase});
		assert.equal(reopened.getSecret('svc').get('K'), 'original');
		reopened.close();
	});

	test('opening a home without a vault is VaultNotFoundError', t => {
		const home = makeHome(t);
		assert.throws(() => LockedVault.open({home}), VaultNotFoundError);
		assert.equal(existsSync(`${home}/vault.db`), false, 'opening does not create a vault');
	});

	test('openVault takes the passphrase from options, then HUSH_PASSPHRASE, else VaultLockedError', async t => {
		const home = makeHome(t);
		(await newVault(home)).close();
		const saved = process.env['HUSH_PASSPHRASE'];
		t.after(() => {
			if (saved === undefined) {
				delete process.env['HUSH_PASSPHRASE'];
			} else {
				process.env['HUSH_PASSPHRASE'] = saved;
			}
		});
		delete process.env['HUSH_PASSPHRASE'];
		await assert.rejects(openVault({home}), VaultLockedError);
		process.env['HUSH_PASSPHRASE'] = passphrase;
		(await openVault({home})).close();
		process.env['HUSH_PASSPHRASE'] = 'wrong wrong wrong';
		await assert.rejects(openVault({home}), WrongPassphraseError);
		(await openVault({home, passphrase})).close();
	});

	test('two vault handles on one file never lose each other\'s updates', async t => {
		const home = makeHome(t);
		const first = await newVault(home);
		const second = await openVault({home, passphrase});
		t.after(() => {
			first.close();
			second.close();
		});
		first.createSecret('shared', {A: '0'});
		for (let round = 1; round <= 5; round++) {
			first.updateSecret('shared', {values: {[`FIRST_${round}`]: String(round)}});
			second.updateSecret('shared', {values: {[`SECOND_${round}`]: String(round)}});
		}

		const values = first.getSecret('shared').values;
		assert.equal(Object.keys(values).length, 11);
		assert.equal(values['FIRST_5'], '5');
		assert.equal(values['SECOND_5'], '5');
		assert.deepEqual(first.verifyAuditLog(), {ok: true, entries: 12});
	});
});

// ---- audit --------------------------------------------------------------------------------------

describe('audit log', () => {
	test('records create, update, read, rename and delete in order, with actor and command', async t => {
		const {vault} = await setup(t);
		const {id} = vault.createSecret('svc', {K: 'audited-value'});
		vault.updateSecret('svc', {values: {K: 'audited-value-2'}});
		vault.getSecret('svc');
		vault.renameSecret('svc', 'svc-renamed');
		vault.deleteSecret('svc-renamed');
		const log = vault.auditLog();
		assert.deepEqual(
			log.map(entry => [entry.seq, entry.action, entry.recordId]),
			[
				[1, 'create', id],
				[2, 'update', id],
				[3, 'read', id],
				[4, 'rename', id],
				[5, 'delete', id],
			],
		);
		for (const entry of log) {
			assert.equal(entry.actor, actor);
			assert.equal(entry.command, 'test');
			assert.ok(!Number.isNaN(Date.parse(entry.at)));
		}

		assert.deepEqual(vault.verifyAuditLog(), {ok: true, entries: 5});
	});

	test('filters by secret (also after deletion, by id) and by time', async t => {
		const clock = fakeClock(t);
		const {vault} = await setup(t);
		const a = vault.createSecret('a', {K: 'v'});
		clock.tick();
		const b = vault.createSecret('b', {K: 'v'});
		const since = clock.tick();
		vault.getSecret('a');
		vault.deleteSecret('b');
		assert.deepEqual(
			vault.auditLog({reference: 'a'}).map(entry => entry.action),
			['create', 'read'],
		);
		assert.deepEqual(
			vault.auditLog({reference: b.id}).map(entry => entry.action),
			['create', 'delete'],
		);
		assert.deepEqual(
			vault.auditLog({since}).map(entry => [entry.action, entry.recordId]),
			[
				['read', a.id],
				['delete', b.id],
			],
		);
	});

	test('no audit row holds a value or a secret name', async t => {
		const {home, vault} = await setup(t);
		vault.createSecret('audit-name-canary', {K: 'audit-value-canary'});
		vault.getSecret('audit-name-canary');
		vault.updateSecret('audit-name-canary', {values: {K: 'audit-value-canary-2'}});
		const db = openRaw(home);
		try {
			const rows = db.prepare('SELECT * FROM audit').all();
			const text = JSON.stringify(rows, (_key, value: unknown) => (value instanceof Uint8Array ? Buffer.from(value).toString('latin1') : value));
			assert.equal(rows.length, 3);
			assert.ok(!text.includes('audit-value-canary'));
			assert.ok(!text.includes('audit-name-canary'));
		} finally {
			db.close();
		}
	});

	// Six entries: create a, update a, read a, create b, rename b, delete a.
	async function auditedVault(t: TestContext): Promise<{home: string; vault: Vault}> {
		const context = await setup(t);
		const {vault} = context;
		vault.createSecret('a', {K: '1'});
		vault.updateSecret('a', {values: {K: '2'}});
		vault.getSecret('a');
		vault.createSecret('b', {K: '1'});
		vault.renameSecret('b', 'b2');
		vault.deleteSecret('a');
		assert.deepEqual(vault.verifyAuditLog(), {ok: true, entries: 6});
		return context;
	}

	function assertBroken(result: AuditVerification, firstBroken: number): void {
		assert.equal(result.ok, false, 'verification must fail');
		if (!result.ok) {
			assert.equal(result.firstBroken, firstBroken, result.reason);
			assert.ok(result.reason.length > 0);
		}
	}

	function edit(home: string, sql: string, ...params: Array<string | number>): void {
		const db = openRaw(home);
		try {
			db.exec('BEGIN');
			for (const statement of sql.split(';').filter(part => part.trim())) {
				db.prepare(statement).run(...params.splice(0, (statement.match(/\?/g) ?? []).length));
			}

			db.exec('COMMIT');
		} finally {
			db.close();
		}
	}

	test('an edited action breaks the chain at that entry', async t => {
		const {home, vault} = await auditedVault(t);
		edit(home, "UPDATE audit SET action = 'read' WHERE seq = 4");
		assertBroken(vault.verifyAuditLog(), 4);
	});

	test('an edited timestamp or record id breaks the chain at that entry', async t => {
		const {home, vault} = await auditedVault(t);
		edit(home, "UPDATE audit SET at = '1999-01-01T00:00:00.000Z' WHERE seq = 2");
		assertBroken(vault.verifyAuditLog(), 2);
		const other = await auditedVault(t);
		edit(other.home, 'UPDATE audit SET record_id = NULL WHERE seq = 5');
		assertBroken(other.vault.verifyAuditLog(), 5);
	});

	test('a deleted middle entry breaks the chain where it was', async t => {
		const {home, vault} = await auditedVault(t);
		edit(home, 'DELETE FROM audit WHERE seq = 3');
		assertBroken(vault.verifyAuditLog(), 3);
	});

	test('two entries with swapped seq break the chain at the first of them', async t => {
		const {home, vault} = await auditedVault(t);
		edit(home, 'UPDATE audit SET seq = 1000 WHERE seq = 2; UPDATE audit SET seq = 2 WHERE seq = 3; UPDATE audit SET seq = 3 WHERE seq = 1000');
		assertBroken(vault.verifyAuditLog(), 2);
	});

	test('a deleted last entry is caught by the keyed head', async t => {
		const {home, vault} = await auditedVault(t);
		edit(home, 'DELETE FROM audit WHERE seq = 6');
		assertBroken(vault.verifyAuditLog(), 6);
	});

	test('deleting the last two entries is caught too', async t => {
		const {home, vault} = await auditedVault(t);
		edit(home, 'DELETE FROM audit WHERE seq >= 5');
		assertBroken(vault.verifyAuditLog(), 5);
	});

	test('deleting every entry is caught by the keyed head', async t => {
		const {home, vault} = await auditedVault(t);
		edit(home, 'DELETE FROM audit');
		assertBroken(vault.verifyAuditLog(), 1);
	});

	test('a forged entry appended without the key breaks the chain', async t => {
		const {home, vault} = await auditedVault(t);
		edit(
			home,
			"INSERT INTO audit (seq, at, actor, action, record_id, command, prev_mac, mac) SELECT 7, at, actor, 'read', record_id, command, mac, mac FROM audit WHERE seq = 6",
		);
		assertBroken(vault.verifyAuditLog(), 7);
	});

	test('the chain keeps verifying as new entries are appended after a good check', async t => {
		const {vault} = await auditedVault(t);
		vault.createSecret('c', {K: '1'});
		vault.getSecret('c');
		assert.deepEqual(vault.verifyAuditLog(), {ok: true, entries: 8});
	});
});
