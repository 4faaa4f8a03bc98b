/**
 * The invite code (hostile input, typed or pasted) and the join MAC, in-process; and the wire
 * parsers of the invite, join and wrap routes.
 */
import assert from 'node:assert/strict';
import {randomUUID} from 'node:crypto';
import {describe, test} from 'node:test';
import {ProtocolError} from '../source/protocol/index.js';
import {parseTeamInviteRequest, parseTeamJoinRequest, parseTeamJoins, parseTeamWrapPut} from '../source/protocol/team-invite.js';
import {InvalidInputError} from '../source/errors.js';
import {encodeFields} from '../source/vault/encoding.js';
import {fingerprintHex, generateIdentity} from '../source/team/identity.js';
import {type InviteCode, formatInviteCode, inviteClaim, joinMac, joinMacMatches, newInviteSecret, parseInviteCode} from '../source/team/invite-code.js';

const founder = generateIdentity('alice');
const code: InviteCode = {url: 'https://hush.example.com', teamId: randomUUID(), founder: fingerprintHex(founder), secret: newInviteSecret(), user: 'bob', role: 'write'};
const b64url = (fields: Array<string | Uint8Array>) => `hush1-${Buffer.from(encodeFields(fields)).toString('base64url')}`;
const fields = (change: Partial<Record<'tag' | 'url' | 'team' | 'user' | 'role', string>> & {founder?: Uint8Array; secret?: Uint8Array} = {}) => [
	change.tag ?? 'hush-invite',
	change.url ?? code.url,
	change.team ?? code.teamId,
	change.founder ?? Buffer.from(code.founder, 'hex'),
	change.secret ?? code.secret,
	change.user ?? code.user,
	change.role ?? code.role,
];

describe('invite codes', () => {
	test('a code round-trips, with surrounding whitespace from a paste', () => {
		const text = formatInviteCode(code);
		assert.match(text, /^hush1-[A-Za-z0-9_-]+$/);
		assert.ok(text.length < 300, 'short enough to paste');
		assert.deepEqual(parseInviteCode(`  ${text}\n`), code);
	});

	test('anything else is refused as one InvalidInputError naming what is wrong', () => {
		const refused = (text: string, reason: RegExp) => {
			assert.throws(() => parseInviteCode(text), (error: unknown) => error instanceof InvalidInputError && reason.test(error.message) && !error.message.includes('\n'));
		};

		refused('hush2-AAAA', /does not start with hush1-/);
		refused(`hush1-${'A'.repeat(900)}`, /more than 800/);
		refused('hush1-ab+c', /not base64url/);
		refused('hush1-', /not base64url/);
		refused(b64url(fields({tag: 'hush-invitf'})), /the format tag is not in the expected form/);
		refused(b64url(fields({url: 'ftp://x'})), /the server URL/);
		refused(b64url(fields({url: 'https://x\u001b[2J'})), /the server URL/);
		refused(b64url(fields({team: 'not-a-uuid'})), /the team id/);
		refused(b64url(fields({founder: new Uint8Array(31)})), /the founder fingerprint must be 32 bytes, not 31/);
		refused(b64url(fields({secret: new Uint8Array(33)})), /the invite secret must be 32 bytes, not 33/);
		refused(b64url(fields({user: 'bob\nroot'})), /the user name/);
		refused(b64url(fields({role: 'owner'})), /the role must be one of admin, write, read, list/);
		refused(b64url([...fields(), 'extra']), /1 field\(s\) too many/);
		refused(b64url(fields().slice(0, 6)), /the role is missing/);
		refused(formatInviteCode(code).slice(0, -3), /not a hush invite code/);
	});

	test('the MAC binds the team, the name, the role and both public keys; the claim reveals neither the secret nor the MAC key', () => {
		const bob = generateIdentity('bob');
		const keys = {name: 'bob', role: 'write' as const, signingKey: bob.signingKey, kemKey: bob.kemKey};
		const mac = joinMac(code.secret, code.teamId, keys);
		assert.ok(joinMacMatches(code.secret, code.teamId, keys, mac));
		const other = generateIdentity('mallory');
		for (const changed of [
			{...keys, name: 'bobby'},
			{...keys, role: 'admin' as const},
			{...keys, signingKey: other.signingKey},
			{...keys, kemKey: other.kemKey},
		]) {
			assert.equal(joinMacMatches(code.secret, code.teamId, changed, mac), false);
		}

		assert.equal(joinMacMatches(code.secret, randomUUID(), keys, mac), false);
		assert.equal(joinMacMatches(newInviteSecret(), code.teamId, keys, mac), false);
		const claim = inviteClaim(code.secret, code.teamId);
		assert.notDeepEqual(claim, code.secret);
		assert.notDeepEqual(claim, inviteClaim(code.secret, randomUUID()), 'a claim is for one team');
	});
});

describe('invite, join and wrap bodies on the wire', () => {
	const refused = (parse: () => unknown, reason: RegExp) => assert.throws(parse, (error: unknown) => error instanceof ProtocolError && reason.test(error.message));
	const bob = generateIdentity('bob');
	const join = {claim: Buffer.alloc(32).toString('base64'), name: 'bob', signingKey: Buffer.from(bob.signingKey).toString('base64'), kemKey: Buffer.from(bob.kemKey).toString('base64'), mac: Buffer.alloc(32).toString('base64')};

	test('well-formed bodies parse; extra fields, wrong lengths, control characters and bad roles do not', () => {
		assert.deepEqual(parseTeamJoinRequest(join), join);
		refused(() => parseTeamJoinRequest({...join, extra: 1}), /extra/);
		refused(() => parseTeamJoinRequest({...join, kemKey: Buffer.alloc(1215).toString('base64')}), /body\.kemKey must decode to 1216 bytes/);
		refused(() => parseTeamJoinRequest({...join, name: 'bob\u0007'}), /body\.name holds control characters/);
		const {claim: _claim, ...listed} = join;
		assert.deepEqual(parseTeamJoins({joins: [{...listed, joinedAt: '2026-11-30T04:00:00.000Z'}]}), [{...listed, joinedAt: '2026-11-30T04:00:00.000Z'}]);
		refused(() => parseTeamJoins({joins: [{...listed, joinedAt: 'yesterday'}]}), /answer\.joins\[0\]\.joinedAt is not an ISO 8601 timestamp/);
		refused(() => parseTeamJoins({joins: [{...join, joinedAt: '2026-11-30T04:00:00.000Z'}]}), /claim/);
		const invite = {claimHash: 'a'.repeat(64), user: 'bob', role: 'list', expiresAt: new Date().toISOString(), signer: 'b'.repeat(64), signature: Buffer.alloc(64).toString('base64')};
		assert.deepEqual(parseTeamInviteRequest(invite), invite);
		refused(() => parseTeamInviteRequest({...invite, role: 'owner'}), /body\.role is not admin, write, read or list/);
		refused(() => parseTeamInviteRequest({...invite, claimHash: 'A'.repeat(64)}), /body\.claimHash/);
		refused(() => parseTeamWrapPut({wrap: Buffer.alloc(2049).toString('base64'), signer: 'b'.repeat(64), signature: invite.signature}), /body\.wrap/);
	});
});
