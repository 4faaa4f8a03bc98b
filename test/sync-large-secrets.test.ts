// Secrets near the size limits through a real `hush serve`: a vault of 64 KiB values is far over
// one push request's 8 MiB and one page's 16 MiB of ciphertext, so pushes go in batches bounded by
// bytes (source/sync/push-batches.ts) and pulls in pages bounded by bytes (server/record-routes.ts).
// With a server whose --max-body is lower still, a batch is halved on 413, and a secret that alone
// is over it is named and left unpushed while the rest go.
import assert from 'node:assert/strict';
import {randomBytes} from 'node:crypto';
import {writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {test} from 'node:test';
import {RemoteClient} from '../source/sync/client.js';
import {openVault} from '../source/unlock/open-vault.js';
import {hush, hushOk, initHome, passphrase, tempHome, vaultDigest} from './helpers/hush-cli.js';
import {initServerDb, serverToken, startServer} from './helpers/sync-server.js';

/** Two keys of about 60 KB each: some 160 KB on the wire, base64 of the sealed values included. */
const large = (index: number) => ({name: `bundle-${index}`, values: {CERT: randomBytes(45_000).toString('base64'), KEY: randomBytes(45_000).toString('base64')}});

async function vaultWith(t: Parameters<typeof initHome>[0], secrets: Array<{name: string; values: Record<string, string>}>): Promise<string> {
	const home = await initHome(t);
	const vault = await openVault({home, passphrase});
	vault.createSecrets(secrets);
	vault.close();
	return home;
}

test('120 secrets of large values push in batches and pull in pages bounded by bytes, whole on another device', async t => {
	const {db} = await initServerDb(t);
	const server = await startServer(db);
	t.after(() => server.stop());
	const token = await serverToken(db, ['token', 'create', '--user', 'alice', '--perm', 'secrets:read,secrets:write']);
	const secrets = Array.from({length: 120}, (_, index) => large(index));
	const home = await vaultWith(t, secrets);
	await hushOk(['remote', 'add', server.url, '--token-stdin'], {home, input: token});
	const pushed = await hushOk(['sync'], {home});
	assert.match(pushed.stderr + pushed.stdout, /120 pushed/);

	// About 19 MB of ciphertext: the server's first page stops near 16 MiB and says there is more.
	const client = new RemoteClient(server.url, token);
	const vaultId = (await client.listVaults())[0]!.id;
	const ids: string[] = [];
	let page = await client.changes(vaultId, 0);
	assert.ok(page.records.length > 1 && page.records.length < 120 && page.more, `first page: ${page.records.length} records, more ${page.more}`);
	for (ids.push(...page.records.map(record => record.id)); page.more; ids.push(...page.records.map(record => record.id))) {
		page = await client.changes(vaultId, page.cursor);
	}

	assert.equal(new Set(ids).size, 120);
	const laptop = tempHome(t);
	await hushOk(['clone', server.url, '--token-stdin'], {home: laptop, input: token});
	assert.equal((await hushOk(['get', 'bundle-77', 'KEY'], {home: laptop})).stdout, secrets[77]!.values.KEY);
	assert.equal((await hushOk(['list', '--json'], {home: laptop})).stdout.match(/"name":/g)?.length, 120);
});

test('below a low --max-body a push is split until it fits; a secret alone over it is named, the rest pushed', async t => {
	const {db} = await initServerDb(t);
	// 200 KB per request: one of the large secrets at a time, and none of three such values.
	const server = await startServer(db, {extra: ['--max-body', '200000']});
	t.after(() => server.stop());
	const token = await serverToken(db, ['token', 'create', '--user', 'alice', '--perm', 'secrets:read,secrets:write']);
	const home = await vaultWith(t, [
		...Array.from({length: 9}, (_, index) => large(index)),
		{name: 'huge', values: {A: randomBytes(45_000).toString('base64'), B: randomBytes(45_000).toString('base64'), C: randomBytes(45_000).toString('base64')}},
		{name: 'small', values: {TOKEN: 'tok_small'}},
	]);
	await hushOk(['remote', 'add', server.url, '--token-stdin'], {home, input: token});
	const run = await hush(['sync'], {home});
	assert.equal(run.code, 1, run.stderr);
	assert.match(run.stdout + run.stderr, /10 pushed/);
	assert.match(run.stderr, /not pushed: secret huge \([0-9a-f-]{36}\) is too large for one request to this server \(its operator can raise hush serve --max-body; a secret over 192 KiB sealed must be split\)/);
	assert.doesNotMatch(run.stderr, /at .*\.js:\d+/, 'no stack trace');

	const other = tempHome(t);
	await hushOk(['clone', server.url, '--token-stdin'], {home: other, input: token});
	const names = (JSON.parse((await hushOk(['list', '--json'], {home: other})).stdout) as Array<{name: string}>).map(entry => entry.name).sort();
	assert.deepEqual(names, [...Array.from({length: 9}, (_, index) => `bundle-${index}`), 'small'].sort());
	// The refused secret is still here, whole, and still waiting to be pushed.
	assert.equal((await hushOk(['get', 'huge', 'C'], {home})).stdout.length, 60_000);
	assert.match((await hushOk(['status'], {home})).stdout, /^synced +10\npending +1$/m);
});

test('a secret whose values could not travel in one sync record is refused when written, and nothing is stored', async t => {
	const home = await initHome(t);
	const values = Object.fromEntries(['A', 'B', 'C', 'D'].map(key => [key, randomBytes(45_000).toString('base64')]));
	const before = vaultDigest(home);
	const files = tempHome(t);
	writeFileSync(join(files, 'four.json'), JSON.stringify(values));
	writeFileSync(join(files, 'three.json'), JSON.stringify({A: values['A'], B: values['B'], C: values['C']}));
	const run = await hush(['set', 'too-big', '--values', `@${join(files, 'four.json')}`], {home});
	assert.notEqual(run.code, 0);
	assert.match(run.stderr, /^hush: secret too-big would hold 23\d KiB of values; the limit is 192 KiB a secret, what one record carries through sync: split it into several secrets\n$/);
	assert.equal(vaultDigest(home), before);
	// Three of them fit.
	await hushOk(['set', 'fits', '--values', `@${join(files, 'three.json')}`], {home});
});
