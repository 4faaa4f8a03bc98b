/**
 * Vault creation against real servers: two `hush serve` sharing one PostgreSQL database racing to
 * create the same vault (once a 500 for the loser), the per-user vault limit (held across servers),
 * and the header size limit.
 */
import assert from 'node:assert/strict';
import {randomUUID} from 'node:crypto';
import {test} from 'node:test';
import {hush, tempHome} from './helpers/hush-cli.js';
import {call, dumpSqlite, pgQuery, validHeader} from './helpers/server-api.js';
import {initServerDb, type RunningServer, serverToken, startPostgres, startServer} from './helpers/sync-server.js';

const json = 'application/json';

async function putHeader(server: RunningServer, token: string, vaultId: string, header: Record<string, unknown> = validHeader(vaultId)) {
	const answer = await call(server.url, {method: 'PUT', path: `/v1/vaults/${vaultId}`, token, body: JSON.stringify({header}), contentType: json});
	return {status: answer.status, body: JSON.parse(answer.text) as {id?: string; created?: boolean; error?: {code: string; message: string}}};
}

test('two servers on one PostgreSQL racing to create the same vault: one creates it, the other answers as for an existing vault', async t => {
	const url = await startPostgres(t);
	await serverToken(url, ['init']);
	const one = await startServer(url, {extra: ['--max-vaults', '0']});
	const two = await startServer(url, {extra: ['--max-vaults', '0']});
	t.after(async () => {
		await one.stop();
		await two.stop();
	});
	const alice = await serverToken(url, ['token', 'create', '--user', 'alice', '--perm', 'secrets:read,secrets:write']);
	const bob = await serverToken(url, ['token', 'create', '--user', 'bob', '--perm', 'secrets:read,secrets:write']);

	// The same user on both servers (two devices of one person): one 201, one 200 — the header is
	// there either way, which is all the client's putHeader needs.
	const sameUser: string[] = [];
	for (let round = 0; round < 80; round++) {
		const vaultId = randomUUID();
		const answers = await Promise.all([putHeader(one, alice, vaultId), putHeader(two, alice, vaultId)]);
		const statuses = answers.map(answer => answer.status).sort();
		if (statuses.join() !== '200,201') {
			sameUser.push(`round ${round}: ${JSON.stringify(answers)}`);
		}

		for (const answer of answers) {
			assert.deepEqual(answer.body, {id: vaultId, created: answer.status === 201});
		}
	}

	assert.deepEqual(sameUser, []);

	// Two users: whoever loses gets the 404 any other user's vault gets; the vault has one member.
	const twoUsers: string[] = [];
	for (let round = 0; round < 40; round++) {
		const vaultId = randomUUID();
		const [a, b] = await Promise.all([putHeader(one, alice, vaultId), putHeader(two, bob, vaultId)]);
		const winner = a.status === 201 ? 'alice' : 'bob';
		const loser = a.status === 201 ? b : a;
		if ([a.status, b.status].sort().join() !== '201,404' || loser.body.error?.code !== 'vault_not_found') {
			twoUsers.push(`round ${round}: ${JSON.stringify([a, b])}`);
			continue;
		}

		const members = await pgQuery(url, 'SELECT user_name FROM vault_members WHERE vault_id = $1', [vaultId]);
		assert.deepEqual(members, [{user_name: winner}]);
	}

	assert.deepEqual(twoUsers, []);
	assert.doesNotMatch(one.stderr() + two.stderr(), /internal error/);
	const counts = await pgQuery(url, "SELECT action, COUNT(*)::int AS n FROM audit WHERE action IN ('create_vault', 'update_header') GROUP BY action ORDER BY action");
	assert.deepEqual(counts, [
		{action: 'create_vault', n: 120},
		{action: 'update_header', n: 80},
	]);
});

test('the per-user vault limit holds across two servers creating at once', async t => {
	const url = await startPostgres(t);
	await serverToken(url, ['init']);
	const one = await startServer(url, {extra: ['--max-vaults', '3']});
	const two = await startServer(url, {extra: ['--max-vaults', '3']});
	t.after(async () => {
		await one.stop();
		await two.stop();
	});
	const alice = await serverToken(url, ['token', 'create', '--user', 'alice', '--perm', 'secrets:read,secrets:write']);
	const answers = await Promise.all(Array.from({length: 12}, (_, index) => putHeader(index % 2 === 0 ? one : two, alice, randomUUID())));
	assert.equal(answers.filter(answer => answer.status === 201).length, 3, JSON.stringify(answers.map(answer => answer.status)));
	for (const refused of answers.filter(answer => answer.status !== 201)) {
		assert.equal(refused.status, 403);
		assert.equal(refused.body.error?.code, 'forbidden');
		assert.match(refused.body.error?.message ?? '', /^alice has created 3 vaults, the most this server allows/);
	}

	assert.deepEqual(await pgQuery(url, "SELECT COUNT(*)::int AS n FROM vaults WHERE created_by = 'alice'"), [{n: 3}]);
});

test('SQLite: vault limit per user and header size limit, with clear errors; existing vaults stay writable', async t => {
	const {db} = await initServerDb(t);
	const server = await startServer(db, {extra: ['--max-vaults', '2', '--max-header', '4096']});
	t.after(() => server.stop());
	const alice = await serverToken(db, ['token', 'create', '--user', 'alice', '--perm', 'secrets:read,secrets:write']);
	const bob = await serverToken(db, ['token', 'create', '--user', 'bob', '--perm', 'secrets:read,secrets:write']);
	const [first, second, third] = [randomUUID(), randomUUID(), randomUUID()];
	assert.equal((await putHeader(server, alice, first)).status, 201);
	assert.equal((await putHeader(server, alice, second)).status, 201);
	const refused = await putHeader(server, alice, third);
	assert.deepEqual(refused, {
		status: 403,
		body: {error: {code: 'forbidden', message: 'alice has created 2 vaults, the most this server allows (an operator can raise hush serve --max-vaults)'}},
	});
	// At the limit, a vault already made still takes a new header, and other users are unaffected.
	assert.deepEqual(await putHeader(server, alice, first), {status: 200, body: {id: first, created: false}});
	assert.equal((await putHeader(server, bob, third)).status, 201);

	// A real header (about 700 bytes) fits in 4 KiB; a padded one does not, and is refused unread.
	const before = dumpSqlite(db);
	const padded = {...validHeader(first), pad: 'x'.repeat(4096)};
	const tooLarge = await putHeader(server, alice, first, padded);
	assert.deepEqual(tooLarge, {status: 413, body: {error: {code: 'body_too_large', message: 'the request body is larger than 4096 bytes'}}});
	assert.equal(dumpSqlite(db), before);

	// Limits are validated when the server starts: exit 2, one line.
	for (const flag of [['--max-vaults', '-1'], ['--max-header', '10'], ['--audit-retention-days', '1.5']]) {
		const run = await hush(['serve', '--db', db, '--port', '0', ...flag], {home: tempHome(t)});
		assert.equal(run.code, 2, `${flag.join(' ')}: ${run.stderr}`);
		assert.match(run.stderr, new RegExp(`^hush: ${flag[0]} takes a whole number of at least \\d+\\n$`));
	}
});
