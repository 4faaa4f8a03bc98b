/**
 * hush team invite → hush join → hush team approve through the CLI, three users (admin alice,
 * writer bob, list-only carol) on separate homes with their own passphrases, against a real
 * `hush serve` on 127.0.0.1 (SQLite, and PostgreSQL for the flow).
 */
import assert from 'node:assert/strict';
import {existsSync, readFileSync} from 'node:fs';
import {join} from 'node:path';
import {describe, test} from 'node:test';
import {fingerprintHex} from '../source/team/identity.js';
import {parseInviteCode} from '../source/team/invite-code.js';
import {openVault} from '../source/unlock/open-vault.js';
import {hush, hushOk} from './helpers/hush-cli.js';
import {serverToken, startPostgres} from './helpers/sync-server.js';
import {appendOverHttp, foundTeam, identityOf, storedLog} from './helpers/team.js';
import {tokenOf} from './helpers/team-server.js';
import {type Member, as, asOk, bringIn, floorKdf, invite, newcomer} from './helpers/team-invite.js';

type Members = {role: string | null; members: Array<{name: string; role: string; fingerprint: string}>; keys?: {generation: number; status: string; values?: boolean}};
type Whoami = {name: string; fingerprint: string; fingerprintHex: string; role: string | null};

const json = async <T>(member: Member, args: string[]) => JSON.parse((await asOk(member, args)).stdout) as T;

/** The token `hush join` stored (sealed) in `member`'s vault. */
describe('hush team invite, hush join, hush team approve', () => {
	test('three users, three passphrases: bob writes, carol lists; each verifies the log and opens only their share of the keys', async t => {
		const team = await foundTeam(t);
		const alice: Member = {name: 'alice', home: team.home, passphrase: 'correct horse battery'};
		const bob = newcomer(t, 'bob');
		const code = await invite(team.home, 'bob', 'write', ['--expires', '2h']);
		assert.match(code, /^hush1-[A-Za-z0-9_-]+$/);
		const parsed = parseInviteCode(code);
		assert.deepEqual([parsed.url, parsed.teamId, parsed.user, parsed.role], [team.server.url, team.vaultId, 'bob', 'write']);
		assert.equal(parsed.founder, fingerprintHex(await identityOf(team.home)), 'the code pins the founder');

		const joined = await asOk(bob, ['join', code, ...floorKdf]);
		const bobSelf = await json<Whoami>(bob, ['whoami', '--json']);
		assert.equal(joined.stdout.trim(), bobSelf.fingerprint, 'join prints the fingerprint whoami shows');
		assert.equal(bobSelf.name, 'bob');
		assert.equal((await hush(['whoami'], {home: bob.home})).code, 1, 'alice\'s passphrase does not open bob\'s vault');

		const waiting = await json<Members>(bob, ['team', 'members', '--json']);
		assert.deepEqual([waiting.role, waiting.members.map(member => member.name), waiting.keys], [null, ['alice'], undefined]);

		const approved = await hushOk(['team', 'approve', 'bob', '--yes'], {home: team.home});
		assert.ok(approved.stderr.includes(`  ${bobSelf.fingerprint}\n`), 'approve shows the fingerprint bob reads out');
		const carol = await bringIn(t, team.home, 'carol', 'list');

		const asBob = await json<Members>(bob, ['team', 'members', '--json']);
		assert.deepEqual(asBob.members.map(member => [member.name, member.role]), [['alice', 'admin'], ['bob', 'write'], ['carol', 'list']]);
		assert.deepEqual([asBob.role, asBob.keys], ['write', {generation: 1, status: 'open', values: true}]);
		const asCarol = await json<Members>(carol, ['team', 'members', '--json']);
		assert.deepEqual([asCarol.role, asCarol.keys], ['list', {generation: 1, status: 'open', values: false}], 'a list member gets the metadata key only');
		assert.match((await asOk(carol, ['team', 'members'])).stdout, /your keys: generation 1, names only \(list role\), checked against the log\n$/);
		assert.equal((await json<Members>(alice, ['team', 'members', '--json'])).members.length, 3);

		// The server's tokens follow the role: carol's cannot write.
		const stored = storedLog(team.db, team.vaultId).length;
		const carolAppend = await appendOverHttp(team, await tokenOf(carol), {expected: null, entries: ['AA==']});
		assert.deepEqual([carolAppend.status, carolAppend.body.error.message], [403, 'this token lacks the secrets:write permission']);
		assert.equal(storedLog(team.db, team.vaultId).length, stored);

		// A member's wrap goes to that member only.
		const bobsWrap = `${team.server.url}/v1/vaults/${team.vaultId}/team/wraps/${bobSelf.fingerprintHex}/1`;
		assert.equal((await fetch(bobsWrap, {headers: {authorization: `Bearer ${await tokenOf(carol)}`}})).status, 403);
		assert.equal((await fetch(bobsWrap, {headers: {authorization: `Bearer ${await tokenOf(bob)}`}})).status, 200);

		// The server never held the invite secret: not raw, not hex, not base64.
		const database = Buffer.concat([readFileSync(team.db), existsSync(`${team.db}-wal`) ? readFileSync(`${team.db}-wal`) : Buffer.alloc(0)]);
		for (const spelling of [Buffer.from(parsed.secret), Buffer.from(Buffer.from(parsed.secret).toString('hex')), Buffer.from(Buffer.from(parsed.secret).toString('base64'))]) {
			assert.equal(database.indexOf(spelling), -1);
		}
	});

	test('refusals: a replayed or expired invite, a wrong MAC, another founder, a malformed code, a non-admin; nothing kept', async t => {
		const team = await foundTeam(t);
		const bob = await bringIn(t, team.home, 'bob', 'write');

		const replayCode = await invite(team.home, 'dave', 'read');
		await asOk(newcomer(t, 'dave'), ['join', replayCode, ...floorKdf]);
		const replay = newcomer(t, 'dave');
		const replayed = await as(replay, ['join', replayCode, ...floorKdf]);
		assert.equal(replayed.code, 1);
		assert.match(replayed.stderr, /^hush: the server at \S+ refused \(403\): this invite was already used: ask an admin for a new one\n$/);
		assert.equal(existsSync(join(replay.home, 'vault.db')), false, 'a refused join keeps no vault');

		const expiredCode = await invite(team.home, 'erin', 'read', ['--expires', '1m']);
		const {tamper} = await import('./helpers/team.js');
		tamper(team.db, 'UPDATE team_invites SET expires_at = ? WHERE user_name = ?', '2020-01-01T00:00:00.000Z', 'erin');
		const late = newcomer(t, 'erin');
		const expired = await as(late, ['join', expiredCode, ...floorKdf]);
		assert.equal(expired.code, 1);
		assert.match(expired.stderr, /^hush: the server at \S+ refused \(403\): this invite expired at 2020-01-01T00:00:00.000Z: ask an admin for a new one\n$/);
		assert.equal(existsSync(join(late.home, 'vault.db')), false);

		// The server (its database) swaps the keys dave joined with: the MAC no longer matches, approve refuses, the log is unchanged.
		const {wholeVaultDigest} = await import('./helpers/team.js');
		const bobKeys = await json<Whoami>(bob, ['whoami', '--json']);
		tamper(team.db, 'UPDATE team_joins SET signing_key = (SELECT signing_key FROM team_joins WHERE user_name = ?) WHERE user_name = ?', 'bob', 'dave');
		const before = {log: storedLog(team.db, team.vaultId).length, vault: wholeVaultDigest(team.home)};
		const swapped = await hush(['team', 'approve', 'dave', '--yes'], {home: team.home});
		assert.equal(swapped.code, 1);
		assert.match(swapped.stderr, /^hush: the join request for dave does not carry the MAC of your invite: it was not made with the code you gave them, or was altered; not approved\n$/);
		assert.deepEqual({log: storedLog(team.db, team.vaultId).length, vault: wholeVaultDigest(team.home)}, before);

		// Approve without a terminal and without --yes: the fingerprint is shown, nothing is added; no invite: refused.
		await asOk(newcomer(t, 'hank'), ['join', await invite(team.home, 'hank', 'read'), ...floorKdf]);
		const unasked = await hush(['team', 'approve', 'hank'], {home: team.home});
		assert.equal(unasked.code, 2);
		assert.match(unasked.stderr, /^hank joined with your invite for the role read\. Their fingerprint \(compare it with their hush whoami\):\n {2}(\d{5} ){7}\d{5}\nhush: standard input is not a terminal: compare that fingerprint with hank's hush whoami, then run again with --yes\n$/);
		const uninvited = await hush(['team', 'approve', 'ivan', '--yes'], {home: team.home});
		assert.equal(uninvited.code, 1);
		assert.match(uninvited.stderr, /^hush: this device holds no pending invite for ivan: /);
		assert.equal(storedLog(team.db, team.vaultId).length, before.log);

		// A code whose founder is not the log's: refused after the server answered, nothing stored.
		const frank = parseInviteCode(await invite(team.home, 'frank', 'read'));
		const {formatInviteCode} = await import('../source/team/invite-code.js');
		const forged = formatInviteCode({...frank, founder: bobKeys.fingerprintHex});
		const elsewhere = newcomer(t, 'frank');
		const wrongFounder = await as(elsewhere, ['join', forged, ...floorKdf]);
		assert.equal(wrongFounder.code, 1);
		assert.match(wrongFounder.stderr, /^hush: the server's team is not the one this code names \(.+\): nothing was stored\n$/);
		assert.equal(existsSync(join(elsewhere.home, 'vault.db')), false);

		// Malformed codes: exit 2 before any vault or request.
		const typo = newcomer(t, 'gina');
		for (const bad of ['hush1-', 'hush2-AAAA', replayCode.slice(0, -6), `${replayCode}AAAA`, 'hush1-!!!!', `hush1-${'A'.repeat(900)}`]) {
			const run = await as(typo, ['join', bad]);
			assert.equal(run.code, 2, bad);
			assert.match(run.stderr, /^hush: that is not a hush invite code \([^\n]+\): copy the whole code starting with hush1-\n$/);
		}

		assert.equal(existsSync(join(typo.home, 'vault.db')), false);

		// A writer can neither invite nor approve: the client says so, and the server refuses an invite bob signs.
		for (const args of [['team', 'invite', 'zed', '--role', 'admin'], ['team', 'approve', 'dave', '--yes']]) {
			const run = await as(bob, args);
			assert.equal(run.code, 1);
			assert.match(run.stderr, /^hush: only an admin of team platform can do this: you are a write member\n$/);
		}

		const {claimHash, inviteMessage} = await import('../source/protocol/team-invite.js');
		const {sign} = await import('../source/team/identity.js');
		const vault = await openVault({home: bob.home, passphrase: bob.passphrase});
		const {identity} = await vault.teamIdentity();
		vault.close();
		const request = {claimHash: claimHash(new Uint8Array(32)), user: 'zed', role: 'admin', expiresAt: new Date(Date.now() + 3_600_000).toISOString()};
		const response = await fetch(`${team.server.url}/v1/vaults/${team.vaultId}/team/invites`, {
			method: 'POST',
			headers: {authorization: `Bearer ${await tokenOf(bob)}`, 'content-type': 'application/json'},
			body: JSON.stringify({...request, signer: bobKeys.fingerprintHex, signature: Buffer.from(sign(identity, inviteMessage(team.vaultId, request))).toString('base64')}),
		});
		assert.equal(response.status, 403);
		assert.match(((await response.json()) as {error: {message: string}}).error.message, /only an admin of the team may do this \(bob is a write member\)/);
	});

	test('on PostgreSQL: invite, join, approve, members, and a replayed invite', async t => {
		const url = await startPostgres(t);
		await serverToken(url, ['init']);
		const team = await foundTeam(t, {db: url});
		const bob = await bringIn(t, team.home, 'bob', 'read');
		const listed = await json<Members>(bob, ['team', 'members', '--json']);
		assert.deepEqual([listed.role, listed.members.map(member => member.name), listed.keys], ['read', ['alice', 'bob'], {generation: 1, status: 'open', values: true}]);
		const code = await invite(team.home, 'carl', 'list');
		await asOk(newcomer(t, 'carl'), ['join', code, ...floorKdf]);
		const replayed = await as(newcomer(t, 'carl'), ['join', code, ...floorKdf]);
		assert.equal(replayed.code, 1);
		assert.match(replayed.stderr, /this invite was already used/);
	});
});
