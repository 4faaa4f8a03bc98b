/**
 * The server's security properties, against a real `hush serve` on 127.0.0.1: authentication,
 * permissions, private records, vault isolation, limits, and that it never holds plaintext.
 */
import assert from 'node:assert/strict';
import {readFileSync, existsSync} from 'node:fs';
import {request as httpRequest} from 'node:http';
import {DatabaseSync} from 'node:sqlite';
import {test} from 'node:test';
import {gzipSync} from 'node:zlib';
import {hush, initHome, tempHome} from './helpers/hush-cli.js';
import {initServerDb, serverToken, startServer} from './helpers/sync-server.js';

async function ok(args: string[], home: string, input?: string): Promise<string> {
	const run = await hush(args, {home, input});
	assert.equal(run.code, 0, `hush ${args.join(' ')} failed (${run.code}): ${run.stderr}`);
	return run.stdout;
}

async function api(url: string, token: string | undefined, method = 'GET', body?: string): Promise<{status: number; json: Record<string, unknown>}> {
	const response = await fetch(url, {
		method,
		headers: {...(token === undefined ? {} : {authorization: `Bearer ${token}`}), ...(body === undefined ? {} : {'content-type': 'application/json'})},
		body,
	});
	const text = await response.text();
	return {status: response.status, json: JSON.parse(text) as Record<string, unknown>};
}

test('server security: tokens, permissions, private records, vault isolation, limits, no plaintext', async t => {
	const {db, admin} = await initServerDb(t);
	const server = await startServer(db, {extra: ['--max-body', '200000', '--max-records', '50']});
	t.after(() => server.stop());
	const base = server.url;

	// Tokens: printed alone on the last line; a second init is refused.
	const again = await hush(['server', 'init', '--db', db], {home: tempHome(t)});
	assert.equal(again.code, 1);
	assert.match(admin, /^hush_[0-9a-f]{16}_[A-Za-z0-9_-]{43}$/);
	const alice = await serverToken(db, ['token', 'create', '--user', 'alice', '--perm', 'secrets:read,secrets:write']);
	const aliceRead = await serverToken(db, ['token', 'create', '--user', 'alice', '--perm', 'secrets:read']);
	const carol = await serverToken(db, ['token', 'create', '--user', 'carol', '--perm', 'secrets:read,secrets:write']);

	// Alice's device: one public secret, one private secret holding the canary.
	const canaryName = 'canary-name-5b1f0e';
	const canaryValue = 'CANARY-VALUE-9d8c7b6a5f4e3d2c';
	const a = await initHome(t);
	await ok(['remote', 'add', base, '--token-stdin'], a, alice);
	await ok(['set', 'team-db', '--stdin', 'PASS'], a, 'team-value');
	await ok(['set', canaryName, '--private', '--stdin', 'CANARY'], a, canaryValue);
	await ok(['sync'], a);
	const vaultId = (JSON.parse(await ok(['status', '--json'], a)) as {vaultId: string}).vaultId;
	const privateId = (JSON.parse(await ok(['show', canaryName, '--json'], a)) as {id: string}).id;

	// The header on the server carries key slot 1 (the passphrase slot) and nothing else secret.
	const header = (await api(`${base}/v1/vaults/${vaultId}`, alice)).json['header'] as Record<string, unknown>;
	assert.deepEqual(Object.keys(header).sort(), ['createdAt', 'format', 'keyGeneration', 'keyslot', 'vaultId']);
	assert.deepEqual([(header['keyslot'] as {slot: number}).slot, (header['keyslot'] as {kind: string}).kind], [1, 'passphrase']);

	// Bob is given access to Alice's vault by the operator.
	const bob = await serverToken(db, ['token', 'create', '--user', 'bob', '--perm', 'secrets:read,secrets:write', '--vault', vaultId]);

	// 401: no token, malformed token, a well-formed token with the wrong secret, a revoked token.
	assert.equal((await api(`${base}/v1/vaults`, undefined)).status, 401);
	assert.equal((await api(`${base}/v1/vaults`, 'nonsense')).status, 401);
	const wrong = `${alice.slice(0, 22)}${alice.at(22) === 'A' ? 'B' : 'A'}${alice.slice(23)}`;
	const unauthorized = await api(`${base}/v1/vaults/${vaultId}/changes`, wrong);
	assert.equal(unauthorized.status, 401);
	assert.deepEqual(Object.keys(unauthorized.json), ['error']);
	const spare = await serverToken(db, ['token', 'create', '--user', 'alice', '--perm', 'secrets:read']);
	assert.equal((await api(`${base}/v1/vaults`, spare)).status, 200);
	const listed = JSON.parse(await ok(['server', 'token', 'list', '--json', '--db', db], tempHome(t))) as Array<{id: string; user: string}>;
	assert.ok(!JSON.stringify(listed).includes(spare.slice(23)), 'token list never shows a secret');
	const spareId = spare.slice(5, 21);
	await ok(['server', 'token', 'revoke', spareId, '--db', db], tempHome(t));
	assert.equal((await api(`${base}/v1/vaults`, spare)).status, 401);

	// 403: a read-only token pushing, and a non-admin reading the server audit log.
	const readOnly = tempHome(t);
	await ok(['clone', base, '--token-stdin'], readOnly, aliceRead);
	await ok(['set', 'ro-attempt', '--K=v'], readOnly);
	const refused = await hush(['sync'], {home: readOnly});
	assert.equal(refused.code, 1);
	assert.match(refused.stderr, /^hush: .*\(403\).*secrets:write/);
	assert.equal((await api(`${base}/v1/audit`, alice)).status, 403);

	// Private records: absent from everything Bob gets, and unwritable by him.
	const bobHome = tempHome(t);
	await ok(['clone', base, '--token-stdin'], bobHome, bob);
	const bobList = JSON.parse(await ok(['list', '--json'], bobHome)) as Array<{name: string}>;
	assert.deepEqual(bobList.map(secret => secret.name), ['team-db']);
	const bobChanges = await api(`${base}/v1/vaults/${vaultId}/changes?since=0`, bob);
	assert.equal(bobChanges.status, 200);
	assert.ok(!JSON.stringify(bobChanges.json).includes(privateId));
	const aliceChanges = await api(`${base}/v1/vaults/${vaultId}/changes?since=0`, alice);
	const privateRecord = (aliceChanges.json['records'] as Array<Record<string, unknown>>).find(record => record['id'] === privateId)!;
	assert.equal(privateRecord['private'], true);
	const overwrite = {...privateRecord, baseRev: privateRecord['rev'], rev: Number(privateRecord['rev']) + 1};
	const forged = await api(`${base}/v1/vaults/${vaultId}/records`, bob, 'POST', JSON.stringify({records: [overwrite]}));
	assert.equal(forged.status, 200);
	assert.deepEqual(forged.json['results'], [{id: privateId, status: 'not_found'}]);
	const stale = await api(`${base}/v1/vaults/${vaultId}/records`, bob, 'POST', JSON.stringify({records: [{...overwrite, baseRev: 0}]}));
	assert.ok(!JSON.stringify(stale.json).includes(String((privateRecord['meta'] as {ciphertext: string}).ciphertext)));
	const afterForgery = await api(`${base}/v1/vaults/${vaultId}/changes?since=0`, alice);
	assert.deepEqual((afterForgery.json['records'] as Array<Record<string, unknown>>).find(record => record['id'] === privateId), privateRecord);

	// Cross-vault: Carol's token gets nothing of Alice's vault, and Bob's reaches only Alice's.
	const carolHome = await initHome(t);
	await ok(['remote', 'add', base, '--token-stdin'], carolHome, carol);
	await ok(['set', 'carol-secret', '--K=v'], carolHome);
	await ok(['sync'], carolHome);
	const carolVault = (JSON.parse(await ok(['status', '--json'], carolHome)) as {vaultId: string}).vaultId;
	assert.deepEqual((await api(`${base}/v1/vaults`, carol)).json['vaults'], [{id: carolVault, createdAt: ((await api(`${base}/v1/vaults`, carol)).json['vaults'] as Array<{createdAt: string}>)[0]!.createdAt}]);
	for (const path of [`/v1/vaults/${vaultId}`, `/v1/vaults/${vaultId}/changes?since=0`]) {
		assert.equal((await api(base + path, carol)).status, 404);
	}

	assert.equal((await api(`${base}/v1/vaults/${vaultId}/records`, carol, 'POST', JSON.stringify({records: [overwrite]}))).status, 404);
	assert.equal((await api(`${base}/v1/vaults/${carolVault}/changes?since=0`, bob)).status, 404);
	const carolClone = await hush(['clone', base, '--token-stdin', '--vault', vaultId], {home: tempHome(t), input: carol});
	assert.equal(carolClone.code, 1);
	assert.match(carolClone.stderr, /no such vault for this token/);

	// Limits and bad requests: 413, 400 (malformed JSON, schema, too many records), clean JSON errors.
	const big = await api(`${base}/v1/vaults/${vaultId}/records`, alice, 'POST', JSON.stringify({records: [{pad: 'x'.repeat(300_000)}]}));
	assert.equal(big.status, 413);
	assert.equal((big.json['error'] as {code: string}).code, 'body_too_large');
	const gzipPost = async (body: Buffer) =>
		fetch(`${base}/v1/vaults/${vaultId}/records`, {
			method: 'POST',
			headers: {authorization: `Bearer ${alice}`, 'content-type': 'application/json', 'content-encoding': 'gzip'},
			body,
		});
	const bomb = await gzipPost(gzipSync(JSON.stringify({records: [{pad: 'x'.repeat(2_000_000)}]})));
	assert.equal(bomb.status, 413, 'the body limit applies to the decompressed body');
	const notGzip = await gzipPost(Buffer.from('{"records": []}'));
	assert.equal(notGzip.status, 400);
	const malformed = await api(`${base}/v1/vaults/${vaultId}/records`, alice, 'POST', '{"records": [');
	assert.equal(malformed.status, 400);
	assert.deepEqual(Object.keys(malformed.json), ['error']);
	assert.equal((await api(`${base}/v1/vaults/${vaultId}/records`, alice, 'POST', JSON.stringify({records: [{...overwrite, rev: -1}]}))).status, 400);
	const many = Array.from({length: 51}, () => ({...overwrite}));
	assert.equal((await api(`${base}/v1/vaults/${vaultId}/records`, alice, 'POST', JSON.stringify({records: many}))).status, 400);
	assert.equal((await api(`${base}/v1/vaults/not-a-vault/changes`, alice)).status, 400);

	// The server audit log: every read and write, with user and client address (admin only).
	const audit = await api(`${base}/v1/audit?limit=10000`, admin);
	const entries = audit.json['entries'] as Array<{user: string; action: string; recordId: string | null; client: string}>;
	assert.ok(entries.some(entry => entry.user === 'alice' && entry.action === 'create' && entry.recordId === privateId));
	assert.ok(entries.some(entry => entry.user === 'bob' && entry.action === 'pull'));
	assert.ok(entries.some(entry => entry.user === 'bob' && entry.action === 'push_refused' && entry.recordId === privateId));
	assert.ok(entries.every(entry => entry.client === '127.0.0.1'));

	// Graceful stop, then: the canary is nowhere in the server's files, nor any secret name or value.
	const stopped = await server.stop();
	assert.equal(stopped.code, 0);
	for (const file of [db, `${db}-wal`]) {
		if (existsSync(file)) {
			const bytes = readFileSync(file);
			for (const needle of [canaryValue, canaryName, 'team-value', 'team-db', 'CANARY']) {
				assert.equal(bytes.includes(Buffer.from(needle)), false, `${needle} found in ${file}`);
			}
		}
	}
});

test('per-token rate limit: 429 with a JSON error once the budget is spent; other tokens unaffected', async t => {
	const {db} = await initServerDb(t);
	const server = await startServer(db, {extra: ['--rate-limit', '5']});
	t.after(() => server.stop());
	const one = await serverToken(db, ['token', 'create', '--user', 'one', '--perm', 'secrets:read']);
	const two = await serverToken(db, ['token', 'create', '--user', 'two', '--perm', 'secrets:read']);
	// A bucket of 5 that refills by 5 per minute: the first 5 pass; requests after that are refused
	// until it refills (one per 12 s), so a 429 comes within a few more.
	const statuses: number[] = [];
	let limited: Awaited<ReturnType<typeof api>> | undefined;
	while (statuses.length < 20) {
		const response = await api(`${server.url}/v1/vaults`, one);
		statuses.push(response.status);
		if (response.status === 429) {
			limited = response;
			break;
		}
	}

	assert.deepEqual(statuses.slice(0, 5), [200, 200, 200, 200, 200]);
	assert.ok(limited, `no 429 in ${statuses.length} requests`);
	assert.equal((limited.json['error'] as {code: string}).code, 'rate_limited');
	assert.equal((await api(`${server.url}/v1/vaults`, two)).status, 200);
});

test('SIGTERM: the server finishes a request in flight, then exits 0 and takes no new connections', async t => {
	const {db} = await initServerDb(t);
	const server = await startServer(db);
	const token = await serverToken(db, ['token', 'create', '--user', 'alice', '--perm', 'secrets:read,secrets:write']);
	const vaultId = '00000000-0000-4000-8000-000000000001';
	assert.equal((await api(`${server.url}/v1/vaults/${vaultId}`, token, 'PUT', JSON.stringify({header: {format: 1}}))).status, 201);
	const body = JSON.stringify({
		records: [
			{
				id: '00000000-0000-4000-8000-000000000002',
				rev: 1,
				baseRev: 0,
				deleted: false,
				private: false,
				keyGeneration: 1,
				meta: {nonce: 'AAAAAAAAAAAAAAAA', ciphertext: 'AAAAAAAAAAAAAAAAAAAAAA=='},
				values: {nonce: 'AAAAAAAAAAAAAAAA', ciphertext: 'AAAAAAAAAAAAAAAAAAAAAA=='},
			},
		],
	});
	// Expect: 100-continue makes the server acknowledge the request's headers before the body is
	// sent: from then on the request is in flight, and SIGTERM must not cut it off.
	const response = new Promise<{status: number; text: string}>((resolve, reject) => {
		const request = httpRequest(`${server.url}/v1/vaults/${vaultId}/records`, {
			method: 'POST',
			headers: {authorization: `Bearer ${token}`, 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), expect: '100-continue'},
		});
		request.on('continue', () => {
			void (async () => {
				server.process.kill('SIGTERM');
				await new Promise<void>(ready => {
					const check = () => (server.stderr().includes('shutting down') ? ready() : server.process.stderr!.once('data', check));
					check();
				});
				request.end(body);
			})();
		});
		request.on('response', reply => {
			let text = '';
			reply.setEncoding('utf8').on('data', chunk => (text += chunk));
			reply.on('end', () => resolve({status: reply.statusCode ?? 0, text}));
		});
		request.on('error', reject);
	});
	const finished = await response;
	assert.equal(finished.status, 200, finished.text);
	assert.match(finished.text, /"status":"ok"/);
	const exit = await server.exited;
	assert.deepEqual(exit, {code: 0, signal: null});
	assert.equal((await fetch(`${server.url}/v1/health`).catch(() => null))?.status ?? 'refused', 'refused');
	const check = new DatabaseSync(db, {readOnly: true});
	t.after(() => check.close());
	assert.equal((check.prepare('SELECT COUNT(*) AS n FROM records').get() as {n: number}).n, 1);
});
