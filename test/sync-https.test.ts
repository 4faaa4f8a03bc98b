// Sync over HTTPS, as a deployment runs it: `hush serve --tls-cert --tls-key` on 127.0.0.1 with a
// certificate from a test CA (test/fixtures/tls: a CA made for these tests only, whose key was
// thrown away), and devices that trust that CA through NODE_EXTRA_CA_CERTS, or do not.
import assert from 'node:assert/strict';
import {resolve} from 'node:path';
import {test} from 'node:test';
import {assertOneLineError, hush, hushOk, initHome, tempHome, vaultDigest} from './helpers/hush-cli.js';
import {initServerDb, serverToken, startServer} from './helpers/sync-server.js';

const tls = resolve('test/fixtures/tls');
const trusted = {NODE_EXTRA_CA_CERTS: `${tls}/ca.pem`};

test('devices that trust the server’s CA sync over HTTPS; one that does not is refused in one line', async t => {
	const {db} = await initServerDb(t);
	const server = await startServer(db, {extra: ['--tls-cert', `${tls}/server.pem`, '--tls-key', `${tls}/server.key`]});
	t.after(() => server.stop());
	assert.match(server.url, /^https:\/\/127\.0\.0\.1:\d+$/);
	const token = await serverToken(db, ['token', 'create', '--user', 'alice', '--perm', 'secrets:read,secrets:write']);

	const laptop = await initHome(t);
	await hushOk(['set', 'stripe', '--values', '{"API_KEY":"sk_over_tls"}'], {home: laptop});
	await hushOk(['remote', 'add', server.url, '--token-stdin'], {home: laptop, input: token, env: trusted});
	await hushOk(['sync'], {home: laptop, env: trusted});
	const desktop = tempHome(t);
	await hushOk(['clone', server.url, '--token-stdin'], {home: desktop, input: token, env: trusted});
	assert.equal((await hushOk(['get', 'stripe', 'API_KEY'], {home: desktop, env: trusted})).stdout, 'sk_over_tls');

	// Without the CA, the certificate is not trusted: nothing is sent, nothing local changes.
	await hushOk(['set', 'stripe', '--values', '{"API_KEY":"sk_rotated"}'], {home: laptop});
	const before = vaultDigest(laptop);
	const untrusting = await hush(['sync'], {home: laptop});
	assert.equal(untrusting.code, 1);
	assertOneLineError(untrusting, /^hush: cannot reach the sync server at https:\/\/127\.0\.0\.1:\d+: its TLS certificate is not trusted here \(UNABLE_TO_VERIFY_LEAF_SIGNATURE\); for a private CA, point NODE_EXTRA_CA_CERTS at the CA's certificate \(local work is safe; try again later\)\n$/);
	assert.equal(vaultDigest(laptop), before);
	await hushOk(['sync'], {home: laptop, env: trusted});
	await hushOk(['sync'], {home: desktop, env: trusted});
	assert.equal((await hushOk(['get', 'stripe', 'API_KEY'], {home: desktop})).stdout, 'sk_rotated');
});
