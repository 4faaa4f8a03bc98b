/**
 * Sealed metadata pages (source/vault/pages.ts) under attack: a page with a flipped byte, pages
 * swapped between numbers, a page from another vault, and an older copy of a page written back. A
 * listing must never show what a bad page says: it lists from the records instead (warning once),
 * shows exactly what the records hold, and re-seals the page. A record that is bad itself is still
 * refused by every open, and by list wherever its nonce, length or tag changed (pages-codec.ts);
 * a page rolled back together with its record no longer opens (its AAD binds its rollback bucket's
 * MAC), and the bucket refuses the record.
 */
import {describe, test, type TestContext} from 'node:test';
import assert from 'node:assert/strict';
import type {DatabaseSync} from 'node:sqlite';
import {IntegrityError} from '../source/errors.js';
import {pageStats} from '../source/vault/pages.js';
import type {Vault} from '../source/vault/vault.js';
import {openVault} from '../source/unlock/open-vault.js';
import {assertOneLineError, hush, hushOk, initHome} from './helpers/hush-cli.js';
import {flipByte, makeHome, newVault, openRaw, passphrase, readRecord} from './helpers/vault-fixtures.js';

type StoredPage = {space: string; page: number; key_generation: number; nonce: Uint8Array; ciphertext: Uint8Array};

/** 600 secrets: three pages (rowids 1..600 in slices of 256 by rowid: 1-255, 256-511, 512-600). */
const count = 600;
const names = Array.from({length: count}, (_, index) => `page-secret-${String(index).padStart(4, '0')}`);

async function setup(t: TestContext): Promise<{home: string; vault: Vault; db: DatabaseSync}> {
	const home = makeHome(t);
	const vault = await newVault(home);
	vault.createSecrets(names.map((name, index) => ({name, values: {KEY: `value-${index}`}, options: {description: `first ${index}`}})));
	const db = openRaw(home);
	t.after(() => {
		db.close();
		vault.close();
	});
	return {home, vault, db};
}

function pages(db: DatabaseSync): StoredPage[] {
	return db.prepare('SELECT * FROM pages ORDER BY space, page').all() as StoredPage[];
}

function setPage(db: DatabaseSync, page: number, columns: {nonce?: Uint8Array; ciphertext?: Uint8Array}): void {
	const stored = pages(db).find(row => row.page === page)!;
	db.prepare('UPDATE pages SET nonce = ?, ciphertext = ? WHERE page = ?').run(columns.nonce ?? stored.nonce, columns.ciphertext ?? stored.ciphertext, page);
}

/** What the records say, opened one by one (describeSecret never reads a page). */
function fromRecords(vault: Vault) {
	return names.map(name => vault.describeSecret(name));
}

function assertListedFromPages(vault: Vault): void {
	const listed = vault.listSecrets();
	assert.equal(listed.length, count);
	assert.deepEqual({fromPages: pageStats.fromPages, fromRecords: pageStats.fromRecords}, {fromPages: count, fromRecords: 0});
}

describe('a damaged page is never read', () => {
	test('each byte of a page nonce, and bytes across its ciphertext: listed from the records, with a warning, then re-sealed', async t => {
		const {vault, db} = await setup(t);
		assertListedFromPages(vault);
		const truth = fromRecords(vault);
		const original = pages(db).find(row => row.page === 1)!;
		const positions = [
			...Array.from({length: 12}, (_, index) => ['nonce', index] as const),
			...[0, 1, 100, Math.floor(original.ciphertext.length / 2), original.ciphertext.length - 17, original.ciphertext.length - 1].map(index => ['ciphertext', index] as const),
		];
		for (const [column, index] of positions) {
			setPage(db, 1, {[column]: flipByte(original[column], index)});
			assert.deepEqual(vault.listSecrets(), truth, `${column}[${index}]: the listing is the records'`);
			assert.equal(pageStats.failedPages, 1, `${column}[${index}]: the page failed to open`);
			assert.equal(pageStats.fromRecords, 256, `${column}[${index}]: its records were opened instead`);
			// The listing re-sealed the page: the next one reads it again.
			assertListedFromPages(vault);
		}
	});

	test('a truncated page, and pages 0 and 1 swapped, fail their AAD', async t => {
		const {vault, db} = await setup(t);
		const truth = fromRecords(vault);
		const [zero, one] = pages(db);
		setPage(db, 1, {ciphertext: one!.ciphertext.subarray(0, 10)});
		assert.deepEqual(vault.listSecrets(), truth);
		assert.equal(pageStats.failedPages, 1);

		setPage(db, 0, {nonce: one!.nonce, ciphertext: one!.ciphertext});
		setPage(db, 1, {nonce: zero!.nonce, ciphertext: zero!.ciphertext});
		assert.deepEqual(vault.listSecrets(), truth);
		assert.equal(pageStats.failedPages, 2);
		assertListedFromPages(vault);
	});

	test('page 0 of another vault, with the same names, does not open here', async t => {
		const {vault, db} = await setup(t);
		const other = await setup(t);
		const truth = fromRecords(vault);
		const foreign = pages(other.db)[0]!;
		setPage(db, 0, {nonce: foreign.nonce, ciphertext: foreign.ciphertext});
		assert.deepEqual(vault.listSecrets(), truth);
		assert.equal(pageStats.failedPages, 1);
	});
});

describe('an older copy of a page is never believed over the records', () => {
	test('a page written back after an update: the update shows, the old description never does', async t => {
		const {vault, db} = await setup(t);
		const old = pages(db).find(row => row.page === 0)!;
		vault.updateSecret(names[10]!, {description: 'second'});
		vault.deleteSecret(names[11]!);
		setPage(db, 0, {nonce: old.nonce, ciphertext: old.ciphertext});

		const listed = vault.listSecrets();
		// Sealed under the MAC its bucket had before the update, the old page no longer opens.
		assert.equal(pageStats.failedPages, 1, 'the old page was noticed');
		assert.equal(listed.find(secret => secret.name === names[10])!.description, 'second');
		assert.equal(listed.some(secret => secret.name === names[11]), false, 'a deleted secret does not come back from an old page');
		assert.equal(listed.length, count - 1);
		assert.deepEqual(pageStats.fromRecords, 255 - 1, 'page 0 (rowids 1 to 255, one deleted) listed from its records');
		vault.listSecrets();
		assert.equal(pageStats.fromRecords, 0, 'and the page was re-sealed');
	});

	test('a page deleted: rebuilt from the records, silently', async t => {
		const {vault, db} = await setup(t);
		const truth = fromRecords(vault);
		db.exec('DELETE FROM pages WHERE page = 2');
		assert.deepEqual(vault.listSecrets(), truth);
		assert.deepEqual([pageStats.failedPages, pageStats.outdatedPages, pageStats.fromRecords], [0, 0, count - 511]);
		assertListedFromPages(vault);
	});

	test('a record whose nonce, length or tag changed behind a current page is still refused by list, as without pages', async t => {
		const {vault, db} = await setup(t);
		const id = vault.describeSecret(names[300]!).id;
		const row = readRecord(db, id);
		const refused = (error: unknown) => error instanceof IntegrityError && !error.message.includes('\n');
		const last = row.meta_ciphertext.length - 1;
		for (const [column, bytes] of [
			['meta_nonce', flipByte(row.meta_nonce, 0)],
			['meta_ciphertext', flipByte(row.meta_ciphertext, last)],
			['meta_ciphertext', flipByte(row.meta_ciphertext, last - 15)],
			['meta_ciphertext', row.meta_ciphertext.subarray(0, last)],
		] as const) {
			db.prepare(`UPDATE records SET ${column} = ? WHERE id = ?`).run(bytes, id);
			assert.throws(() => vault.listSecrets(), refused, `${column} of ${bytes.length} bytes`);
			db.prepare('UPDATE records SET meta_nonce = ?, meta_ciphertext = ? WHERE id = ?').run(row.meta_nonce, row.meta_ciphertext, id);
		}

		assertListedFromPages(vault);
	});

	test('a record whose body changed behind its tag: list shows the authentic metadata its page was sealed from, every open refuses', async t => {
		// The page entry is bound to (nonce, length, tag): under one key that pair authenticates exactly
		// one ciphertext, the one the entry was sealed from, so a forged body under it never shows.
		const {vault, db} = await setup(t);
		const id = vault.describeSecret(names[300]!).id;
		const row = readRecord(db, id);
		db.prepare('UPDATE records SET meta_ciphertext = ? WHERE id = ?').run(flipByte(row.meta_ciphertext, 3), id);
		const listed = vault.listSecrets().find(summary => summary.id === id);
		assert.equal(listed?.description, 'first 300');
		assert.deepEqual([pageStats.fromPages, pageStats.fromRecords], [count, 0]);
		assert.throws(() => vault.describeSecret(names[300]!), IntegrityError);
		assert.throws(() => vault.getSecret(names[300]!), IntegrityError);
	});

	test('a record and its page rolled back together: the page no longer opens, and its bucket refuses the record to list and get', async t => {
		const {home, vault, db} = await setup(t);
		const id = vault.describeSecret(names[5]!).id;
		const oldRow = readRecord(db, id);
		const oldPage = pages(db)[0]!;
		vault.updateSecret(names[5]!, {values: {KEY: 'rotated'}, description: 'rotated'});
		vault.close();
		db.prepare('UPDATE records SET revision = ?, meta_nonce = ?, meta_ciphertext = ?, values_nonce = ?, values_ciphertext = ? WHERE id = ?').run(
			oldRow.revision, oldRow.meta_nonce, oldRow.meta_ciphertext, oldRow.values_nonce, oldRow.values_ciphertext, id,
		);
		setPage(db, 0, {nonce: oldPage.nonce, ciphertext: oldPage.ciphertext});
		const again = await openVault({home, passphrase});
		t.after(() => again.close());
		const rolledBack = (error: unknown) => error instanceof IntegrityError && /do not match its rollback digest/.test(error.message);
		assert.throws(() => again.listSecrets(), rolledBack);
		assert.throws(() => again.getSecret(names[5]!), rolledBack);
		assert.throws(() => again.describeSecret(names[6]!), rolledBack, 'a secret of the same bucket');
		// Unlock checks the seal; a read in a vault of a few buckets checks them all.
		assert.throws(() => again.getSecret(names[400]!), rolledBack, 'a secret of another bucket');
	});
});

describe('through the CLI', () => {
	test('hush list with a damaged page: one warning line on stderr, the records\' list on stdout, exit 0', async t => {
		const home = await initHome(t);
		for (const name of ['alpha', 'beta']) {
			await hushOk(['set', name, '--KEY=@@v'], {home});
		}

		const clean = await hushOk(['list', '--json'], {home});
		const db = openRaw(home);
		const page = pages(db)[0]!;
		db.prepare('UPDATE pages SET ciphertext = ? WHERE page = 0').run(flipByte(page.ciphertext, 5));
		db.close();

		const run = await hushOk(['list', '--json'], {home});
		assert.equal(run.stdout, clean.stdout);
		assert.match(run.stderr, /^hush: warning: metadata page 0 failed its integrity check: listed from the records instead, and rebuilt\n$/);
		const again = await hushOk(['list', '--json'], {home});
		assert.equal(again.stderr, '');

		// A record's body flipped behind its tag: list shows the authentic entry, show refuses; its tag flipped: list refuses too.
		const bad = openRaw(home);
		const row = bad.prepare("SELECT id, meta_ciphertext FROM records WHERE rowid = (SELECT min(rowid) FROM records)").get() as {id: string; meta_ciphertext: Uint8Array};
		const setMeta = bad.prepare('UPDATE records SET meta_ciphertext = ? WHERE id = ?');
		setMeta.run(flipByte(row.meta_ciphertext, 0), row.id);
		assert.equal((await hushOk(['list', '--json'], {home})).stdout, clean.stdout);
		assertOneLineError(await hush(['show', 'alpha'], {home}), /integrity|altered|authentication/);
		setMeta.run(flipByte(row.meta_ciphertext, row.meta_ciphertext.length - 1), row.id);
		bad.close();
		assertOneLineError(await hush(['list'], {home}), /integrity/);
	});
});
