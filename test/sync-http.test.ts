// The clients' HTTP exchange (source/sync/http.ts) against real servers on 127.0.0.1 that misbehave:
// answers too large, answers compressed unasked, answers that never come, and a port nobody serves.
import assert from 'node:assert/strict';
import {type IncomingMessage, type ServerResponse, createServer} from 'node:http';
import type {AddressInfo} from 'node:net';
import {test} from 'node:test';
import {gzipSync} from 'node:zlib';
import {randomBytes} from 'node:crypto';
import {RemoteClient, SyncError} from '../source/sync/client.js';
import {UnreachableError, UnreadableAnswerError, transport} from '../source/sync/http.js';
import {formatToken} from '../source/protocol/index.js';

type Handler = (request: IncomingMessage, response: ServerResponse) => void;

async function serve(t: {after: (fn: () => void) => void}, handler: Handler): Promise<string> {
	const server = createServer(handler);
	await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
	t.after(() => {
		server.closeAllConnections();
		server.close();
	});
	return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

const get = {method: 'GET', headers: {}, timeoutMs: 10_000};
const token = formatToken({id: '0123456789abcdef', secret: 'A'.repeat(43)});

test('an answer is read whole and decoded as UTF-8, with its status', async t => {
	let seen: {method?: string; authorization?: string; body: string} = {body: ''};
	const url = await serve(t, (request, response) => {
		let body = '';
		request.setEncoding('utf8').on('data', (chunk: string) => {
			body += chunk;
		});
		request.on('end', () => {
			seen = {method: request.method, authorization: request.headers.authorization, body};
			// In two writes, the second splitting a multi-byte character: decoding happens once, on the whole.
			const text = Buffer.from('{"name":"café ✓"}');
			response.writeHead(418, {'content-type': 'application/json'});
			response.write(text.subarray(0, 13));
			response.end(text.subarray(13));
		});
	});
	const answer = await transport.exchange(`${url}/x`, {method: 'POST', headers: {authorization: 'Bearer t'}, body: '{"a":1}', timeoutMs: 10_000});
	assert.deepEqual(answer, {status: 418, text: '{"name":"café ✓"}', bodyBytes: 20});
	assert.deepEqual(seen, {method: 'POST', authorization: 'Bearer t', body: '{"a":1}'});
});

test('an answer larger than the cap is refused, whether it says so up front or streams on', async t => {
	const url = await serve(t, (request, response) => {
		if (request.url === '/declared') {
			response.writeHead(200, {'content-length': '4096'}).end('x'.repeat(4096));
			return;
		}

		// Chunked, no length: it would go on for 64 KiB; the client stops at its cap of 1 KiB.
		response.writeHead(200);
		for (let chunk = 0; chunk < 64; chunk++) {
			response.write('y'.repeat(1024));
		}

		response.end();
	});
	for (const path of ['/declared', '/streamed']) {
		await assert.rejects(transport.exchange(url + path, {...get, maxBytes: 1024}), (error: unknown) => {
			assert.ok(error instanceof UnreadableAnswerError, String(error));
			assert.equal(error.message, 'it is larger than 1024 bytes');
			return true;
		});
	}
});

test('a compressed answer hush did not ask for is refused in one line that quotes nothing of the server', async t => {
	let acceptEncoding: string | undefined = 'unset';
	const url = await serve(t, (request, response) => {
		acceptEncoding = request.headers['accept-encoding'];
		response.writeHead(200, {'content-encoding': 'gzip', 'content-type': 'application/json'}).end(gzipSync('{"ok":true}'));
	});
	const client = new RemoteClient(url, token);
	await assert.rejects(client.health(), (error: unknown) => {
		assert.ok(error instanceof SyncError, String(error));
		assert.equal(error.message, `the sync server at ${url} sent an answer hush will not read: a compressed or otherwise encoded body, which hush did not ask for`);
		return true;
	});
	assert.equal(acceptEncoding, undefined, 'no accept-encoding is sent, so a well-behaved server never compresses');
});

test('an answer that never comes times out, and a port nobody serves is refused, each in hush’s words', async t => {
	let asked = 0;
	const url = await serve(t, () => {
		asked++;
	});
	await assert.rejects(transport.exchange(`${url}/silent`, {...get, timeoutMs: 300}), (error: unknown) => {
		assert.ok(error instanceof UnreachableError, String(error));
		assert.equal(error.why, 'timed out');
		return true;
	});
	assert.equal(asked, 1);

	// A port just freed: nothing listens there any more.
	const closed = createServer();
	await new Promise<void>(resolve => closed.listen(0, '127.0.0.1', resolve));
	const {port} = closed.address() as AddressInfo;
	await new Promise<void>(resolve => closed.close(() => resolve()));
	const client = new RemoteClient(`http://127.0.0.1:${port}`, token);
	await assert.rejects(client.listVaults(), {
		message: `cannot reach the sync server at http://127.0.0.1:${port}: connection refused (local work is safe; try again later)`,
	});
});

test('a gzip answer asked for is inflated, but never past the cap, and broken gzip is refused', async t => {
	const text = JSON.stringify({records: Array.from({length: 50}, () => randomBytes(300).toString('base64'))});
	// 64 MiB of spaces: a valid JSON body that gzips to about 64 KiB.
	const bomb = gzipSync(Buffer.alloc(64 * 1024 * 1024, 0x20));
	const url = await serve(t, (request, response) => {
		response.setHeader('content-encoding', 'gzip');
		const bodies: Record<string, Buffer> = {'/page': gzipSync(text), '/bomb': bomb, '/broken': gzipSync(text).subarray(0, 200)};
		response.end(bodies[request.url ?? ''] ?? Buffer.alloc(0));
	});
	const asked = {...get, acceptGzip: true};
	const answer = await transport.exchange(`${url}/page`, asked);
	assert.equal(answer.text, text);
	assert.ok(answer.bodyBytes < Buffer.byteLength(text));

	await assert.rejects(transport.exchange(`${url}/bomb`, {...asked, maxBytes: 1024 * 1024}), (error: unknown) => {
		assert.ok(error instanceof UnreadableAnswerError, String(error));
		assert.equal(error.message, 'it is larger than 1048576 bytes once inflated');
		return true;
	});
	await assert.rejects(transport.exchange(`${url}/broken`, asked), {message: 'its gzip encoding is broken'});
	// Not asked for, the same answer is refused rather than inflated.
	await assert.rejects(transport.exchange(`${url}/page`, get), {message: 'a compressed or otherwise encoded body, which hush did not ask for'});
});
