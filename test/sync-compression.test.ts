// gzip-encoded answers between a real `hush serve` and the sync client (source/server/compression.ts,
// source/sync/http.ts): asked for, a pull comes about a third smaller and parses to the very same
// records; not asked for, or refused with q=0, nothing is encoded.
import assert from 'node:assert/strict';
import {test} from 'node:test';
import {acceptsGzip, compressAnswersFrom} from '../source/server/compression.js';
import {RemoteClient} from '../source/sync/client.js';
import {transport} from '../source/sync/http.js';
import {openVault} from '../source/unlock/open-vault.js';
import {hushOk, initHome, passphrase} from './helpers/hush-cli.js';
import {runningServer} from './helpers/sync-server.js';

test('a pull asked for gzip crosses the wire a third smaller and parses to the same records', async t => {
	const {server, token} = await runningServer(t);
	const home = await initHome(t);
	const vault = await openVault({home, passphrase});
	vault.createSecrets(Array.from({length: 300}, (_, index) => ({name: `service-${index}`, values: {API_KEY: `key-${index}-${'k'.repeat(40)}`}})));
	vault.close();
	await hushOk(['remote', 'add', server.url, '--token-stdin'], {home, input: token});
	await hushOk(['sync'], {home});

	// On loopback the client asks for nothing by default; compressedAnswers asks for gzip.
	const plain = new RemoteClient(server.url, token);
	const vaultId = (await plain.listVaults())[0]!.id;
	const compressed = new RemoteClient(server.url, token, {compressedAnswers: true});
	const before = {plain: plain.bytes.received, compressed: compressed.bytes.received};
	const page = await plain.changes(vaultId, 0);
	const samePage = await compressed.changes(vaultId, 0);
	assert.equal(page.records.length, 300);
	assert.deepEqual(samePage, page);
	const plainBytes = plain.bytes.received - before.plain;
	const compressedBytes = compressed.bytes.received - before.compressed;
	assert.ok(compressedBytes < plainBytes * 0.8, `${compressedBytes} bytes gzipped against ${plainBytes}`);

	const url = `${server.url}/v1/vaults/${vaultId}/changes?since=0`;
	const headers = {authorization: `Bearer ${token}`};
	// Refused with q=0: sent as it is (an encoded answer would be refused by an exchange that did not ask).
	const refused = await transport.exchange(url, {method: 'GET', headers: {...headers, 'accept-encoding': 'gzip;q=0, identity'}, timeoutMs: 30_000});
	assert.equal(refused.bodyBytes, Buffer.byteLength(refused.text));
	assert.equal(refused.bodyBytes, plainBytes);
	// A small answer is not worth encoding, asked or not.
	const small = await transport.exchange(`${server.url}/v1/health`, {method: 'GET', headers: {}, timeoutMs: 30_000, acceptGzip: true});
	assert.ok(small.text.length < compressAnswersFrom);
	assert.equal(small.bodyBytes, Buffer.byteLength(small.text));
});

test('which accept-encoding headers take gzip', () => {
	for (const header of ['gzip', 'GZIP', 'deflate, gzip;q=0.5', 'x-gzip', '*', 'br, *;q=0.1']) {
		assert.equal(acceptsGzip(header), true, header);
	}

	for (const header of [undefined, '', 'identity', 'br, deflate', 'gzip;q=0', 'gzip;q=0.0, *', '*;q=0', '*, gzip;q=0']) {
		assert.equal(acceptsGzip(header), false, String(header));
	}
});
