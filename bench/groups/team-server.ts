import {randomUUID} from 'node:crypto';
import {mkdtempSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {measureInProcess} from '../measure.js';
import type {BenchGroup, InProcessResult} from '../types.js';
import {buildServer} from '../../source/server/app.js';
import {openStore} from '../../source/server/store.js';
import {rebuildTeamMembers} from '../../source/server/team-members.js';
import {createToken} from '../../source/server/tokens.js';
import {fingerprintHex, generateIdentity} from '../../source/team/identity.js';
import {appendEntry, createTeamEntry} from '../../source/team/log-writer.js';
import {type TeamState, verifyLog} from '../../source/team/membership-log.js';

const batch = 100;
const logLength = 100;

/**
 * What the server's second wall costs (in-process, Fastify inject, SQLite): a push and a pull of
 * 100 records on a team vault (membership and role looked up, each record checked against the role)
 * next to the same on a vault with no team, and rebuilding the derived membership of a
 * 100-entry log (what the schema step does for each stored log).
 */
export const teamServerGroup: BenchGroup = {
	name: 'team-server',
	description: `server roles in-process: push/pull of ${batch} records on a team vault vs a plain one; membership rebuilt from a ${logLength}-entry log`,
	async run(context) {
		const runs = context.runs.fast;
		const results: InProcessResult[] = [];
		const folder = mkdtempSync(join(tmpdir(), 'hush-bench-team-server-'));
		const store = await openStore(join(folder, 'server.db'));
		const app = buildServer({store, rateLimit: 0});
		try {
			const token = async (user: string, vaultId?: string) => store.transaction(async tx => (await createToken(tx, {user, perms: ['secrets:read', 'secrets:write'], vaultId})).token);
			const alice = await token('alice');
			const inject = async (method: 'GET' | 'POST' | 'PUT', url: string, bearer: string, payload?: unknown) => {
				const response = await app.inject({method, url, headers: {authorization: `Bearer ${bearer}`}, ...(payload === undefined ? {} : {payload: payload as Record<string, unknown>})});
				if (response.statusCode >= 300) {
					throw new Error(`${method} ${url} answered ${response.statusCode}: ${response.body}`);
				}

				return response;
			};

			const sealed = {nonce: 'AAAAAAAAAAAAAAAA', ciphertext: 'A'.repeat(256)};
			const records = () => Array.from({length: batch}, () => ({id: randomUUID(), rev: 1, baseRev: 0, deleted: false, private: false, keyGeneration: 1, meta: sealed, values: sealed}));
			const vault = async () => {
				const id = randomUUID();
				await inject('PUT', `/v1/vaults/${id}`, alice, {header: {format: 1, vaultId: id, createdAt: new Date().toISOString(), keyGeneration: 1}});
				return id;
			};

			const plain = await vault();
			const team = await vault();
			const founder = generateIdentity('alice');
			const bob = generateIdentity('bob');
			const entries = [createTeamEntry(founder, {teamId: team, teamName: 'bench'})];
			let state: TeamState = verifyLog([entries[0]!.bytes], fingerprintHex(founder));
			const next = appendEntry(state, founder, {type: 'add', member: {name: 'bob', signingKey: bob.signingKey, kemKey: bob.kemKey}, role: 'write'});
			entries.push(next.entry);
			state = next.state;
			await inject('POST', `/v1/vaults/${team}/team/log`, alice, {expected: null, entries: entries.map(entry => Buffer.from(entry.bytes).toString('base64'))});
			const bobToken = await token('bob', team);

			context.log(`team-server: push and pull of ${batch} records, ${runs} runs each`);
			const kinds = [['plain', plain, alice], ['team', team, bobToken]] as const;
			for (const [, vaultId, bearer] of kinds) {
				// Warm both paths (JIT, statement caches) before either is timed.
				await inject('POST', `/v1/vaults/${vaultId}/records`, bearer, {records: records()});
				await inject('GET', `/v1/vaults/${vaultId}/changes`, bearer);
			}

			for (const [kind, vaultId, bearer] of kinds) {
				results.push({
					id: `server-push-${kind}@${batch}`,
					group: 'team-server',
					label: `POST records: ${batch} new records on a ${kind === 'team' ? 'team vault (write member)' : 'vault with no team'}`,
					timing: await measureInProcess(runs, async () => inject('POST', `/v1/vaults/${vaultId}/records`, bearer, {records: records()})),
				});
				results.push({
					id: `server-pull-${kind}@${batch}`,
					group: 'team-server',
					label: `GET changes: the last ${batch} records of a ${kind === 'team' ? 'team vault (write member)' : 'vault with no team'}`,
					timing: await measureInProcess(runs, async () => {
						const page = JSON.parse((await inject('GET', `/v1/vaults/${vaultId}/changes?since=${(runs + 2) * batch - batch}`, bearer)).body) as {records: unknown[]};
						if (page.records.length !== batch) {
							throw new Error(`the pull returned ${page.records.length} records, not ${batch}`);
						}
					}),
				});
			}

			while (entries.length < logLength) {
				const person = generateIdentity(`m${entries.length}`);
				const added = appendEntry(state, founder, {type: 'add', member: {name: `m${entries.length}`, signingKey: person.signingKey, kemKey: person.kemKey}, role: 'read'});
				await inject('POST', `/v1/vaults/${team}/team/log`, alice, {expected: state.head, entries: [Buffer.from(added.entry.bytes).toString('base64')]});
				entries.push(added.entry);
				state = added.state;
			}

			results.push({
				id: `server-members-rebuild@${logLength}`,
				group: 'team-server',
				label: `rebuild the derived membership of a ${logLength}-entry log (the schema-5 step, per stored log)`,
				timing: await measureInProcess(runs, async () => store.transaction(async tx => rebuildTeamMembers(tx))),
			});
		} finally {
			await app.close();
			await store.close();
			rmSync(folder, {recursive: true, force: true});
		}

		return {inProcess: results};
	},
};
