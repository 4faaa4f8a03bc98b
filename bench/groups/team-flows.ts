import {mkdtempSync} from 'node:fs';
import {join} from 'node:path';
import {performance} from 'node:perf_hooks';
import {type ByteCounts, type CountingProxy, countingProxy} from '../byte-proxy.js';
import {type Stats, summarize} from '../measure.js';
import {benchServer, floorVault} from '../team-setup.js';
import type {BenchGroup, InProcessResult} from '../types.js';
import {generateSecrets} from '../vaults.js';
import {addRemote, sync} from '../../source/sync/index.js';
import {teamExposure} from '../../source/team/exposure.js';
import {approveMember, inviteMember} from '../../source/team/invites.js';
import {parseInviteCode} from '../../source/team/invite-code.js';
import {joinTeam} from '../../source/team/join.js';
import type {Role} from '../../source/team/log-entry.js';
import {removeMember} from '../../source/team/removal.js';
import {initTeam} from '../../source/team/service.js';
import type {SyncReport} from '../../source/sync/engine.js';
import type {Vault} from '../../source/vault/vault.js';

const size = 1000;
/** The 9 who join the founder: 10 members in all, 2 admin, 5 write, 2 read, 1 list. The removed one is a writer. */
const joiners: ReadonlyArray<{name: string; role: Role}> = [
	{name: 'admin1', role: 'admin'},
	...[1, 2, 3, 4, 5].map(index => ({name: `write${index}`, role: 'write' as const})),
	{name: 'read1', role: 'read'},
	{name: 'read2', role: 'read'},
	{name: 'list1', role: 'list'},
];
const removed = 'write5';

type Device = {name: string; role: Role; vault: Vault; proxy: CountingProxy};
/** A row with what the device(s) moved over the socket, kept in .bench/results.json beside the times. */
type FlowResult = InProcessResult & {bytes?: {sent: Stats; received: Stats}};

const kib = (bytes: number) => `${(bytes / 1024).toLocaleString('en-US', {minimumFractionDigits: 1, maximumFractionDigits: 1})} KiB`;

/**
 * The team flows end to end, in-process against a real `hush serve` (SQLite) on 127.0.0.1, at
 * 1,000 team secrets and 10 members: a founder's vault of 1,000 public secrets becomes a team
 * (its first team sync re-seals and pushes all of them); 9 members are invited, join, are approved
 * and make their first sync (pull and open 1,000 records); one is removed (signed removal, a new
 * generation wrapped to the 9 who stay, 1,000 re-sealed and pushed), the exposure report is made,
 * and every remaining member's next sync pulls the 1,000 re-sealed records.
 *
 * Every device talks to the server through its own counting TCP proxy (bench/byte-proxy.ts), so
 * the bytes are what its sockets carried, headers included. Vaults are at argon2id's floor: the
 * times are the team protocol's, not the KDF's. One pass whatever BENCH_RUNS says: the samples of
 * the per-member rows are the members.
 */
export const teamFlowsGroup: BenchGroup = {
	name: 'team-flows',
	description: `team flows against hush serve at ${size.toLocaleString('en-US')} secrets, 10 members: invite → join → approve → sync; remove → re-key → exposure; bytes per device (one pass)`,
	async run(context) {
		const results: FlowResult[] = [];
		const row = (id: string, label: string, samples: number[], bytes?: ByteCounts[]) => {
			results.push({
				id: `team-flows-${id}`,
				group: 'team-flows',
				label: bytes ? `${label} · ${describeBytes(bytes)}` : label,
				timing: summarize(samples),
				...(bytes ? {bytes: {sent: summarize(bytes.map(b => b.sent)), received: summarize(bytes.map(b => b.received))}} : {}),
			});
		};

		const dir = mkdtempSync(join(context.workDir, 'team-flows-'));
		const {server, token} = await benchServer(dir, 'founder');
		const devices: Device[] = [];
		const cleanups: Array<() => unknown> = [() => server.stop()];
		const device = async (name: string, role: Role): Promise<Device> => {
			const vault = await floorVault(dir, name);
			cleanups.push(() => vault.close());
			const proxy = await countingProxy(server.port);
			cleanups.push(async () => proxy.stop());
			return {name, role, vault, proxy};
		};

		try {
			// ---- the founder's vault becomes a team --------------------------------------------------
			const founder = await device('founder', 'admin');
			const entries = generateSecrets(size).map(entry => ({...entry, options: {...entry.options, private: false}}));
			founder.vault.createSecrets(entries);
			addRemote(founder.vault, {url: founder.proxy.url, token, insecure: false});
			context.log(`team-flows: the founder pushes ${size} secrets, then makes the vault a team`);
			const plain = await timedSync(founder, report => report.pushed === size);
			row(`founder-push@${size}`, `founder's sync before the team: push ${size.toLocaleString('en-US')} secrets (vault sealed, no team)`, [plain.ms], [plain.bytes]);

			await founder.vault.teamIdentity({rename: 'founder'});
			const init = await founder.proxy.measure(async () => timed(async () => initTeam(founder.vault, {name: 'bench'})));
			row('init', 'hush team init: create entry + generation 1, signed, with the founder\'s wrap', [init.result.ms], [init.bytes]);

			const reseal = await timedSync(founder, report => report.resealed === size && report.pushed === size);
			row(`founder-reseal@${size}`, `founder's first team sync: re-seal ${size.toLocaleString('en-US')} public secrets under generation 1 and push them`, [reseal.ms], [reseal.bytes]);

			// ---- 9 members come in ------------------------------------------------------------------
			context.log(`team-flows: ${joiners.length} members invited, joining, approved, first sync of ${size} records`);
			const steps = {invite: [] as number[], join: [] as number[], approve: [] as number[], sync: [] as number[], total: [] as number[]};
			const inviteBytes: ByteCounts[] = [];
			const joinBytes: ByteCounts[] = [];
			const approveBytes: ByteCounts[] = [];
			const firstSyncBytes: ByteCounts[] = [];
			const firstSyncs: Array<{name: string; role: Role; ms: number; bytes: ByteCounts}> = [];
			for (const {name, role} of joiners) {
				const member = await device(name, role);
				const started = performance.now();
				const invited = await founder.proxy.measure(async () => timedInto(steps.invite, async () => inviteMember(founder.vault, {user: name, role, lifetime: 3_600_000})));
				inviteBytes.push(invited.bytes);
				const {code} = invited.result;
				// The code names the founder's proxy; this device reaches the same server through its own.
				const joined = await member.proxy.measure(async () => timedInto(steps.join, async () => joinTeam(member.vault, {...parseInviteCode(code), url: member.proxy.url}, {insecure: false})));
				joinBytes.push(joined.bytes);
				approveBytes.push((await founder.proxy.measure(async () => timedInto(steps.approve, async () => approveMember(founder.vault, name, async () => true)))).bytes);
				const first = await timedSync(member, report => report.pulled === size);
				steps.sync.push(first.ms);
				steps.total.push(performance.now() - started);
				firstSyncBytes.push(first.bytes);
				firstSyncs.push({name, role, ms: first.ms, bytes: first.bytes});
				await checkOpens(member, entries);
				devices.push(member);
			}

			row('invite', 'hush team invite (admin\'s device): verify the log, sign and register the invite', steps.invite, inviteBytes);
			row('join', 'hush join (new device): send keys with the MAC, get the token, verify the log (vault creation excluded)', steps.join, joinBytes);
			row('approve', 'hush team approve (admin\'s device): check the MAC, sign the add entry, wrap and publish the keys', steps.approve, approveBytes);
			row(`first-sync@${size}`, `a new member's first sync: verify the log, open their wrap, pull and store ${size.toLocaleString('en-US')} records`, steps.sync, firstSyncBytes);
			row(`join-flow@${size}`, 'invite → join → approve → first sync, per member (team of 2 → 10)', steps.total);

			// ---- one is removed ---------------------------------------------------------------------
			context.log(`team-flows: ${removed} removed, ${size} records re-sealed and pushed, exposure report`);
			const removal = await founder.proxy.measure(async () => timed(async () => removeMember(founder.vault, removed, async () => true)));
			const {result: removedReport} = removal.result;
			if (removedReport.resealed !== size || removedReport.wrapped !== joiners.length || removedReport.exposure.secrets.length !== size) {
				throw new Error(`the removal re-sealed ${removedReport.resealed}, wrapped ${removedReport.wrapped} and exposed ${removedReport.exposure.secrets.length}`);
			}

			row(`remove@${size}`, `hush team remove: signed removal + generation 2, wrapped to the ${joiners.length} who stay, ${size.toLocaleString('en-US')} re-sealed locally`, [removal.result.ms], [removal.bytes]);
			const push = await timedSync(founder, report => report.pushed === size);
			row(`rekey-push@${size}`, `the admin's sync after it: push the ${size.toLocaleString('en-US')} re-sealed records`, [push.ms], [push.bytes]);
			row(`remove-flow@${size}`, 'remove → re-key → push, end to end', [removal.result.ms + push.ms], [{sent: removal.bytes.sent + push.bytes.sent, received: removal.bytes.received + push.bytes.received}]);

			const exposure = await founder.proxy.measure(async () => timed(async () => teamExposure(founder.vault, removed)));
			if (exposure.result.result[0]?.secrets.length !== size) {
				throw new Error(`the exposure report lists ${exposure.result.result[0]?.secrets.length} secrets, not ${size}`);
			}

			row(`exposure@${size}`, `hush team exposure ${removed}: verify the log, list the ${size.toLocaleString('en-US')} secrets they could read`, [exposure.result.ms], [exposure.bytes]);

			context.log(`team-flows: every remaining member's next sync (${size} re-sealed records)`);
			const rekeySyncs: Array<{name: string; ms: number; bytes: ByteCounts}> = [];
			for (const member of devices) {
				if (member.name === removed) {
					// Its token is revoked with the removal: the server turns its sync away.
					const {result: refused} = await member.proxy.measure(async () => sync(member.vault).then(() => undefined, (error: unknown) => error));
					// team-sync.ts turns the server's 401 into one line naming the team and the 401.
					if (!(refused instanceof Error && /\(401\)/.test(refused.message))) {
						throw new Error(`${removed}'s device is not refused after the removal: ${refused instanceof Error ? refused.message : 'its sync went through'}`);
					}

					continue;
				}

				const next = await timedSync(member, report => report.pulled === size);
				rekeySyncs.push({name: member.name, ms: next.ms, bytes: next.bytes});
				await checkOpens(member, entries);
			}

			row(`rekey-sync@${size}`, `a remaining member's next sync: open the generation-2 wrap, pull and store ${size.toLocaleString('en-US')} re-sealed records`, rekeySyncs.map(run => run.ms), rekeySyncs.map(run => run.bytes));
			context.log(`team-flows: per device (ms, sent / received)\n${perDevice(firstSyncs, rekeySyncs)}`);
		} finally {
			for (const cleanup of cleanups.reverse()) {
				await cleanup();
			}
		}

		return {inProcess: results};
	},
};

async function timed<T>(work: () => Promise<T>): Promise<{result: T; ms: number}> {
	const started = performance.now();
	const result = await work();
	return {result, ms: performance.now() - started};
}

async function timedInto<T>(samples: number[], work: () => Promise<T>): Promise<T> {
	const {result, ms} = await timed(work);
	samples.push(ms);
	return result;
}

/** One `hush sync` of `device`, timed, its bytes counted; `expect` checks the report, so nothing else is timed by mistake. */
async function timedSync(device: Device, expect: (report: SyncReport) => boolean): Promise<{ms: number; bytes: ByteCounts}> {
	const {result, bytes} = await device.proxy.measure(async () => timed(async () => sync(device.vault))).catch((error: unknown) => {
		throw new Error(`${device.name}'s sync failed: ${error instanceof Error ? error.message : String(error)}`, {cause: error});
	});
	const {pulled, pushed, resealed, conflicts, quarantined, waitingForTeamKeys} = result.result;
	if (!expect(result.result) || conflicts > 0 || quarantined.length > 0 || waitingForTeamKeys > 0) {
		throw new Error(`${device.name}'s sync: pulled ${pulled}, pushed ${pushed}, re-sealed ${resealed}, ${conflicts} conflicts, ${quarantined.length} quarantined, ${waitingForTeamKeys} waiting for keys`);
	}

	return {ms: result.ms, bytes};
}

/** After a sync: the device lists all the team's secrets and, if its role opens values, reads one right. */
async function checkOpens(device: Device, entries: ReturnType<typeof generateSecrets>): Promise<void> {
	const listed = device.vault.listSecrets().length;
	if (listed !== entries.length) {
		throw new Error(`${device.name} lists ${listed} secrets, not ${entries.length}`);
	}

	if (device.role === 'list') {
		return;
	}

	const sample = entries.find(entry => !entry.options.writeOnly)!;
	const [key, value] = Object.entries(sample.values)[0]!;
	if ((await device.vault.withSecret(sample.name, secret => secret.get(key))) !== value) {
		throw new Error(`${device.name} read a wrong value of ${sample.name}`);
	}
}

function describeBytes(bytes: ByteCounts[]): string {
	if (bytes.length === 1) {
		return `device sent ${kib(bytes[0]!.sent)}, received ${kib(bytes[0]!.received)}`;
	}

	const sent = summarize(bytes.map(b => b.sent));
	const received = summarize(bytes.map(b => b.received));
	return `device sent ${kib(sent.median)}, received ${kib(received.median)} (median of ${bytes.length}; max ${kib(sent.max)}, ${kib(received.max)})`;
}

function perDevice(first: ReadonlyArray<{name: string; role: Role; ms: number; bytes: ByteCounts}>, rekey: ReadonlyArray<{name: string; ms: number; bytes: ByteCounts}>): string {
	const lines = ['| Member | Role | First sync ms | Sent | Received | Sync after re-key ms | Sent | Received |', '| :-- | :-- | --: | --: | --: | --: | --: | --: |'];
	for (const run of first) {
		const after = rekey.find(candidate => candidate.name === run.name);
		const tail = after ? [after.ms.toFixed(0), kib(after.bytes.sent), kib(after.bytes.received)] : ['removed', '—', '—'];
		lines.push(`| ${run.name} | ${run.role} | ${run.ms.toFixed(0)} | ${kib(run.bytes.sent)} | ${kib(run.bytes.received)} | ${tail.join(' | ')} |`);
	}

	return lines.join('\n');
}
