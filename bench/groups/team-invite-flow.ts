import {mkdtempSync} from 'node:fs';
import {join} from 'node:path';
import {performance} from 'node:perf_hooks';
import {summarize} from '../measure.js';
import {benchServer, floorVault} from '../team-setup.js';
import type {BenchContext, InProcessResult} from '../types.js';
import {addRemote, sync} from '../../source/sync/index.js';
import {approveMember, inviteMember} from '../../source/team/invites.js';
import {parseInviteCode} from '../../source/team/invite-code.js';
import {joinTeam} from '../../source/team/join.js';
import {initTeam, teamMembers} from '../../source/team/service.js';

/**
 * Invite → join → approve → the joiner opening their keys, in-process against a real `hush serve`
 * (SQLite) on 127.0.0.1: each run brings one more member into a team that grows from the founder,
 * timing each step. The joiner's vault is made at argon2id's floor, so the times are the team
 * protocol's (identity keygen, the server round trips, signatures, the X-Wing wrap), not the KDF's.
 */
export async function inviteFlow(context: BenchContext, runs: number): Promise<InProcessResult[]> {
	const dir = mkdtempSync(join(context.workDir, 'team-invite-'));
	const {server, token} = await benchServer(dir, 'founder');
	const newVault = async (name: string) => floorVault(dir, name);
	const founder = await newVault('founder');
	try {
		addRemote(founder, {url: server.url, token, insecure: false});
		await sync(founder);
		await founder.teamIdentity({rename: 'founder'});
		await initTeam(founder, {name: 'bench'});
		const steps = {invite: [] as number[], join: [] as number[], approve: [] as number[], members: [] as number[], total: [] as number[]};
		const timed = async <T>(samples: number[], work: () => Promise<T>): Promise<T> => {
			const started = performance.now();
			const result = await work();
			samples.push(performance.now() - started);
			return result;
		};

		context.log(`team: invite → join → approve → members, ${runs} members joining`);
		for (let index = 0; index < runs; index++) {
			const name = `member${index}`;
			const started = performance.now();
			const {code} = await timed(steps.invite, async () => inviteMember(founder, {user: name, role: index % 2 === 0 ? 'write' : 'list', lifetime: 3_600_000}));
			const joiner = await newVault(name);
			try {
				await timed(steps.join, async () => joinTeam(joiner, parseInviteCode(code), {insecure: false}));
				await timed(steps.approve, async () => approveMember(founder, name, async () => true));
				const view = await timed(steps.members, async () => teamMembers(joiner));
				if (view.keys?.status !== 'open') {
					throw new Error(`${name} did not open their keys after approval`);
				}
			} finally {
				joiner.close();
			}

			steps.total.push(performance.now() - started);
		}

		const row = (id: string, label: string, samples: number[]) => ({id, group: 'team', label, timing: summarize(samples)});
		return [
			row('team-invite', 'hush team invite: verify the log, sign and register the invite (1 round trip + log fetch)', steps.invite),
			row('team-join', 'hush join: send keys with the MAC, get the token, verify the log from the code\'s founder (vault creation excluded)', steps.join),
			row('team-approve', 'hush team approve: check the MAC, sign the add entry, wrap and publish the keys', steps.approve),
			row('team-members-after-join', 'the joiner\'s hush team members: verify the log, fetch and open their wrap', steps.members),
			row('team-invite-flow', `invite → join → approve → members, one member (team growing to ${runs + 1})`, steps.total),
		];
	} finally {
		founder.close();
		await server.stop();
	}
}
