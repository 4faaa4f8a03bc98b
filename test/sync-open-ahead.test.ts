/**
 * A large pulled page is opened in a worker thread ahead of its apply (source/sync/open-ahead.ts),
 * and the vault takes an opened part only for exactly the bytes it was opened from
 * (vault/opened-ahead.ts). What a pull applies and what it refuses must not depend on it: the same
 * records, pulled once as one page of 600 (the worker opens it) and once in pages of 150 (below the
 * worker's threshold, opened on the main thread, one page falling back to one savepoint a record),
 * leave the same rows, the same quarantine with the same reasons, and the same audit log; and so
 * does the page written in chunks as a clone writes it (cut where the copy's metadata pages end:
 * 127, 384 and 89 records, a transaction and a worker message each). Bad records sit in the middle of the page, in both chunks: one with a NUL
 * in a value, one with an escape in its name, one that fails to open at all.
 */
import assert from 'node:assert/strict';
import {copyFileSync, mkdirSync} from 'node:fs';
import {join} from 'node:path';
import {test, type TestContext} from 'node:test';
import type {WireRecord} from '../source/protocol/index.js';
import type {RemoteClient} from '../source/sync/client.js';
import {type SyncReport, SyncEngine} from '../source/sync/engine.js';
import {aheadStats} from '../source/sync/open-ahead.js';
import type {PulledPage} from '../source/sync/pulled-page.js';
import {PageFeed, applyChunk} from '../source/sync/pulled-pages.js';
import {rowToPush} from '../source/sync/wire.js';
import {openVault} from '../source/unlock/open-vault.js';
import {OpenedAhead, type SealedPart} from '../source/vault/opened-ahead.js';
import {Vault} from '../source/vault/vault.js';
import {passphrase, tempHome} from './helpers/hush-cli.js';
import {fastKdf} from './helpers/vault-fixtures.js';

const count = 600;

/** A client that serves `records` from memory in pages of `pageSize`, and takes nothing. */
function clientServing(records: readonly WireRecord[], pageSize: number): RemoteClient {
	const pages: PulledPage[] = [];
	for (let start = 0; start < records.length; start += pageSize) {
		pages.push({records: records.slice(start, start + pageSize), malformed: [], cursor: pages.length + 1, more: start + pageSize < records.length});
	}

	return {
		async putHeader() {},
		async pulledPage(_vaultId: string, since: number) {
			return pages[since]!;
		},
		async push() {
			throw new Error('nothing should be pushed');
		},
	} as unknown as RemoteClient;
}

/** A source vault of `count` secrets, three of them made bad, as the server would send them; and three empty copies of it (same keys). */
async function setup(t: TestContext) {
	const home = tempHome(t);
	const created = await Vault.init({home, passphrase, kdf: fastKdf, command: 'test'});
	created.close();
	const copies = ['a', 'b', 'c'].map(name => {
		const copy = join(tempHome(t), name);
		mkdirSync(copy, {mode: 0o700});
		copyFileSync(join(home, 'vault.db'), join(copy, 'vault.db'));
		return copy;
	});
	const source = await openVault({home, passphrase, command: 'test'});
	t.after(() => source.close());
	source.createSecrets(Array.from({length: count}, (_, index) => ({name: `secret-${index}`, values: {KEY: `value-${index}`}, options: {private: index % 5 === 0}})));
	const store = source.syncStore();
	const rows = store.read(() => store.allRecords());
	const [nul, badName, unopenable, donor] = [rows[100]!, rows[350]!, rows[550]!, rows[551]!];
	// Sealed with the vault's key but failing hush's checks: a NUL in a value, an escape in a name.
	store.write(() => {
		const meta = store.openMeta(nul);
		store.sealMerged({id: nul.id, revision: nul.revision + 1, meta, values: new Map([['KEY', Buffer.from('a\0b')]])});
		const named = store.openMeta(badName);
		store.sealMerged({id: badName.id, revision: badName.revision + 1, meta: {...named, name: 'bad\u001B[31m'}, values: new Map([['KEY', Buffer.from('x')]])});
	});
	const sent = store.read(() => store.allRecords().map(row => {
		const {baseRev: _base, ...wire} = rowToPush(row, 0, store.openMeta(row).private);
		return wire as WireRecord;
	}));
	// Another record's values under this id: its AAD names the other record, so it fails to open.
	const index = sent.findIndex(record => record.id === unopenable.id);
	sent[index] = {...sent[index]!, values: sent.findLast(record => record.id === donor.id)!.values};
	return {sent, copies, bad: [nul.id, badName.id, unopenable.id].sort()};
}

/** A pull into the copy at `home`; `chunk`: written (and opened) that many records at a time, as a clone does. */
async function pullInto(home: string, client: RemoteClient, t: TestContext, chunk?: number) {
	const vault = await openVault({home, passphrase, command: 'test'});
	t.after(() => vault.close());
	const feed = chunk === undefined ? undefined : new PageFeed(async since => client.pulledPage(vault.id, since), 0, chunk);
	const report: SyncReport = await new SyncEngine(vault, client).run(feed);
	const store = vault.syncStore();
	const rows = store.read(() => store.allRecords()).map(row => ({...row, name_mac: null}));
	return {vault, report, rows: rows.sort((a, b) => a.id.localeCompare(b.id))};
}

test('a page opened in the worker applies and refuses exactly what the main thread does', {timeout: 120_000}, async t => {
	const {sent, copies, bad} = await setup(t);
	const before = aheadStats.workerOpened;
	const ahead = await pullInto(copies[0]!, clientServing(sent, count), t);
	// The worker opened the page's 1,200 parts, all but the one that fails to open.
	assert.equal(aheadStats.workerOpened - before, 2 * count - 1);
	const chunked = await pullInto(copies[2]!, clientServing(sent, count), t, applyChunk);
	assert.equal(aheadStats.workerOpened - before, 2 * (2 * count - 1));
	const opened = aheadStats.workerOpened;
	const here = await pullInto(copies[1]!, clientServing(sent, 150), t);
	assert.equal(aheadStats.workerOpened, opened, 'pages of 150 are opened on the main thread');

	assert.deepEqual(chunked.rows, here.rows);
	assert.deepEqual(chunked.vault.auditLog().map(entry => `${entry.action} ${entry.recordId}`), here.vault.auditLog().map(entry => `${entry.action} ${entry.recordId}`));
	assert.deepEqual(chunked.report.quarantined.map(({id, reason}) => `${id} ${reason}`).sort(), here.report.quarantined.map(({id, reason}) => `${id} ${reason}`).sort());
	for (const {report} of [ahead, chunked, here]) {
		assert.equal(report.pulled, count);
		assert.deepEqual(report.quarantined.map(entry => entry.id).sort(), bad);
	}

	const reasons = (report: SyncReport) => report.quarantined.map(({id, reason}) => `${id} ${reason}`).sort();
	assert.deepEqual(reasons(ahead.report), reasons(here.report));
	assert.equal(ahead.rows.length, count - bad.length);
	assert.deepEqual(ahead.rows, here.rows);
	assert.deepEqual(ahead.vault.listSecrets().map(secret => secret.name).sort(), here.vault.listSecrets().map(secret => secret.name).sort());
	const log = (vault: Vault) => vault.auditLog().map(entry => `${entry.action} ${entry.recordId}`);
	assert.deepEqual(log(ahead.vault), log(here.vault));
	for (const {vault} of [ahead, here]) {
		assert.deepEqual(vault.verifyAuditLog(), {ok: true, entries: vault.auditLog().length});
		assert.equal(vault.getSecret('secret-599').values['KEY'], 'value-599');
	}
});

test('an opened part is taken only for exactly its bytes, once, and what is not taken is wiped', () => {
	const bytes = (length: number, fill: number) => new Uint8Array(length).fill(fill);
	const part: SealedPart = {key: bytes(32, 1), nonce: bytes(12, 2), ciphertext: bytes(40, 3), aad: bytes(20, 4)};
	const ahead = new OpenedAhead();
	const plaintext = bytes(24, 9);
	ahead.offer(part, plaintext);
	for (const other of [{...part, key: bytes(32, 5)}, {...part, nonce: bytes(12, 5)}, {...part, ciphertext: bytes(40, 5)}, {...part, ciphertext: bytes(39, 3)}]) {
		ahead.offer(part, plaintext);
		assert.equal(ahead.take(other), undefined);
		assert.deepEqual(plaintext, bytes(24, 0), 'an offer met with other bytes is wiped');
		plaintext.fill(9);
	}

	ahead.offer(part, plaintext);
	assert.equal(ahead.take({...part, aad: bytes(20, 5)}), undefined, 'another AAD finds no offer');
	assert.equal(ahead.take({...part}), plaintext);
	assert.equal(ahead.take({...part}), undefined, 'taken once');
	const left = bytes(24, 7);
	ahead.offer(part, left);
	ahead.drop();
	assert.deepEqual(left, bytes(24, 0));
	assert.equal(ahead.take(part), undefined);
});
