/**
 * No 500 from the server on any malformed request: a hostile client throws a large table of bad
 * bodies, query strings and headers at every route of a real `hush serve` on 127.0.0.1 (SQLite, and
 * PostgreSQL for the integer bounds, where an out-of-range number used to reach the database and
 * fail there). Every answer must be a 4xx with a well-formed error body, and the store must be
 * byte-for-byte what it was: nothing refused is stored, coerced, trimmed or audited.
 */
import assert from 'node:assert/strict';
import {test} from 'node:test';
import {gzipSync} from 'node:zlib';
import {errorCodes, parseErrorBody} from '../source/protocol/index.js';
import {type Answer, type Call, call, dumpPostgres, dumpSqlite, recordA, validHeader, validRecord, vaultA} from './helpers/server-api.js';
import {initServerDb, type RunningServer, serverToken, startPostgres, startServer} from './helpers/sync-server.js';

type Case = {name: string} & Omit<Call, 'token'> & {admin?: boolean};

const json = 'application/json';
const push = (body: unknown): Omit<Case, 'name'> => ({method: 'POST', path: `/v1/vaults/${vaultA}/records`, body: typeof body === 'string' ? body : JSON.stringify(body), contentType: json});
const pushOne = (overrides: Record<string, unknown>) => push({records: [validRecord(overrides)]});
const without = (field: string) => {
	const record = validRecord();
	delete record[field];
	return push({records: [record]});
};

const putHeader = (body: unknown): Omit<Case, 'name'> => ({method: 'PUT', path: `/v1/vaults/${vaultA}`, body: typeof body === 'string' ? body : JSON.stringify(body), contentType: json});
const changes = (query: string): Omit<Case, 'name'> => ({method: 'GET', path: `/v1/vaults/${vaultA}/changes?${query}`});

/** Out-of-range and not-quite-integer numbers, as JSON text (1e300 and 2^63 cannot round-trip through JSON.stringify as such). */
const hugeNumbers = ['1e300', '9007199254740992', '9223372036854775808', '1e19', '-1', '1.5', '-0.5', '1e-7'];

export function integerCases(): Case[] {
	const cases: Case[] = [];
	for (const field of ['rev', 'baseRev', 'keyGeneration']) {
		for (const number of hugeNumbers) {
			const body = JSON.stringify({records: [validRecord({[field]: 0})]}).replace(`"${field}":0`, `"${field}":${number}`);
			cases.push({name: `${field} ${number}`, ...push(body)});
		}
	}

	cases.push({name: 'keyGeneration 2^31 (beyond the INTEGER column)', ...pushOne({keyGeneration: 2 ** 31})}, {name: 'rev 0', ...pushOne({rev: 0})}, {name: 'keyGeneration 0', ...pushOne({keyGeneration: 0})});
	for (const since of ['-1', '99999999999999999999', '9223372036854775808', '1e300', '1e3', '1.5', '0x10', '+1', ' 1', '', 'NaN', 'Infinity', '1%00']) {
		cases.push({name: `since=${since}`, ...changes(`since=${since}`)});
	}

	for (const limit of ['0', '-1', '100000', '1e3', '99999999999999999999']) {
		cases.push({name: `limit=${limit}`, ...changes(`limit=${limit}`)}, {name: `audit limit=${limit}`, method: 'GET', path: `/v1/audit?limit=${limit}`, admin: true});
	}

	return cases;
}

function typeCases(): Case[] {
	const cases: Case[] = [];
	const wrong: Record<string, unknown[]> = {
		id: [1, null, true, [], {}, 'not-a-uuid', recordA.toUpperCase(), `${recordA}0`, '\u001B]52;c;aGk=\u0007'.padEnd(36, 'a')],
		rev: ['1', '2', 'NaN', 'Infinity', '1e3', '0x10', '', ' 1', true, null, [1], {}],
		baseRev: ['0', false, null, [0]],
		deleted: ['false', 0, 1, null, 'true'],
		private: ['false', 0, null, []],
		keyGeneration: ['1', true, null, [1]],
		meta: ['x', null, [], 1, {nonce: 'AAAA'}, {nonce: 'AAAA', ciphertext: 'AAAA', extra: 'AAAA'}, {nonce: 1, ciphertext: 'AAAA'}],
		values: ['x', [], 1, {ciphertext: 'AAAA'}],
	};
	for (const [field, values] of Object.entries(wrong)) {
		for (const value of values) {
			cases.push({name: `${field} = ${JSON.stringify(value)}`, ...pushOne({[field]: value})});
		}

		cases.push({name: `missing ${field}`, ...without(field)});
	}

	for (const bad of ['A', 'AAA', 'AAAAA', 'AA=A', 'AAAA====', '!!!!', 'AA AA', 'AAAA\n', 'ＡＡＡＡ', 'AA-_', 'AAA\u0000']) {
		cases.push({name: `bad base64 ${JSON.stringify(bad)}`, ...pushOne({meta: {nonce: bad, ciphertext: 'AAAA'}})});
	}

	cases.push(
		{name: 'unknown field in a record', ...pushOne({note: 'dropped?'})},
		{name: 'unknown field beside records', ...push({records: [validRecord()], extra: 1})},
		{name: '__proto__ in a record', ...push(`{"records":[${JSON.stringify(validRecord()).slice(0, -1)},"__proto__":{"admin":true}}]}`)},
		{name: 'constructor.prototype', ...push('{"records":[],"constructor":{"prototype":{"x":1}}}')},
		{name: 'records not an array', ...push({records: validRecord()})},
		{name: 'records a string', ...push({records: 'x'})},
		{name: 'records null', ...push({records: null})},
		{name: 'records empty', ...push({records: []})},
		{name: 'records missing', ...push({})},
		{name: 'body an array', ...push([validRecord()])},
		{name: 'body a string', ...push('"records"')},
		{name: 'body a number', ...push('1')},
		{name: 'body null', ...push('null')},
		{name: 'a record twice', ...push({records: [validRecord(), validRecord()]})},
		{name: 'deleted with values', ...pushOne({deleted: true})},
		{name: 'live without values', ...pushOne({values: null})},
		{name: 'too many records', ...push({records: Array.from({length: 51}, (_, index) => validRecord({id: `00000000-0000-4000-8000-${String(index).padStart(12, '0')}`}))})},
		{name: 'ciphertext longer than the protocol allows', ...pushOne({meta: {nonce: 'AAAA', ciphertext: 'A'.repeat(262_148)}})},
		{name: 'huge id string', ...pushOne({id: 'a'.repeat(1_000_000)})},
		{name: 'body over the body limit', ...pushOne({meta: {nonce: 'AAAA', ciphertext: 'A'.repeat(9 * 1024 * 1024)}}), declareOnly: true},
		{name: 'deep nesting in records', ...push(`{"records":${'['.repeat(200_000)}${']'.repeat(200_000)}}`)},
		{name: 'deep nesting in meta', ...push(`{"records":[${JSON.stringify(validRecord()).replace('"meta":{', `"meta":{"x":${'{"a":'.repeat(50_000)}1${'}'.repeat(50_000)},`)}]}`)},
		{name: 'truncated JSON', ...push('{"records": [')},
		{name: 'not JSON', ...push('records=1')},
		{name: 'trailing garbage', ...push(`${JSON.stringify({records: [validRecord()]})}x`)},
		{name: 'invalid UTF-8', method: 'POST', path: `/v1/vaults/${vaultA}/records`, body: Buffer.from([0x7B, 0x22, 0xFF, 0xFE, 0x22, 0x7D]), contentType: json},
		{name: 'empty body', ...push('')},
		{name: 'empty body, no content type', method: 'POST', path: `/v1/vaults/${vaultA}/records`, body: ''},
		{name: 'text/plain', ...push(JSON.stringify({records: [validRecord()]})), contentType: 'text/plain'},
		{name: 'form-encoded', ...push('records=1'), contentType: 'application/x-www-form-urlencoded'},
		{name: 'multipart', ...push('--x\r\n\r\n--x--'), contentType: 'multipart/form-data; boundary=x'},
		{name: 'octet-stream', ...push(JSON.stringify({records: [validRecord()]})), contentType: 'application/octet-stream'},
		{name: 'UTF-16 JSON', ...push(Buffer.from(JSON.stringify({records: [validRecord()]}), 'utf16le').toString('latin1')), contentType: 'application/json; charset=utf-16'},
		{name: 'gzip that is not gzip', ...push(JSON.stringify({records: [validRecord()]})), headers: {'content-encoding': 'gzip'}},
		{name: 'a gzip bomb', method: 'POST', path: `/v1/vaults/${vaultA}/records`, body: gzipSync(JSON.stringify({records: [validRecord({id: 'a'.repeat(20_000_000)})]})), contentType: json, headers: {'content-encoding': 'gzip'}},
		{name: 'brotli', ...push(JSON.stringify({records: [validRecord()]})), headers: {'content-encoding': 'br'}},
		{name: 'push with a query', ...push({records: [validRecord()]}), path: `/v1/vaults/${vaultA}/records?force=1`},
		{name: 'push to a malformed vault id', ...push({records: [validRecord()]}), path: '/v1/vaults/..%2F..%2Fetc/records'},
		{name: 'push to an upper-case vault id', ...push({records: [validRecord()]}), path: `/v1/vaults/${vaultA.toUpperCase()}/records`},
	);

	// The header: opaque to the server, but bounded in fields, depth and size.
	const header = validHeader();
	cases.push(
		{name: 'header missing', ...putHeader({})},
		{name: 'header null', ...putHeader({header: null})},
		{name: 'header an array', ...putHeader({header: [header]})},
		{name: 'header a string', ...putHeader({header: JSON.stringify(header)})},
		{name: 'header beside an unknown field', ...putHeader({header, owner: 'admin'})},
		{name: 'header with 33 fields', ...putHeader({header: Object.fromEntries(Array.from({length: 33}, (_, index) => [`f${index}`, index]))})},
		{name: 'header three levels deep', ...putHeader({header: {...header, keyslot: {...(header['keyslot'] as object), extra: {deep: 1}}}})},
		{name: 'header nested deeply', ...putHeader(`{"header":{"a":${'['.repeat(5000)}${']'.repeat(5000)}}}`)},
		{name: 'header with an array field', ...putHeader({header: {...header, list: [1, 2]}})},
		{name: 'header field over 4096 characters', ...putHeader({header: {...header, kdf: 'x'.repeat(4097)}})},
		{name: 'header over the header size limit', ...putHeader({header: Object.fromEntries(Array.from({length: 8}, (_, index) => [`f${index}`, 'x'.repeat(4000)]))})},
		{name: 'multi-megabyte header', ...putHeader({header: {...header, pad: 'x'.repeat(3_000_000)}}), declareOnly: true},
		{name: 'header as text/plain', ...putHeader({header}), contentType: 'text/plain'},
		{name: 'header empty body', ...putHeader('')},
		{name: 'header to a malformed vault id', ...putHeader({header}), path: '/v1/vaults/not-a-vault'},
		{name: 'header with a query', ...putHeader({header}), path: `/v1/vaults/${vaultA}?x=1`},
	);

	// Query strings and path parameters of the reads.
	cases.push(
		{name: 'changes: unknown parameter', ...changes('since=0&follow=1')},
		{name: 'changes: since twice', ...changes('since=0&since=1')},
		{name: 'changes: since[]', ...changes('since[]=1')},
		{name: 'changes: malformed vault id', method: 'GET', path: '/v1/vaults/not-a-vault/changes'},
		{name: 'changes: vault id with a NUL', method: 'GET', path: `/v1/vaults/${vaultA.slice(0, 35)}%00/changes`},
		{name: 'header read: malformed vault id', method: 'GET', path: `/v1/vaults/${'f'.repeat(37)}`},
		{name: 'header read: a query', method: 'GET', path: `/v1/vaults/${vaultA}?x=1`},
		{name: 'vault list: a query', method: 'GET', path: '/v1/vaults?all=1'},
		{name: 'audit: unknown parameter', method: 'GET', path: '/v1/audit?user=alice', admin: true},
		{name: 'audit: limit twice', method: 'GET', path: '/v1/audit?limit=1&limit=2', admin: true},
		{name: 'audit: limit abc', method: 'GET', path: '/v1/audit?limit=abc', admin: true},
		{name: 'unknown route', method: 'DELETE', path: `/v1/vaults/${vaultA}`},
	);
	return cases;
}

/** Throws every case at `server` and collects what is wrong with each answer (empty when all are right). */
export async function throwAll(server: RunningServer, cases: Case[], tokens: {writer: string; admin: string}): Promise<string[]> {
	const problems: string[] = [];
	for (const {name, admin, ...input} of cases) {
		let answer: Answer;
		try {
			answer = await call(server.url, {...input, token: admin ? tokens.admin : tokens.writer});
		} catch (error) {
			problems.push(`${name}: no answer (${(error as Error).message})`);
			continue;
		}

		if (answer.status < 400 || answer.status > 499) {
			problems.push(`${name}: ${answer.status} ${answer.text.slice(0, 200)}`);
			continue;
		}

		let body: unknown;
		try {
			body = JSON.parse(answer.text);
		} catch {
			problems.push(`${name}: ${answer.status} with a body that is not JSON: ${answer.text.slice(0, 200)}`);
			continue;
		}

		const error = parseErrorBody(body);
		if (!error || !(errorCodes as readonly string[]).includes(error.code ?? '') || !error.message || Object.keys(body as object).length !== 1) {
			problems.push(`${name}: ${answer.status} with a malformed error body: ${answer.text.slice(0, 200)}`);
		} else if (error.message.length > 400 || /\n/.test(error.message)) {
			problems.push(`${name}: the error message is not one short line`);
		}
	}

	return problems;
}

/** A vault with one record, created the ordinary way, so refused writes have something to damage. */
async function seed(server: RunningServer, writer: string): Promise<void> {
	const created = await call(server.url, {method: 'PUT', path: `/v1/vaults/${vaultA}`, token: writer, body: JSON.stringify({header: validHeader()}), contentType: json});
	assert.equal(created.status, 201, created.text);
	const pushed = await call(server.url, {method: 'POST', path: `/v1/vaults/${vaultA}/records`, token: writer, body: JSON.stringify({records: [validRecord()]}), contentType: json});
	assert.equal(pushed.status, 200, pushed.text);
}

test('SQLite: every malformed request gets a 4xx with an error body, and the store is unchanged', async t => {
	const {db, admin} = await initServerDb(t);
	const server = await startServer(db, {extra: ['--max-records', '50']});
	t.after(() => server.stop());
	const writer = await serverToken(db, ['token', 'create', '--user', 'alice', '--perm', 'secrets:read,secrets:write']);
	await seed(server, writer);
	const before = dumpSqlite(db);
	const cases = [...integerCases(), ...typeCases()];
	assert.ok(cases.length > 150, `${cases.length} cases`);
	const problems = await throwAll(server, cases, {writer, admin});
	assert.deepEqual(problems, []);
	assert.equal(dumpSqlite(db), before, 'a refused request changed the store');
	assert.doesNotMatch(server.stderr(), /internal error/);
	// The server still serves: the seeded record comes back intact.
	const page = await call(server.url, {method: 'GET', path: `/v1/vaults/${vaultA}/changes?since=0`, token: writer});
	assert.equal(page.status, 200);
	assert.deepEqual((JSON.parse(page.text) as {records: unknown[]}).records, [Object.fromEntries(Object.entries(validRecord()).filter(([key]) => key !== 'baseRev'))]);
});

test('PostgreSQL: out-of-range integers are refused with 400 before they reach the database', async t => {
	const url = await startPostgres(t);
	const admin = await serverToken(url, ['init']);
	const server = await startServer(url);
	t.after(() => server.stop());
	const writer = await serverToken(url, ['token', 'create', '--user', 'alice', '--perm', 'secrets:read,secrets:write']);
	await seed(server, writer);
	const before = await dumpPostgres(url);
	const problems = await throwAll(server, integerCases(), {writer, admin});
	assert.deepEqual(problems, []);
	assert.equal(await dumpPostgres(url), before, 'a refused request changed the store');
	assert.doesNotMatch(server.stderr(), /internal error/);
});
