/**
 * hush audit --team: the server's audit of a team vault for the team's admins (as the log the server
 * verified says), over a real `hush serve`; its strict query; and the client against a hostile server.
 */
import assert from 'node:assert/strict';
import {createServer} from 'node:http';
import {describe, test} from 'node:test';
import {fetchTeamAudit} from '../source/sync/team-audit-client.js';
import {hush, hushOk} from './helpers/hush-cli.js';
import {call} from './helpers/server-api.js';
import {foundTeam} from './helpers/team.js';
import {as, bringIn} from './helpers/team-invite.js';
import {pull, push, resultOf, tokenOf} from './helpers/team-server.js';

type Row = {seq: number; at: string; user: string; action: string; recordId: string | null; records: number | null; secret: string | null};

describe('hush audit --team', () => {
	test('an admin reads who did what in the team vault; a writer is refused with one line', async t => {
		const team = await foundTeam(t);
		const carol = await bringIn(t, team.home, 'carol', 'write');
		const carolToken = await tokenOf(carol);
		assert.equal(resultOf(await push(team, carolToken)), 'ok');
		assert.equal((await pull(team, carolToken)).status, 200);

		const all = JSON.parse((await hushOk(['audit', '--team', '--json'], {home: team.home})).stdout) as Row[];
		const carols = all.filter(row => row.user === 'carol').map(row => row.action);
		assert.ok(carols.includes('team_join') && carols.includes('create') && carols.includes('pull'), carols.join(','));
		assert.ok(all.some(row => row.user === 'alice' && row.action === 'append_team_log'));
		assert.ok(all.every((row, index) => index === 0 || row.seq > all[index - 1]!.seq), 'oldest first');
		const pushed = all.find(row => row.user === 'carol' && row.action === 'create')!;
		assert.match(pushed.recordId ?? '', /^[0-9a-f-]{36}$/);

		const newest = JSON.parse((await hushOk(['audit', '--team', '--json', '--limit', '2'], {home: team.home})).stdout) as Row[];
		// The read above is audited too: the newest two are carol's pull and alice's first read of the team audit.
		assert.deepEqual(newest.map(row => [row.user, row.action]), [['carol', 'pull'], ['alice', 'read_team_audit']]);
		assert.equal(newest[1]!.records, all.length);

		const shown = await hushOk(['audit', '--team', '--limit', '3'], {home: team.home});
		const lines = shown.stdout.trimEnd().split('\n');
		assert.match(lines[0]!, /^SEQ +TIME +USER +ACTION +SECRET +RECORDS$/);
		assert.equal(lines.length, 4);
		assert.match(lines[3]!, /^\d+ +\S+Z +alice +read_team_audit +— +\d+$/);

		const refused = await as(carol, ['audit', '--team']);
		assert.equal(refused.code, 1);
		assert.equal(refused.stderr, `hush: the server at ${team.server.url} refused the team audit (403): only an admin of the team may read its audit (carol is a write member)\n`);
		assert.equal(refused.stdout, '');

		for (const [args, message] of [
			[['audit', '--team', 'API_KEY'], /^hush: --team shows the server's audit of the whole team vault: drop NAME, --since and --verify\n$/],
			[['audit', '--team', '--verify'], /^hush: --team shows the server's audit/],
			[['audit', '--team', '--limit', '0'], /^hush: --limit takes a whole number from 1 to 1000\n$/],
			[['audit', '--team', '--limit', '1001'], /^hush: --limit takes a whole number from 1 to 1000\n$/],
			[['audit', '--limit', '5'], /^hush: --limit goes with --team\n$/],
		] as const) {
			const run = await hush([...args], {home: team.home});
			assert.equal(run.code, 2, args.join(' '));
			assert.match(run.stderr, message);
		}

		// The route's query is strict: bounded integers in plain digits, nothing else.
		const path = `/v1/vaults/${team.vaultId}/team/audit`;
		for (const query of ['?limit=1001', '?limit=0', '?since=-1', '?limit=1e3', '?extra=1', '?limit=%201']) {
			const answer = await call(team.server.url, {method: 'GET', path: path + query, token: team.token});
			assert.equal(answer.status, 400, query);
			assert.equal(JSON.parse(answer.text).error.code, 'invalid_request');
		}

		const page = JSON.parse((await call(team.server.url, {method: 'GET', path: `${path}?since=${all[1]!.seq}&limit=2`, token: team.token})).text) as {entries: Row[]};
		assert.deepEqual(page.entries.map(row => row.seq), [all[2]!.seq, all[3]!.seq], 'since pages on, oldest first');
		assert.equal((await call(team.server.url, {method: 'GET', path, token: 'hush_0000000000000000_x'})).status, 401);
	});

	test('the client checks every field a hostile server sends, and prints none of its control characters', async t => {
		let answer: {status: number; body: unknown} = {status: 200, body: {entries: []}};
		const server = createServer((_request, response) => {
			response.writeHead(answer.status, {'content-type': 'application/json'}).end(JSON.stringify(answer.body));
		});
		await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
		t.after(() => server.close());
		const remote = {url: `http://127.0.0.1:${(server.address() as {port: number}).port}`, token: 'hush_0123456789abcdef_secret', vaultId: '00000000-0000-4000-8000-00000000000a'};
		const row = {seq: 1, at: '2026-01-01T00:00:00.000Z', user: 'bob', action: 'pull', recordId: null, records: 3};
		assert.deepEqual(await fetchTeamAudit(remote, {limit: 10}), []);
		answer = {status: 200, body: {entries: [row]}};
		assert.deepEqual(await fetchTeamAudit(remote, {limit: 10}), [row]);

		for (const [body, message] of [
			[{entries: [{...row, user: 'bob\u001B]52;c;aGk=\u0007'}]}, /audit\.entries\[0\]\.user holds control characters/],
			[{entries: [{...row, action: 'pull\u202Ehsup'}]}, /audit\.entries\[0\]\.action is not an action name/],
			[{entries: [{...row, recordId: '../../etc'}]}, /audit\.entries\[0\]\.recordId is not a UUID/],
			[{entries: [{...row, seq: 2}, {...row, seq: 2}]}, /audit\.entries\[1\]\.seq is not after the entry before it/],
			[{entries: [row, {...row, seq: 2}, {...row, seq: 3}]}, /audit\.entries holds 3 items, more than 2/],
			[{entries: [{...row, token: 'x'}]}, /has an unexpected field "token"/],
			[{entries: [{...row, records: 1e300}]}, /audit\.entries\[0\]\.records must be an integer/],
		] as const) {
			answer = {status: 200, body};
			await assert.rejects(fetchTeamAudit(remote, {limit: 2}), (error: Error) => error.message.startsWith(`the server at ${remote.url} sent a malformed team audit: `) && message.test(error.message) && !error.message.includes('\u001B'));
		}

		answer = {status: 403, body: {error: {code: 'forbidden', message: 'no\u001B[2J\nway'}}};
		await assert.rejects(fetchTeamAudit(remote, {limit: 2}), (error: Error) => error.message === `the server at ${remote.url} refused the team audit (403): no [2J way` && !error.message.includes(remote.token));
	});
});
