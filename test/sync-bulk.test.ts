/**
 * The bulk paths of sync (engine.ts, pending.ts): an initial push reads each record's private flag
 * from the sealed metadata pages, and a pull applies a clean page in one savepoint, falling back to
 * one savepoint a record when one fails. Either way every record is opened and checked, the audit
 * log gets one entry per applied record and still verifies, the rollback digest and the pages
 * agree with the rows (the clone opens again, and lists from its pages), and a bad record in the
 * middle of a page is quarantined while the rest apply. Real vault files, a real `hush serve`.
 */
import assert from 'node:assert/strict';
import {DatabaseSync} from 'node:sqlite';
import {test, type TestContext} from 'node:test';
import {addRemote, clone, sync} from '../source/sync/index.js';
import {openVault} from '../source/unlock/open-vault.js';
import {pageStats} from '../source/vault/pages.js';
import {Vault} from '../source/vault/vault.js';
import {passphrase, tempHome} from './helpers/hush-cli.js';
import {runningServer} from './helpers/sync-server.js';
import {fastKdf} from './helpers/vault-fixtures.js';

/** More than one of the server's pull pages (2,000 records), and well past the bulk threshold of the push. */
const count = 2300;

async function pushedVault(t: TestContext) {
	const {db, server, token} = await runningServer(t);
	const source = await Vault.init({home: tempHome(t), passphrase, kdf: fastKdf, command: 'test'});
	t.after(() => source.close());
	// Every seventh secret private: the wire's private flag must match each one's sealed metadata.
	source.createSecrets(Array.from({length: count}, (_, index) => ({name: `secret-${index}`, values: {KEY: `value-${index}`}, options: {private: index % 7 === 0}})));
	addRemote(source, {url: server.url, token, insecure: false});
	const pushed = await sync(source);
	assert.equal(pushed.pushed, count);
	assert.equal(pushed.newlyQuarantined, 0);
	return {db, server, token, source};
}

/** Names with their private flag, sorted: what a listing shows. */
function listing(vault: Vault, except?: string): string[] {
	return vault
		.listSecrets()
		.filter(secret => secret.id !== except)
		.map(secret => `${secret.name}${secret.private ? ' (private)' : ''}`)
		.sort();
}

test('a clone of more than a page: every record applied, one audit entry each, the chain, the digest and the pages hold', {timeout: 300_000}, async t => {
	const {server, token, source} = await pushedVault(t);
	const home = tempHome(t);
	const {report} = await clone({home, url: server.url, token, insecure: false, passphrase: async () => passphrase, command: 'test'});
	assert.equal(report.pulled, count);
	assert.equal(report.newlyQuarantined, 0);

	// Opened afresh: the rollback digest the pull left must match the rows, or this refuses.
	const copy = await openVault({home, passphrase, command: 'test'});
	t.after(() => copy.close());
	assert.deepEqual(listing(copy), listing(source));
	// The listing came from the sealed pages the pull wrote, not from the records.
	assert.equal(pageStats.fromRecords, 0);
	assert.equal(pageStats.fromPages, count);
	assert.equal(copy.getSecret('secret-1234').values['KEY'], 'value-1234');
	assert.equal(copy.getSecret('secret-0').values['KEY'], 'value-0');

	const creates = copy.auditLog().filter(entry => entry.action === 'create');
	assert.equal(creates.length, count);
	assert.deepEqual(new Set(creates.map(entry => entry.recordId)), new Set(copy.listSecrets().map(secret => secret.id)));
	assert.deepEqual(copy.verifyAuditLog(), {ok: true, entries: copy.auditLog().length});
});

test('a record that fails to open in the middle of a page: set aside, the rest of the page applied, the log and digest still hold', {timeout: 300_000}, async t => {
	const {db, server, token, source} = await pushedVault(t);
	// The server hands out one record's sealed metadata under another's id: it fails to open there
	// (its AAD names the original id), like a tampered record.
	const ids = source.listSecrets().map(secret => secret.id);
	const [victim, donor] = [ids[1000]!, ids[1001]!];
	const serverDb = new DatabaseSync(db);
	const sealed = serverDb.prepare('SELECT meta_nonce, meta_ct FROM records WHERE id = ?').get(donor) as {meta_nonce: string; meta_ct: string};
	assert.equal(serverDb.prepare('UPDATE records SET meta_nonce = ?, meta_ct = ? WHERE id = ?').run(sealed.meta_nonce, sealed.meta_ct, victim).changes, 1);
	serverDb.close();

	const home = tempHome(t);
	const {report} = await clone({home, url: server.url, token, insecure: false, passphrase: async () => passphrase, command: 'test'});
	assert.equal(report.pulled, count);
	assert.equal(report.newlyQuarantined, 1);
	assert.deepEqual(report.quarantined.map(({id}) => id), [victim]);

	const copy = await openVault({home, passphrase, command: 'test'});
	t.after(() => copy.close());
	assert.deepEqual(listing(copy), listing(source, victim));
	assert.ok(copy.listSecrets().some(secret => secret.id === donor));
	assert.equal(pageStats.fromRecords, 0);

	const creates = copy.auditLog().filter(entry => entry.action === 'create');
	assert.equal(creates.length, count - 1);
	assert.ok(!creates.some(entry => entry.recordId === victim));
	assert.deepEqual(copy.verifyAuditLog(), {ok: true, entries: copy.auditLog().length});
});
