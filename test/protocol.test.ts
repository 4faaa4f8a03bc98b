/**
 * The wire contract (source/protocol/): its parsers refuse malformed records, headers, pages and
 * push results with one clear line naming the field; the server's JSON schemas agree with them;
 * and the sync client refuses a hostile server's answers instead of using them.
 */
import assert from 'node:assert/strict';
import {randomBytes} from 'node:crypto';
import {createServer} from 'node:http';
import type {AddressInfo} from 'node:net';
import {test} from 'node:test';
import Fastify from 'fastify';
import {
	ProtocolError,
	type VaultHeader,
	type WireRecord,
	formatToken,
	fromBase64,
	isBase64,
	parseChangesPage,
	parseErrorBody,
	parseHeaderResponse,
	parsePushRecord,
	parsePushResponse,
	parseToken,
	parseVaultHeader,
	parseWireRecord,
	pushBodySchema,
	sealedBytes,
	strictAjvOptions,
	toBase64,
} from '../source/protocol/index.js';
import {RemoteClient, SyncError} from '../source/sync/client.js';

const id = '0f0e0d0c-0b0a-4908-8706-050403020100';
const vaultId = '00000000-0000-4000-8000-000000000001';
const b64 = (length: number) => Buffer.alloc(length, 7).toString('base64');

function record(overrides: Record<string, unknown> = {}): Record<string, unknown> {
	return {id, rev: 2, deleted: false, private: false, keyGeneration: 1, meta: {nonce: b64(12), ciphertext: b64(40)}, values: {nonce: b64(12), ciphertext: b64(30)}, ...overrides};
}

function header(overrides: Record<string, unknown> = {}, slot: Record<string, unknown> = {}): Record<string, unknown> {
	return {
		format: 1,
		vaultId,
		createdAt: '2026-01-31T12:00:00.000Z',
		keyGeneration: 1,
		keyslot: {
			slot: 1,
			kind: 'passphrase',
			kdf: JSON.stringify({algorithm: 'argon2id', memory: 65_536, passes: 3, parallelism: 4}),
			salt: b64(16),
			nonce: b64(12),
			wrappedKey: b64(48),
			createdAt: '2026-01-31T12:00:00.000Z',
			expiresAt: null,
			...slot,
		},
		...overrides,
	};
}

/** Asserts `run` throws a one-line ProtocolError matching `pattern`, with no control characters. */
function refuses(run: () => unknown, pattern: RegExp): void {
	assert.throws(run, (error: unknown) => {
		assert.ok(error instanceof ProtocolError, String(error));
		assert.match(error.message, pattern);
		assert.doesNotMatch(error.message, /[\u0000-\u001f\u007f]/);
		return true;
	});
}

test('base64: only canonical padded base64 is accepted, and it round-trips', () => {
	const bytes = new Uint8Array([0, 1, 2, 250, 251, 252, 253]);
	assert.deepEqual(fromBase64(toBase64(bytes)), bytes);
	for (const good of ['', 'AA==', 'AAA=', 'AAAA', b64(16)]) {
		assert.ok(isBase64(good), good);
	}

	// 'AB==' and 'AAB=' decode (their last character's unused bits are not zero) but are not what encoding writes.
	for (const bad of ['A', 'AA', 'AAA', 'AA=A', 'AAAA=', 'AA==AA==', 'AA-_', 'AA A', 'AAAA\n', 'AB==', 'AAB=']) {
		assert.equal(isBase64(bad), false, JSON.stringify(bad));
		assert.throws(() => fromBase64(bad));
	}
});

test('wire records: a well-formed one parses; each malformed one is refused naming the field', () => {
	const parsed: WireRecord = parseWireRecord(record());
	assert.equal(parsed.id, id);
	assert.equal(parseWireRecord(record({deleted: true, values: null})).values, null);
	refuses(() => parseWireRecord('nope'), /^record must be an object, not a string$/);
	refuses(() => parseWireRecord(record({id: 'x'})), /^record\.id is not a UUID$/);
	refuses(() => parseWireRecord(record({id: `${id.slice(0, 35)}\u001b`})), /^record\.id holds control characters$/);
	refuses(() => parseWireRecord(record({rev: 0})), /^record\.rev must be at least 1$/);
	refuses(() => parseWireRecord(record({rev: 1.5})), /^record\.rev must be an integer, not a number$/);
	refuses(() => parseWireRecord(record({rev: '2'})), /^record\.rev must be an integer, not a string$/);
	refuses(() => parseWireRecord(record({deleted: 'no'})), /^record\.deleted must be true or false/);
	refuses(() => parseWireRecord(record({meta: {nonce: 'A!==', ciphertext: b64(4)}})), /^record\.meta\.nonce is not valid base64$/);
	refuses(() => parseWireRecord(record({meta: {nonce: b64(12)}})), /^record\.meta\.ciphertext must be a base64 string, not a undefined$/);
	refuses(() => parseWireRecord(record({values: {nonce: b64(12), ciphertext: 'A'.repeat(262_148)}})), /^record\.values\.ciphertext is 262148 characters long, more than 262144$/);
	refuses(() => parseWireRecord(record({deleted: true})), /^record is inconsistent: a deleted record has no values/);
	refuses(() => parseWireRecord(record({values: null})), /^record is inconsistent/);
	refuses(() => parseWireRecord(record({extra: 1})), /^record has an unexpected field "extra"$/);
	refuses(() => parseWireRecord(record({'\u001b[31m': 1})), /^record has an unexpected field " \[31m"$/);
	assert.equal(parsePushRecord({...record(), baseRev: 1}).baseRev, 1);
	refuses(() => parsePushRecord({...record(), baseRev: -1}), /^record\.baseRev must be at least 0$/);
	refuses(() => parsePushRecord(record()), /^record\.baseRev must be an integer, not a undefined$/);
});

test('a parsed record’s bytes are those its text decodes to, handed out once, and its text cannot change under them', () => {
	const text = {nonce: randomBytes(12).toString('base64'), ciphertext: randomBytes(333).toString('base64')};
	const parsed = parseWireRecord(record({meta: text}));
	assert.ok(Object.isFrozen(parsed.meta));
	assert.throws(() => {
		(parsed.meta as {ciphertext: string}).ciphertext = b64(40);
	}, TypeError);
	const first = sealedBytes(parsed.meta);
	assert.deepEqual(Buffer.from(first.nonce), Buffer.from(text.nonce, 'base64'));
	assert.deepEqual(Buffer.from(first.ciphertext), Buffer.from(text.ciphertext, 'base64'));
	// Arrays of their own: wiping them touches nothing else, and a second caller decodes afresh.
	assert.equal(first.ciphertext.byteLength, first.ciphertext.buffer.byteLength);
	first.ciphertext.fill(0);
	const again = sealedBytes(parsed.meta);
	assert.notEqual(again.ciphertext, first.ciphertext);
	assert.deepEqual(Buffer.from(again.ciphertext), Buffer.from(text.ciphertext, 'base64'));
	// A record a client did not parse (one it built, or the server's parse of a push) decodes on demand.
	assert.deepEqual(Buffer.from(sealedBytes({nonce: b64(12), ciphertext: b64(5)}).ciphertext), Buffer.alloc(5, 7));
	assert.equal(Object.isFrozen(parsePushRecord({...record(), baseRev: 1}).meta), false);
});

test('changes pages: the envelope and every record in it are checked', () => {
	const page = parseChangesPage({records: [record()], cursor: 4, more: false});
	assert.deepEqual([page.records.length, page.cursor, page.more], [1, 4, false]);
	refuses(() => parseChangesPage({records: {}, cursor: 4, more: false}), /^changes\.records must be an array, not a object$/);
	refuses(() => parseChangesPage({records: [], cursor: -1, more: false}), /^changes\.cursor must be at least 0$/);
	refuses(() => parseChangesPage({records: [], cursor: 1}), /^changes\.more must be true or false, not a undefined$/);
	refuses(() => parseChangesPage({records: [record(), record({keyGeneration: 0})], cursor: 1, more: false}), /^changes\.records\[1\]\.keyGeneration must be between 1 and 2147483647$/);
	refuses(() => parseChangesPage({records: [record({keyGeneration: 2 ** 31})], cursor: 1, more: false}), /^changes\.records\[0\]\.keyGeneration must be between 1 and 2147483647$/);
	refuses(() => parseChangesPage({records: Array.from({length: 10_001}, () => record()), cursor: 1, more: false}), /^changes\.records holds 10001 items, more than 10000$/);
});

test('push results: one per record sent, each of a known status and shape', () => {
	const other = '0f0e0d0c-0b0a-4908-8706-0504030201ff';
	const {results} = parsePushResponse(
		{
			results: [
				{id, status: 'ok', rev: 2, seq: 9},
				{id: other, status: 'conflict', current: {...record(), id: other}},
			],
		},
		[id, other],
	);
	assert.deepEqual(
		results.map(result => result.status),
		['ok', 'conflict'],
	);
	assert.equal(parsePushResponse({results: [{id, status: 'conflict', current: null}]}, [id]).results[0]!.status, 'conflict');
	refuses(() => parsePushResponse({results: [{id, status: 'maybe'}]}, [id]), /^push\.results\[0\]\.status must be "ok" or "conflict" or "not_found" or "forbidden"$/);
	assert.deepEqual(parsePushResponse({results: [{id, status: 'forbidden'}]}, [id]).results, [{id, status: 'forbidden'}]);
	refuses(() => parsePushResponse({results: [{id, status: 'forbidden', why: 'x'}]}, [id]), /^push\.results\[0\] has an unexpected field "why"$/);
	refuses(() => parsePushResponse({results: [{id, status: 'ok', rev: 2}]}, [id]), /^push\.results\[0\]\.seq must be an integer/);
	refuses(() => parsePushResponse({results: [{id, status: 'ok', rev: 2, seq: 1, note: 'x'}]}, [id]), /^push\.results\[0\] has an unexpected field "note"$/);
	refuses(() => parsePushResponse({results: [{id: other, status: 'not_found'}]}, [id]), /^push\.results\[0\]\.id names a record that was not sent/);
	refuses(() => parsePushResponse({results: [{id, status: 'not_found'}]}, [id, other]), /^push\.results answers 1 of the 2 records sent$/);
	refuses(() => parsePushResponse({results: [{id, status: 'not_found'}, {id, status: 'not_found'}]}, [id, other]), /^push\.results\[1\]\.id names a record that was not sent, or one already answered$/);
	refuses(() => parsePushResponse({results: [{id, status: 'conflict', current: record({id: other})}]}, [id]), /^push\.results\[0\]\.current\.id names another record than the result$/);
	refuses(() => parsePushResponse({results: [{id, status: 'conflict', current: record({meta: null})}]}, [id]), /^push\.results\[0\]\.current\.meta must be an object, not null$/);
	refuses(() => parsePushResponse([], [id]), /^push must be an object, not an array$/);
});

test('vault headers: every field is checked, with one clear line for the first bad one', () => {
	const parsed: VaultHeader = parseVaultHeader(header());
	assert.equal(parsed.keyslot.kind, 'passphrase');
	assert.deepEqual(parsed, header());
	assert.equal(parseVaultHeader(header({}, {expiresAt: '2027-01-01T00:00:00Z'})).keyslot.expiresAt, '2027-01-01T00:00:00Z');
	refuses(() => parseVaultHeader(null), /^header must be an object, not null$/);
	refuses(() => parseVaultHeader(header({format: 2})), /^header\.format is 2, a format this hush does not know \(it reads 1\): upgrade hush$/);
	refuses(() => parseVaultHeader(header({format: '1'})), /^header\.format must be 1$/);
	refuses(() => parseVaultHeader(header({vaultId: 'not-a-vault'})), /^header\.vaultId is not a UUID$/);
	refuses(() => parseVaultHeader(header({createdAt: 'yesterday'})), /^header\.createdAt is not an ISO 8601 timestamp$/);
	refuses(() => parseVaultHeader(header({createdAt: '2026-13-45T99:00:00Z'})), /^header\.createdAt is not a valid date$/);
	refuses(() => parseVaultHeader(header({keyGeneration: 0})), /^header\.keyGeneration must be at least 1$/);
	refuses(() => parseVaultHeader(header({keyslot: undefined})), /^header\.keyslot must be an object, not a undefined$/);
	refuses(() => parseVaultHeader(header({extra: true})), /^header has an unexpected field "extra"$/);
	refuses(() => parseVaultHeader(header({}, {slot: 2})), /^header\.keyslot\.slot must be 1$/);
	refuses(() => parseVaultHeader(header({}, {kind: 'keychain'})), /^header\.keyslot\.kind must be "passphrase"$/);
	refuses(() => parseVaultHeader(header({}, {kdf: null})), /^header\.keyslot\.kdf must be a string, not null$/);
	refuses(() => parseVaultHeader(header({}, {kdf: '{argon'})), /^header\.keyslot\.kdf is not JSON$/);
	refuses(() => parseVaultHeader(header({}, {kdf: '[1]'})), /^header\.keyslot\.kdf must be an object, not an array$/);
	refuses(() => parseVaultHeader(header({}, {salt: b64(4)})), /^header\.keyslot\.salt must decode to 16–64 bytes, not 4$/);
	refuses(() => parseVaultHeader(header({}, {nonce: b64(16)})), /^header\.keyslot\.nonce (must decode to 12 bytes, not 16|is 24 characters long, more than 16)$/);
	refuses(() => parseVaultHeader(header({}, {wrappedKey: 'AAA'})), /^header\.keyslot\.wrappedKey is not valid base64$/);
	refuses(() => parseVaultHeader(header({}, {createdAt: 5})), /^header\.keyslot\.createdAt must be a string, not a number$/);
	refuses(() => parseVaultHeader(header({}, {expiresAt: '2027-01-01\u0007'})), /^header\.keyslot\.expiresAt holds control characters$/);
	refuses(() => parseVaultHeader(header({}, {extra: 1})), /^header\.keyslot has an unexpected field "extra"$/);
	refuses(() => parseHeaderResponse({id: vaultId, header: header({vaultId: id}), lastSeq: 0}), /^vault\.header\.vaultId names another vault$/);
	refuses(() => parseHeaderResponse({id: vaultId, header: header(), lastSeq: -3}), /^vault\.lastSeq must be at least 0$/);
});

test('error bodies: code and message are kept only when well-formed, and made printable', () => {
	assert.deepEqual(parseErrorBody({error: {code: 'forbidden', message: 'no'}}), {code: 'forbidden', message: 'no'});
	assert.deepEqual(parseErrorBody({error: {code: 'Bad\u001b[2J', message: 'a\u001b[2Jb\nc'}}), {code: null, message: 'a [2Jb c'});
	assert.equal(parseErrorBody({error: {code: 'x', message: 'y'.repeat(1000)}})?.message?.length, 200);
	assert.equal(parseErrorBody({error: 'flat'}), null);
	assert.equal(parseErrorBody('nope'), null);
});

test('tokens: one format, formatted and parsed in one place', () => {
	const secret = 'A'.repeat(43);
	const token = formatToken({id: '0123456789abcdef', secret});
	assert.equal(token, `hush_0123456789abcdef_${secret}`);
	assert.deepEqual(parseToken(token), {id: '0123456789abcdef', secret});
	for (const bad of ['', 'hush_', `hush_0123456789ABCDEF_${secret}`, `hush_0123456789abcdef_${secret}A`, `xush_0123456789abcdef_${secret}`]) {
		assert.equal(parseToken(bad), null, bad);
	}

	assert.throws(() => formatToken({id: 'short', secret}), RangeError);
});

test('the server push schema and the push-record parser agree', async t => {
	const app = Fastify({logger: false, ajv: {customOptions: strictAjvOptions}});
	t.after(() => app.close());
	app.post('/push', {schema: {body: pushBodySchema(10)}}, async () => ({ok: true}));
	const samples: Array<Record<string, unknown>> = [
		{...record(), baseRev: 1},
		{...record({deleted: true, values: null}), baseRev: 1},
		{...record({meta: {nonce: 'AAA', ciphertext: b64(4)}}), baseRev: 1},
		{...record({rev: 0}), baseRev: 0},
		{...record({id: 'X'.repeat(36)}), baseRev: 0},
		{...record({rev: 1.5}), baseRev: 0},
		{...record({rev: '2'}), baseRev: 0},
		{...record({rev: 1e300}), baseRev: 0},
		{...record({keyGeneration: 2 ** 31}), baseRev: 0},
		{...record(), baseRev: 1, extra: true},
		record(),
	];
	// The server's Ajv runs with strictAjvOptions (as in server/app.ts): no coercion of "2" to 2, no
	// silent dropping of unknown fields, so schema and parser must agree on those too. A deleted flag
	// that disagrees with the values is left out: the push route refuses it itself.
	for (const sample of samples) {
		const response = await app.inject({method: 'POST', url: '/push', payload: {records: [sample]}});
		let parserAccepts = true;
		try {
			parsePushRecord(sample);
		} catch {
			parserAccepts = false;
		}

		assert.equal(response.statusCode === 200, parserAccepts, `schema ${response.statusCode} vs parser ${parserAccepts} for ${JSON.stringify(sample)}`);
	}
});

test('the sync client refuses a hostile server’s answers in one clean line', async t => {
	let answer: {status: number; body: string} = {status: 200, body: '{}'};
	const server = createServer((_request, response) => {
		response.writeHead(answer.status, {'content-type': 'application/json'}).end(answer.body);
	});
	await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
	t.after(() => server.close());
	const client = new RemoteClient(`http://127.0.0.1:${(server.address() as AddressInfo).port}`, formatToken({id: '0123456789abcdef', secret: 'A'.repeat(43)}));
	const cases: Array<{call: () => Promise<unknown>; body: unknown; status?: number; pattern: RegExp}> = [
		{call: () => client.changes(vaultId, 0), body: {records: [record({id: '\u001b]0;pwned\u0007'})], cursor: 1, more: false}, pattern: /malformed answer: changes\.records\[0\]\.id holds control characters$/},
		{call: () => client.changes(vaultId, 0), body: {records: [record({meta: {nonce: '\u001b]0;pwned\u0007', ciphertext: ''}})], cursor: 1, more: false}, pattern: /malformed answer: changes\.records\[0\]\.meta\.nonce is not valid base64$/},
		{call: () => client.changes(vaultId, 0), body: {records: [], cursor: '9', more: false}, pattern: /malformed answer: changes\.cursor must be an integer, not a string$/},
		{call: () => client.getHeader(vaultId), body: {id: vaultId, header: header({}, {salt: 'not base64!'}), lastSeq: 0}, pattern: /malformed answer: vault\.header\.keyslot\.salt is not valid base64$/},
		{call: () => client.getHeader(id), body: {id: vaultId, header: header(), lastSeq: 0}, pattern: /malformed answer: the answer names vault 0{8}-0{4}-4000-8000-0{11}1, not 0f0e/},
		{call: () => client.push(vaultId, [{...(record() as WireRecord), baseRev: 1}]), status: 409, body: {results: [{id, status: 'conflict', current: 'x'}]}, pattern: /malformed answer: push\.results\[0\]\.current must be an object, not a string$/},
		{call: () => client.listVaults(), body: {vaults: [{id: vaultId}]}, pattern: /malformed answer: vaults\.vaults\[0\]\.createdAt must be a string, not a undefined$/},
		{call: () => client.health(), body: {status: 'fine'}, pattern: /malformed answer: health\.ok must be true$/},
		{call: () => client.listVaults(), status: 403, body: {error: {code: 'forbidden', message: 'no \u001b[2J\u001b[31mred'}}, pattern: /does not allow this \(403\): no {2}\[2J \[31mred$/},
	];
	for (const {call, body, status, pattern} of cases) {
		answer = {status: status ?? 200, body: JSON.stringify(body)};
		await assert.rejects(call, (error: unknown) => {
			assert.ok(error instanceof SyncError, String(error));
			assert.match(error.message, pattern);
			assert.doesNotMatch(error.message, /[\u0000-\u001f\u007f]/);
			return true;
		});
	}

	answer = {status: 200, body: JSON.stringify({id: vaultId, created: true})};
	await assert.rejects(client.putHeader(vaultId, header({keyGeneration: 'one'})), /this vault's header cannot be uploaded: header\.keyGeneration must be an integer, not a string$/);
	await client.putHeader(vaultId, header());
	answer = {status: 200, body: JSON.stringify({id: vaultId, header: header(), lastSeq: 3})};
	assert.deepEqual(await client.getHeader(vaultId), header());
});
