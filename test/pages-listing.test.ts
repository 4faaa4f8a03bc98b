/**
 * Sealed metadata pages kept current by every writer: the vault's own writes, an import in one
 * transaction (each page re-sealed once, not once a secret), sync's writes (clone, pull), and a
 * vault migrated from an older format (pages built from the records at the first listing).
 */
import {copyFileSync} from 'node:fs';
import {join} from 'node:path';
import {describe, test, type TestContext} from 'node:test';
import assert from 'node:assert/strict';
import {pageStats} from '../source/vault/pages.js';
import {openVault} from '../source/unlock/open-vault.js';
import type {Vault} from '../source/vault/vault.js';
import {hush, initHome, passphrase, tempHome} from './helpers/hush-cli.js';
import {initServerDb, serverToken, startServer} from './helpers/sync-server.js';
import {makeHome, newVault, openRaw, vaultFile} from './helpers/vault-fixtures.js';

function sealedDuring(work: () => void): number {
	const before = pageStats.sealed;
	work();
	return pageStats.sealed - before;
}

function storedPages(home: string): number[] {
	const db = openRaw(home);
	try {
		return (db.prepare('SELECT page FROM pages ORDER BY page').all() as Array<{page: number}>).map(row => row.page);
	} finally {
		db.close();
	}
}

describe('the vault\'s writes keep the pages current', () => {
	test('an import of 600 secrets in one transaction seals each of its 3 pages once; a write re-seals one page', async t => {
		const home = makeHome(t);
		const vault = await newVault(home);
		t.after(() => vault.close());
		const names = Array.from({length: 600}, (_, index) => `bulk-${String(index).padStart(3, '0')}`);
		assert.equal(sealedDuring(() => vault.createSecrets(names.map(name => ({name, values: {K: name}})))), 3);
		assert.deepEqual(storedPages(home), [0, 1, 2]);

		assert.equal(vault.listSecrets().length, 600);
		assert.deepEqual([pageStats.fromPages, pageStats.fromRecords], [600, 0]);

		assert.equal(sealedDuring(() => vault.updateSecret('bulk-300', {description: 'changed'})), 1);
		assert.equal(sealedDuring(() => vault.setSecret('bulk-301', {K: 'new value'})), 1);
		assert.equal(sealedDuring(() => vault.deleteSecret('bulk-599')), 1);
		assert.equal(sealedDuring(() => vault.createSecret('after', {K: 'v'})), 1);
		const listed = vault.listSecrets();
		assert.deepEqual([pageStats.fromPages, pageStats.fromRecords], [600, 0]);
		assert.equal(listed.find(secret => secret.name === 'bulk-300')!.description, 'changed');
		assert.equal(listed.some(secret => secret.name === 'bulk-599'), false);
		assert.ok(listed.some(secret => secret.name === 'after'));

		// A failed transaction leaves the pages as they were, and nothing noted for the next one.
		assert.throws(() => vault.createSecrets([{name: 'fresh', values: {K: 'v'}}, {name: 'after', values: {K: 'v'}}]));
		assert.equal(sealedDuring(() => vault.updateSecret('bulk-000', {description: 'x'})), 1);
		assert.equal(vault.listSecrets().some(secret => secret.name === 'fresh'), false);
		assert.equal(pageStats.fromRecords, 0);
	});
});

describe('sync\'s writes go through the record writer and keep the pages current', () => {
	test('a clone and a later pull: every summary on the clone comes from a current page', async t => {
		const {db} = await initServerDb(t);
		const server = await startServer(db);
		t.after(() => server.stop());
		const token = await serverToken(db, ['token', 'create', '--user', 'alice', '--perm', 'secrets:read,secrets:write']);
		const run = async (args: string[], home: string, input?: string) => {
			const result = await hush(args, {home, input});
			assert.equal(result.code, 0, `hush ${args.join(' ')}: ${result.stderr}`);
			return result.stdout;
		};

		const a = await initHome(t);
		await run(['remote', 'add', server.url, '--token-stdin'], a, token);
		for (const name of ['one', 'two', 'three']) {
			await run(['set', name, '--KEY=@@v'], a);
		}

		await run(['sync'], a);
		const b = tempHome(t);
		await run(['clone', server.url, '--token-stdin'], b, token);
		await run(['update', 'two', '--description', 'from a'], a);
		await run(['sync'], a);
		await run(['sync'], b);

		const vault = await openVault({home: b, passphrase});
		try {
			const listed = vault.listSecrets();
			assert.deepEqual([pageStats.fromPages, pageStats.fromRecords, pageStats.outdatedPages], [3, 0, 0]);
			assert.equal(listed.find(secret => secret.name === 'two')!.description, 'from a');
		} finally {
			vault.close();
		}
	});
});

describe('pages a reader found out of date are rebuilt from what it read', () => {
	function withoutPages(home: string): void {
		const db = openRaw(home);
		try {
			db.exec('DELETE FROM pages');
		} finally {
			db.close();
		}
	}

	async function vaultWithoutPages(t: TestContext, count: number): Promise<{home: string; vault: Vault}> {
		const home = makeHome(t);
		const vault = await newVault(home);
		t.after(() => vault.close());
		vault.createSecrets(Array.from({length: count}, (_, index) => ({name: `bulk-${String(index).padStart(3, '0')}`, values: {K: `v-${index}`}})));
		withoutPages(home);
		return {home, vault};
	}

	test('a listing opens each record once: the rebuild seals what it read, opening none again', async t => {
		const {home, vault} = await vaultWithoutPages(t, 600);
		const opened = pageStats.rebuiltFromRecords;
		const sealed = sealedDuring(() => assert.equal(vault.listSecrets().length, 600));
		assert.deepEqual([pageStats.fromPages, pageStats.fromRecords], [0, 600]);
		assert.equal(sealed, 3);
		assert.equal(pageStats.rebuiltFromRecords - opened, 0);
		assert.deepEqual(storedPages(home), [0, 1, 2]);
		assert.equal(vault.listSecrets().length, 600);
		assert.deepEqual([pageStats.fromPages, pageStats.fromRecords], [600, 0]);
	});

	test('a row written between the read and the rebuild is opened again, so its page holds what it is now', async t => {
		const {home, vault} = await vaultWithoutPages(t, 600);
		const reader = vault.readSecretsByPage();
		const first = reader.next();
		assert.ok(first.summaries.some(secret => secret.name === 'bulk-000'));
		const other = await openVault({home, passphrase});
		other.updateSecret('bulk-000', {description: 'changed meanwhile'});
		other.close();
		const opened = pageStats.rebuiltFromRecords;
		while (!reader.next().done) {
			// Read to the end: the last step rebuilds every page the reader found out of date.
		}

		assert.equal(pageStats.rebuiltFromRecords - opened, 1, 'only the row written since the read is opened again');
		const listed = vault.listSecrets();
		assert.deepEqual([pageStats.fromPages, pageStats.fromRecords], [600, 0]);
		assert.equal(listed.find(secret => secret.name === 'bulk-000')!.description, 'changed meanwhile');
	});
});

describe('a vault from before the pages (format 1, format 2)', () => {
	for (const fixture of ['vault-v1', 'vault-v2']) {
		test(`test/fixtures/${fixture} migrates to format 5; its first listing builds the pages, the next reads them`, async t => {
			const home = makeHome(t);
			copyFileSync(join('test', 'fixtures', fixture, 'vault.db'), vaultFile(home));
			const vault = await openVault({home, passphrase});
			try {
				assert.deepEqual(storedPages(home), []);
				const first = vault.listSecrets();
				assert.deepEqual(first.map(secret => secret.name), ['shared', 'survivor']);
				assert.deepEqual([pageStats.fromPages, pageStats.fromRecords, pageStats.outdatedPages, pageStats.failedPages], [0, 2, 0, 0]);
				assert.deepEqual(storedPages(home), [0]);
				assert.deepEqual(vault.listSecrets(), first);
				assert.deepEqual([pageStats.fromPages, pageStats.fromRecords], [2, 0]);
				const raw = openRaw(home);
				assert.equal((raw.prepare('PRAGMA user_version').get() as {user_version: number}).user_version, 5);
				raw.close();
			} finally {
				vault.close();
			}
		});
	}
});
