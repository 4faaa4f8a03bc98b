/**
 * A hostile teammate against a victim's `hush sync`, through a real `hush serve` on 127.0.0.1.
 * The teammate has the passphrase and a modified client (helpers/hostile-teammate.ts): they plant
 * a record that fails to open, one with a control character in its name, one with a NUL in a
 * value, a bad revision of a secret the victim holds, NODE_OPTIONS on a shared secret, and one
 * good secret. The victim applies the good ones, sets the bad ones aside (quarantine), exits 1,
 * names them, shouts about NODE_OPTIONS, and never prints an escape.
 */
import assert from 'node:assert/strict';
import {join} from 'node:path';
import {DatabaseSync} from 'node:sqlite';
import {test, type TestContext} from 'node:test';
import {hush, initHome, tempHome} from './helpers/hush-cli.js';
import {HostileTeammate} from './helpers/hostile-teammate.js';
import {plantedDescription, plantedName, terminalControls} from './helpers/planted.js';
import {initServerDb, serverToken, startServer} from './helpers/sync-server.js';

async function ok(args: string[], home: string, input?: string): Promise<string> {
	const run = await hush(args, {home, input});
	assert.equal(run.code, 0, `hush ${args.join(' ')} failed (${run.code}): ${run.stderr}`);
	return run.stdout;
}

async function idOf(home: string, name: string): Promise<string> {
	return (JSON.parse(await ok(['show', name, '--json'], home)) as {id: string}).id;
}

async function names(home: string): Promise<string[]> {
	return (JSON.parse(await ok(['list', '--json'], home)) as Array<{name: string}>).map(secret => secret.name).sort();
}

/** Exit 1, and nothing a terminal acts on (nor a NUL) in anything printed. */
function assertFailedCleanly(run: {code: number | null; stdout: string; stderr: string}): void {
	assert.equal(run.code, 1, run.stderr);
	for (const output of [run.stdout, run.stderr]) {
		assert.doesNotMatch(output, terminalControls);
		assert.ok(!output.includes('\0'));
	}
}

function quarantineLines(stderr: string): string[] {
	return stderr.split('\n').filter(line => line.startsWith('quarantined: secret '));
}

async function team(t: TestContext) {
	const {db} = await initServerDb(t);
	const server = await startServer(db);
	t.after(() => server.stop());
	const token = async () => serverToken(db, ['token', 'create', '--user', 'team', '--perm', 'secrets:read,secrets:write']);
	const alice = await initHome(t);
	await ok(['remote', 'add', server.url, '--token-stdin'], alice, await token());
	await ok(['set', 'github', '--stdin', 'TOKEN'], alice, 'gh-token');
	await ok(['update', 'github', '--stdin', 'OLD_KEY'], alice, 'old-value');
	await ok(['set', 'shared', '--stdin', 'K'], alice, 'v1');
	await ok(['sync'], alice);
	const victim = tempHome(t);
	await ok(['clone', server.url, '--token-stdin'], victim, await token());
	const malloryHome = tempHome(t);
	const malloryToken = await token();
	await ok(['clone', server.url, '--token-stdin'], malloryHome, malloryToken);
	const mallory = await HostileTeammate.open(malloryHome, server.url, malloryToken);
	t.after(() => mallory.close());
	return {db, server, alice, victim, mallory, githubId: await idOf(alice, 'github'), sharedId: await idOf(alice, 'shared')};
}

test('planted records: the good ones apply, the bad ones are quarantined and named, exit 1, no escape printed', {timeout: 300_000}, async t => {
	const {db, victim, mallory, githubId, sharedId} = await team(t);

	// A ciphertext moved to another record id: it fails to open (its AAD names the original id).
	const badAad = crypto.randomUUID();
	assert.equal((await mallory.pushRaw({...mallory.pushOf(githubId), id: badAad, rev: 1, baseRev: 0})).status, 'ok');
	const controlName = (await mallory.plant({meta: {name: plantedName}, values: {TOKEN: 'x'}})).id;
	const nulValue = (await mallory.plant({meta: {name: 'nul-secret'}, values: {TOKEN: 'before\0after'}})).id;
	// A bad revision of a secret the victim holds: its local copy must stay as it was.
	await mallory.plant({id: sharedId, meta: {description: plantedDescription}, values: {K: 'from-mallory'}});
	await mallory.plant({id: githubId, values: {TOKEN: 'gh-token', NODE_OPTIONS: '--require=/tmp/evil.js'}});
	await mallory.plant({meta: {name: 'fresh-good', type: 'token'}, values: {API_KEY: 'fresh'}});
	// And a compromised server: one record no longer has the protocol's shape (key generation 0).
	const badShape = (await mallory.plant({meta: {name: 'bad-shape'}, values: {K: 'v'}})).id;
	const serverDb = new DatabaseSync(db);
	assert.equal(serverDb.prepare('UPDATE records SET key_generation = 0 WHERE id = ?').run(badShape).changes, 1);
	serverDb.close();

	const synced = await hush(['sync'], {home: victim});
	assertFailedCleanly(synced);
	assert.match(synced.stderr, /^Synced: 7 pulled, 0 pushed, 0 merged, 5 set aside unapplied \(quarantined\)$/m);
	assert.match(synced.stderr, /^pulled github: \+NODE_OPTIONS −OLD_KEY \(by mallory\)$/m);
	assert.match(synced.stderr, /^warning: mallory added NODE_OPTIONS to github: it changes how programs start \(.*\); hush run refuses to inject it unless you pass --allow-env NODE_OPTIONS$/m);
	assert.match(synced.stderr, /^pulled fresh-good: new secret \+API_KEY \(by mallory\)$/m);
	const lines = quarantineLines(synced.stderr);
	assert.equal(lines.length, 5, synced.stderr);
	const lineFor = (id: string) => lines.find(line => line.includes(id)) ?? assert.fail(`no quarantine line for ${id}: ${synced.stderr}`);
	assert.match(lineFor(badAad), /revision 1 .*fails its integrity check/);
	assert.match(lineFor(controlName), /invalid secret name "evil\\u001b\]52;c;cHduZWQ=\\u0007"/);
	assert.match(lineFor(nulValue), /value for TOKEN contains a NUL byte/);
	assert.match(lineFor(sharedId), /revision 2 .*description holds the control character U\+001B/);
	assert.match(lineFor(badShape), /set aside, not applied: .*keyGeneration must be/);

	// Applied: the good secret and the NODE_OPTIONS change. Not applied: the rest; the victim's shared is untouched.
	assert.deepEqual(await names(victim), ['fresh-good', 'github', 'shared']);
	assert.equal(await ok(['get', 'github', 'NODE_OPTIONS'], victim), '--require=/tmp/evil.js');
	assert.equal(await ok(['get', 'shared', 'K'], victim), 'v1');
	assert.equal((JSON.parse(await ok(['show', 'shared', '--json'], victim)) as {description: string}).description, '');

	// The raw record is kept, inspectable, beside the reason.
	const victimDb = new DatabaseSync(join(victim, 'vault.db'), {readOnly: true});
	const kept = victimDb.prepare("SELECT value FROM sync_status WHERE key = 'quarantine:' || ?").get(nulValue) as {value: string};
	victimDb.close();
	const entry = JSON.parse(kept.value) as {id: string; rev: number; reason: string; raw: string};
	assert.deepEqual([entry.id, entry.rev], [nulValue, 1]);
	assert.equal((JSON.parse(entry.raw) as {id: string}).id, nulValue);

	// status says so until resolved; the next sync does not pull them again, and still exits 1.
	const status = await hush(['status'], {home: victim});
	assert.equal(status.code, 0);
	assert.match(status.stdout, /^quarantined 5 \(set aside unapplied until a good revision arrives\):$/m);
	assert.doesNotMatch(status.stdout, terminalControls);
	const statusJson = JSON.parse(await ok(['status', '--json'], victim)) as {quarantined: Array<{id: string}>};
	assert.deepEqual(statusJson.quarantined.map(item => item.id).sort(), [badAad, controlName, nulValue, sharedId, badShape].sort());
	const again = await hush(['sync'], {home: victim});
	assertFailedCleanly(again);
	assert.match(again.stderr, /^Synced: 0 pulled, 0 pushed, 0 merged, 5 set aside unapplied \(quarantined\)$/m);
	assert.equal(quarantineLines(again.stderr).length, 5);

	// A later good revision replaces a quarantined one: applied, and no longer set aside.
	await mallory.plant({id: sharedId, meta: {description: 'fixed'}, values: {K: 'v2'}});
	const fixed = await hush(['sync'], {home: victim});
	assertFailedCleanly(fixed);
	assert.match(fixed.stderr, /^Synced: 1 pulled, 0 pushed, 0 merged, 4 set aside unapplied \(quarantined\)$/m);
	assert.equal(await ok(['get', 'shared', 'K'], victim), 'v2');
	assert.ok(!quarantineLines(fixed.stderr).some(line => line.includes(sharedId)));
});

test('a quarantined server copy of a secret held here: resolve --take local overwrites it on the next sync', {timeout: 300_000}, async t => {
	const {alice, victim, mallory, githubId} = await team(t);
	await mallory.plant({id: githubId, meta: {integration: `gh${'\u001b'}]8;;https://evil.example/${'\u001b'}\\`}, values: {TOKEN: 'stolen'}});
	const synced = await hush(['sync'], {home: victim});
	assertFailedCleanly(synced);
	assert.match(quarantineLines(synced.stderr).join('\n'), new RegExp(`${githubId} revision 3 .*integration holds the control character U\\+001B`));
	// Its local edits wait: a push would only meet the quarantined copy.
	await ok(['update', 'github', '--stdin', 'TOKEN'], victim, 'rotated-here');
	const held = await hush(['sync'], {home: victim});
	assertFailedCleanly(held);
	assert.match(held.stderr, /^Synced: 0 pulled, 0 pushed, 0 merged, 1 set aside unapplied \(quarantined\)$/m);

	const remote = await hush(['resolve', 'github', '--take', 'remote'], {home: victim});
	assert.equal(remote.code, 2);
	assert.match(remote.stderr, /only --take local settles it/);
	await ok(['resolve', 'github', '--take', 'local'], victim);
	const pushed = await hush(['sync'], {home: victim});
	assert.equal(pushed.code, 0, pushed.stderr);
	assert.match(pushed.stderr, /^Synced: 0 pulled, 1 pushed, 0 merged$/m);
	assert.equal((JSON.parse(await ok(['status', '--json'], victim)) as {quarantined: unknown[]}).quarantined.length, 0);

	// Everyone else gets the victim's copy back; the planted integration is gone.
	await ok(['sync'], alice);
	assert.equal(await ok(['get', 'github', 'TOKEN'], alice), 'rotated-here');
	assert.equal((JSON.parse(await ok(['show', 'github', '--json'], alice)) as {integration: string}).integration, '');
});

test('a push the server refuses: exit 1, naming the secret', {timeout: 300_000}, async t => {
	const {db} = await initServerDb(t);
	const server = await startServer(db);
	t.after(() => server.stop());
	const alice = await initHome(t);
	await ok(['remote', 'add', server.url, '--token-stdin'], alice, await serverToken(db, ['token', 'create', '--user', 'alice', '--perm', 'secrets:read,secrets:write']));
	await ok(['set', 'team-db', '--stdin', 'PASS'], alice, 'one');
	await ok(['sync'], alice);
	const vaultId = (JSON.parse(await ok(['status', '--json'], alice)) as {vaultId: string}).vaultId;
	const bob = tempHome(t);
	await ok(['clone', server.url, '--token-stdin'], bob, await serverToken(db, ['token', 'create', '--user', 'bob', '--perm', 'secrets:read,secrets:write', '--vault', vaultId]));
	// Alice makes it private to her; Bob, who cannot see that, edits his copy.
	await ok(['update', 'team-db', '--private=true'], alice);
	await ok(['sync'], alice);
	await ok(['update', 'team-db', '--stdin', 'PASS'], bob, 'two');
	const refused = await hush(['sync'], {home: bob});
	assert.equal(refused.code, 1, refused.stderr);
	const id = await idOf(bob, 'team-db');
	assert.match(refused.stderr, /^Synced: 0 pulled, 0 pushed, 0 merged, 1 refused by the server$/m);
	assert.match(refused.stderr, new RegExp(`^refused: the server refused secret team-db \\(${id}\\) \\(private to another user there\\): it was not pushed$`, 'm'));
	const json = await hush(['sync', '--json'], {home: bob});
	assert.equal(json.code, 1);
	assert.deepEqual((JSON.parse(json.stdout) as {refusedSecrets: unknown}).refusedSecrets, [{id, name: 'team-db', reason: 'not_found'}]);
});
