/**
 * The team log's wire contract (protocol/team.ts): strict parsers for what the server answers and
 * what a client sends, and the routes as a hostile client meets them on a real `hush serve`.
 */
import assert from 'node:assert/strict';
import {join} from 'node:path';
import {DatabaseSync} from 'node:sqlite';
import {describe, test} from 'node:test';
import {ProtocolError} from '../source/protocol/index.js';
import {openStore} from '../source/server/store.js';
import {maxTeamAppend, maxTeamEntryBase64, maxTeamLogPage, parseTeamAppendAnswer, parseTeamAppendRequest, parseTeamLogPage} from '../source/protocol/team.js';
import {fingerprintHex, generateIdentity} from '../source/team/identity.js';
import {maxEntryBytes} from '../source/team/log-entry.js';
import {appendEntry} from '../source/team/log-writer.js';
import {hushOk, initHome, tempHome} from './helpers/hush-cli.js';
import {call} from './helpers/server-api.js';
import {serverToken} from './helpers/sync-server.js';
import {appendSigned, b64, foundTeam, identityOf, storedLog, storedState} from './helpers/team.js';

const head = {seq: 1, hash: 'ab'.repeat(32)};
const entry = b64(new Uint8Array([1, 2, 3, 4, 5]));
const refused = (parse: () => unknown, pattern: RegExp) => assert.throws(parse, (error: unknown) => error instanceof ProtocolError && pattern.test(error.message));

describe('the team log wire contract', () => {
	test('bounds follow the entry format: the longest entry fits, a longer base64 text does not', () => {
		assert.equal(maxTeamEntryBase64, Math.ceil(maxEntryBytes / 3) * 4);
		assert.deepEqual(parseTeamAppendRequest({expected: null, entries: [b64(new Uint8Array(maxEntryBytes))]}).entries.length, 1);
		// 4,097 and 4,098 bytes still fit the text bound; the entry parser holds them to 4,096.
		refused(() => parseTeamAppendRequest({expected: null, entries: [b64(new Uint8Array(maxEntryBytes + 3))]}), /body\.entries\[0\] is 5468 characters long, more than 5464/);
	});

	test('pages: canonical base64 only, a head consistent with the page, no stray fields', () => {
		assert.deepEqual(parseTeamLogPage({entries: [entry, entry], head, more: false}, 0), {entries: [entry, entry], head, more: false});
		refused(() => parseTeamLogPage({entries: ['AAAAAB=='], head, more: false}, 0), /log\.entries\[0\] is not canonical base64/);
		refused(() => parseTeamLogPage({entries: [''], head, more: false}, 0), /is not canonical base64/);
		refused(() => parseTeamLogPage({entries: ['\u001B[2J'], head, more: false}, 0), /holds control characters/);
		refused(() => parseTeamLogPage({entries: [entry, entry, entry], head, more: false}, 0), /log\.head is entry 1, before the last entry of the page \(2\)/);
		refused(() => parseTeamLogPage({entries: [], head, more: true}, 0), /log\.more is true on an empty page/);
		refused(() => parseTeamLogPage({entries: [], head: {seq: 1, hash: 'AB'.repeat(32)}, more: false}, 0), /log\.head\.hash is not 64 lower-case hex digits/);
		refused(() => parseTeamLogPage({entries: [], head, more: false, extra: 1}, 0), /unexpected field "extra"/);
		refused(() => parseTeamLogPage({entries: Array.from({length: maxTeamLogPage + 1}, () => entry), head, more: false}, 0), /more than 1000/);
	});

	test('appends and their answers', () => {
		refused(() => parseTeamAppendRequest({expected: null, entries: []}), /body\.entries must hold at least 1 entry/);
		refused(() => parseTeamAppendRequest({expected: null, entries: Array.from({length: maxTeamAppend + 1}, () => entry)}), /more than 16/);
		refused(() => parseTeamAppendRequest({expected: {seq: -1, hash: head.hash}, entries: [entry]}), /body\.expected\.seq must be between 0 and 1000000/);
		assert.deepEqual(parseTeamAppendAnswer({status: 'conflict', head: null}), {status: 'conflict', head: null});
		refused(() => parseTeamAppendAnswer({status: 'appended', head: null}), /answer\.head must be an object/);
		refused(() => parseTeamAppendAnswer({status: 'merged', head}), /answer\.status must be "appended" or "conflict"/);
	});

	test('a server database from before teams (schema 2) gains the team_log and invite tables when hush serve opens it', async t => {
		const db = join(tempHome(t, 'hush-team-schema-'), 'server.db');
		await (await openStore(db)).close();
		const old = new DatabaseSync(db);
		old.exec("DROP TABLE team_log; DROP TABLE team_invites; DROP TABLE team_joins; DROP TABLE team_wraps; UPDATE server_meta SET value = '2' WHERE key = 'schema_version'");
		old.close();
		await (await openStore(db)).close();
		const upgraded = new DatabaseSync(db, {readOnly: true});
		t.after(() => upgraded.close());
		assert.equal((upgraded.prepare("SELECT value FROM server_meta WHERE key = 'schema_version'").get() as {value: string}).value, '5');
		assert.deepEqual((upgraded.prepare('PRAGMA table_info(team_log)').all() as Array<{name: string}>).map(column => column.name), ['team_id', 'seq', 'hash', 'entry', 'appended_by', 'appended_at']);
		const columns = (table: string) => (upgraded.prepare(`PRAGMA table_info(${table})`).all() as Array<{name: string}>).map(column => column.name);
		assert.deepEqual(columns('team_invites'), ['claim_hash', 'team_id', 'user_name', 'role', 'expires_at', 'created_by', 'created_at', 'used_at']);
		assert.deepEqual(columns('team_joins'), ['team_id', 'user_name', 'signing_key', 'kem_key', 'mac', 'joined_at']);
		assert.deepEqual(columns('team_wraps'), ['team_id', 'member', 'generation', 'wrap', 'stored_by', 'stored_at']);
	});

	test('the routes: 404 before a team, pages, 401, another vault\'s token, malformed and stale appends', async t => {
		const team = await foundTeam(t);
		const path = `/v1/vaults/${team.vaultId}/team/log`;
		const alice = await identityOf(team.home);
		const state = storedState(team, fingerprintHex(alice));
		const bob = generateIdentity('bob');
		await appendSigned(team, state, [appendEntry(state, alice, {type: 'add', member: {name: 'bob', signingKey: bob.signingKey, kemKey: bob.kemKey}, role: 'read'}).entry]);
		const stored = storedLog(team.db, team.vaultId).map(bytes => b64(bytes));

		const first = await call(team.server.url, {method: 'GET', path: `${path}?limit=2`, token: team.token});
		assert.equal(first.status, 200);
		const page = parseTeamLogPage(JSON.parse(first.text), 0);
		assert.deepEqual(page.entries, stored.slice(0, 2));
		assert.equal(page.more, true);
		assert.equal(page.head.seq, 2);
		const rest = parseTeamLogPage(JSON.parse((await call(team.server.url, {method: 'GET', path: `${path}?since=2`, token: team.token})).text), 2);
		assert.deepEqual({entries: rest.entries, more: rest.more}, {entries: stored.slice(2), more: false});

		assert.equal((await call(team.server.url, {method: 'GET', path})).status, 401);
		assert.equal((await call(team.server.url, {method: 'GET', path: `${path}?since=-1`, token: team.token})).status, 400);
		assert.equal((await call(team.server.url, {method: 'GET', path: `${path}?limit=1001`, token: team.token})).status, 400);
		const outsider = await serverToken(team.db, ['token', 'create', '--user', 'olga', '--perm', 'secrets:read,secrets:write']);
		const hidden = await call(team.server.url, {method: 'GET', path, token: outsider});
		assert.deepEqual([hidden.status, JSON.parse(hidden.text).error.code], [404, 'vault_not_found']);

		// A vault that is not a team answers 404 not_found, which a client tells apart from vault_not_found.
		const olga = await initHome(t);
		await hushOk(['remote', 'add', team.server.url, '--token-stdin'], {home: olga, input: outsider});
		await hushOk(['sync'], {home: olga});
		const olgaVault = (JSON.parse((await hushOk(['remote', 'show', '--json'], {home: olga})).stdout) as {vaultId: string}).vaultId;
		const plain = await call(team.server.url, {method: 'GET', path: `/v1/vaults/${olgaVault}/team/log`, token: outsider});
		assert.deepEqual([plain.status, JSON.parse(plain.text).error.code], [404, 'not_found']);
		assert.match(JSON.parse(plain.text).error.message, /this vault is not a team: its owner makes it one with hush team init/);

		const post = (body: unknown) => call(team.server.url, {method: 'POST', path, token: team.token, contentType: 'application/json', body: JSON.stringify(body)});
		for (const body of [
			{expected: null},
			{expected: null, entries: [stored[0]], extra: true},
			{expected: {seq: 2, hash: 'zz'}, entries: [stored[0]]},
			{expected: {seq: 2, hash: JSON.parse(first.text).head.hash}, entries: ['AAAAAB==']},
		]) {
			const answer = await post(body);
			assert.equal(answer.status, 400, `${JSON.stringify(body).slice(0, 80)} → ${answer.text}`);
			assert.equal(JSON.parse(answer.text).error.code, 'invalid_request');
		}

		const stale = await post({expected: state.head, entries: [stored[1]]});
		assert.equal(stale.status, 409);
		assert.deepEqual(parseTeamAppendAnswer(JSON.parse(stale.text)), {status: 'conflict', head: page.head});
		assert.equal(storedLog(team.db, team.vaultId).length, 3, 'no refused append stored anything');
	});
});
