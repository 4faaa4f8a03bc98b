import {randomUUID} from 'node:crypto';
import {mkdtempSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {performance} from 'node:perf_hooks';
import {measureInProcess, summarize} from '../measure.js';
import type {BenchGroup, InProcessResult} from '../types.js';
import {inviteFlow} from './team-invite-flow.js';
import {openStore} from '../../source/server/store.js';
import {appendTeamLog} from '../../source/server/team-log-store.js';
import {type Identity, fingerprintHex, generateIdentity} from '../../source/team/identity.js';
import {generationCommitment, newGenerationKeys, unwrap, wrapFor} from '../../source/team/keys.js';
import {appendEntry, createTeamEntry} from '../../source/team/log-writer.js';
import {type TeamState, extendLog, verifyLog} from '../../source/team/membership-log.js';

const members = 10;
const logLength = 100;
const roles = ['admin', 'write', 'read', 'list'] as const;

/**
 * The team layer's crypto, in-process: making an identity (the first one in a process builds the
 * curve tables), wrapping a key generation to 10 members and each of them opening theirs, and
 * replaying a 100-entry membership log from its founder (one Ed25519 verification an entry).
 */
export const teamGroup: BenchGroup = {
	name: 'team',
	description: `team crypto in-process: identity keygen, wrap/unwrap for ${members} members, verify a ${logLength}-entry membership log; invite → join → approve against hush serve`,
	async run(context) {
		const runs = context.runs.fast;
		const results: InProcessResult[] = [];
		const add = (id: string, label: string, timing: InProcessResult['timing']) => results.push({id, group: 'team', label, timing});

		let started = performance.now();
		const founder = generateIdentity('founder');
		add('team-keygen-first', 'first identity keygen in a process (Ed25519 + X-Wing, tables built)', summarize([performance.now() - started]));
		context.log(`team: identity keygen, ${runs} runs`);
		add('team-keygen', 'identity keygen (Ed25519 + X-Wing ML-KEM-768/X25519)', await measureInProcess(runs, async () => generateIdentity('bench')));

		const people: Identity[] = [founder, ...Array.from({length: members - 1}, (_, index) => generateIdentity(`member${index}`))];
		const teamId = randomUUID();
		const entries = [createTeamEntry(founder, {teamId, teamName: 'bench'}).bytes];
		let state: TeamState = verifyLog(entries, fingerprintHex(founder));
		const push = (action: Parameters<typeof appendEntry>[2]) => {
			const next = appendEntry(state, founder, action);
			entries.push(next.entry.bytes);
			state = next.state;
		};

		for (const [index, person] of people.slice(1).entries()) {
			push({type: 'add', member: {name: person.name, signingKey: person.signingKey, kemKey: person.kemKey}, role: roles[index % roles.length]!});
		}

		const keys = newGenerationKeys(teamId, 1);
		push({type: 'generation', generation: 1, commitment: generationCommitment(keys)});
		let generation = 1;
		while (entries.length < logLength) {
			generation++;
			push({type: 'generation', generation, commitment: generationCommitment(newGenerationKeys(teamId, generation))});
		}

		context.log(`team: wrap and unwrap for ${members} members, ${runs} runs each`);
		const wrap = () => people.map(person => wrapFor(state, keys, fingerprintHex(person)));
		add('team-wrap@10', `wrap one key generation to ${members} members (X-Wing encapsulation each)`, await measureInProcess(runs, async () => wrap()));
		const wraps = wrap();
		add('team-unwrap@10', `${members} members each open their wrap (decapsulation, commitment check)`, await measureInProcess(runs, async () => {
			for (const [index, person] of people.entries()) {
				unwrap(wraps[index]!, person, state);
			}
		}));

		context.log(`team: verify a ${logLength}-entry log, ${runs} runs`);
		const verified = verifyLog(entries, fingerprintHex(founder));
		if (verified.head.seq !== logLength - 1 || verified.members.size !== members) {
			throw new Error(`the bench log verified to ${verified.head.seq + 1} entries and ${verified.members.size} members`);
		}

		add(`team-verify-log@${logLength}`, `verify a ${logLength}-entry membership log from the founder`, await measureInProcess(runs, async () => verifyLog(entries, fingerprintHex(founder))));
		const before = verifyLog(entries.slice(0, -1), fingerprintHex(founder));
		add(`team-extend-log@${logLength}`, `verify 1 new entry on top of a verified ${logLength - 1}-entry log`, await measureInProcess(runs, async () => extendLog(before, entries.slice(-1))));

		context.log(`team: server append on a ${logLength}-entry log (SQLite), ${runs} runs`);
		const folder = mkdtempSync(join(tmpdir(), 'hush-bench-team-'));
		const store = await openStore(join(folder, 'server.db'));
		try {
			const b64 = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64');
			for (let start = 0; start < entries.length; start += 16) {
				const batch = entries.slice(start, start + 16);
				const expected = start === 0 ? null : verifyLog(entries.slice(0, start), fingerprintHex(founder)).head;
				await store.transaction(async tx => appendTeamLog(tx, {teamId, expected, entries: batch.map(b64), actor: 'bench'}));
			}

			add(
				`team-server-append@${logLength}`,
				`the server appends 1 entry to a ~${logLength}-entry log (replays every stored signature, then stores it)`,
				await measureInProcess(runs, async () => {
					generation++;
					const next = appendEntry(state, founder, {type: 'generation', generation, commitment: generationCommitment(newGenerationKeys(teamId, generation))});
					await store.transaction(async tx => appendTeamLog(tx, {teamId, expected: state.head, entries: [b64(next.entry.bytes)], actor: 'bench'}));
					state = next.state;
				}),
			);
		} finally {
			await store.close();
			rmSync(folder, {recursive: true, force: true});
		}

		results.push(...(await inviteFlow(context, Math.min(runs, members))));
		return {inProcess: results};
	},
};
