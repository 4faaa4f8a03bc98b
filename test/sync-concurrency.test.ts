/**
 * 4 clients × 50 writes each against one server (SQLite, then PostgreSQL with two `hush serve`
 * processes sharing the database), with overlapping secrets: after a final sync every client holds
 * the same state and no acknowledged write is lost. The clients are SDK vaults in separate homes,
 * syncing concurrently through the real HTTP API.
 */
import assert from 'node:assert/strict';
import {describe, test, type TestContext} from 'node:test';
import {clone, sync} from '../source/sync/index.js';
import {openVault} from '../source/unlock/open-vault.js';
import {Vault} from '../source/vault/vault.js';
import {passphrase, tempHome} from './helpers/hush-cli.js';
import {initServerDb, type RunningServer, serverToken, startPostgres, startServer} from './helpers/sync-server.js';
import {fastKdf} from './helpers/vault-fixtures.js';

const clients = 4;
const writes = 50;
const shared = 5;

async function snapshot(vault: Vault): Promise<string> {
	const secrets = vault.listSecrets().map(summary => ({name: summary.name, values: vault.getSecret(summary.id).values}));
	return JSON.stringify(secrets);
}

async function run(t: TestContext, db: string, servers: RunningServer[]): Promise<void> {
	const token = await serverToken(db, ['token', 'create', '--user', 'team', '--perm', 'secrets:read,secrets:write']);
	const first = await Vault.init({home: tempHome(t), passphrase, kdf: fastKdf, command: 'test'});
	t.after(() => first.close());
	first.createSecrets(Array.from({length: shared}, (_, index) => ({name: `shared-${index}`, values: {SEED: 'seed'}})));
	const {addRemote} = await import('../source/sync/index.js');
	addRemote(first, {url: servers[0]!.url, token, insecure: false});
	await sync(first);
	const vaults = [first];
	for (let index = 1; index < clients; index++) {
		const home = tempHome(t);
		await clone({home, url: servers[index % servers.length]!.url, token, insecure: false, passphrase: async () => passphrase, command: 'test'});
		const vault = await openVault({home, passphrase, command: 'test'});
		t.after(() => vault.close());
		vaults.push(vault);
	}

	const acknowledged: Array<{name: string; key: string; value: string}> = [];
	let failedSyncs = 0;
	await Promise.all(
		vaults.map(async (vault, client) => {
			const pending: Array<{name: string; key: string; value: string}> = [];
			for (let index = 0; index < writes; index++) {
				// Overlap: every other write goes to one of the shared secrets, under this client's own key.
				const name = index % 2 === 0 ? `shared-${index % shared}` : `client-${client}-${index}`;
				const write = {name, key: `C${client}_W${index}`, value: `value-${client}-${index}`};
				vault.setSecret(write.name, {[write.key]: write.value});
				pending.push(write);
				try {
					await sync(vault);
					acknowledged.push(...pending.splice(0));
				} catch {
					// Not acknowledged: the write stays local and pending; a later sync pushes it.
					failedSyncs++;
				}
			}
		}),
	);

	// Final rounds: every client syncs until nothing is pending anywhere.
	for (let round = 0; round < 3; round++) {
		for (const vault of vaults) {
			const report = await sync(vault);
			assert.equal(report.conflicts, 0);
		}
	}

	const states = await Promise.all(vaults.map(vault => snapshot(vault)));
	for (const state of states.slice(1)) {
		assert.equal(state, states[0], 'every client holds the same state');
	}

	const final = vaults[0]!;
	// A sync may give up after its bounded retries under this much contention; its writes then stay
	// pending and count as unacknowledged. Most syncs succeed.
	assert.ok(acknowledged.length > clients * writes / 2, `${acknowledged.length} acknowledged writes, ${failedSyncs} failed syncs`);
	for (const write of acknowledged) {
		assert.equal(final.getSecret(write.name).get(write.key), write.value, `acknowledged write ${write.name}.${write.key} lost`);
	}

	// Every write, acknowledged or not, made it after the final syncs.
	const all = final.listSecrets();
	assert.equal(all.length, shared + clients * (writes / 2));
	const sharedKeys = all.filter(summary => summary.name.startsWith('shared-')).reduce((total, summary) => total + summary.keys.length, 0);
	assert.equal(sharedKeys, shared + clients * (writes / 2));
}

describe('4 clients × 50 writes with overlapping secrets', () => {
	test('against SQLite', async t => {
		const {db} = await initServerDb(t);
		const server = await startServer(db);
		t.after(() => server.stop());
		await run(t, db, [server]);
	});

	test('against PostgreSQL, two servers sharing the database', async t => {
		const url = await startPostgres(t);
		await serverToken(url, ['init']);
		const one = await startServer(url);
		const two = await startServer(url);
		t.after(async () => {
			await one.stop();
			await two.stop();
		});
		await run(t, url, [one, two]);
	});
});
