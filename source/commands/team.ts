import {InvalidInputError, describeError} from '../errors.js';
import {visible} from '../text/visible.js';
import {canPrompt, promptLine} from '../inputs/prompt.js';
import type {CommandContext, CommandSpec} from './spec.js';

/** The team layer (curve and lattice code included) loads only when a team command runs. */
const loadTeam = () => import('../team/service.js');

export const team: CommandSpec = {
	name: 'team',
	summary: 'Make the remote a team, see who is in it, invite, approve, change roles, remove: team init|members|invite|approve|role|remove|exposure',
	usage: 'hush team init [--name NAME] | hush team members [--json] | hush team invite USER [--role R] [--expires 24h] | hush team approve USER [--yes] | hush team role USER ROLE | hush team remove USER [--yes] | hush team exposure [USER] [--json]',
	help: `A team shares one remote. Who belongs to it, with which role and which public keys, is a
signed, hash-chained membership log the server stores but cannot forge: every device replays it
from the founder's fingerprint before trusting it, and refuses a log that is older (truncated),
different (forked) or altered than the one it has already seen.

  hush team init [--name NAME]   make this vault's remote a team, you its founder and first admin
                                 (the remote must have this vault: hush remote add URL, hush sync)
  hush team members [--json]     fetch the log, verify it, list name, role, fingerprint, added;
                                 and open your wrap of the team keys once an admin approved you
  hush team invite USER [--role admin|write|read|list] [--expires 24h]
                                 (admin) print a one-time code for USER's hush join; role read
                                 by default; the code expires after --expires (1m to 30d)
  hush team role USER ROLE       (admin) change USER's role; their key wrap is made again for it
  hush team remove USER [--yes]  (admin) remove USER: a signed removal and a new key generation,
                                 wrapped to everyone who stays; every team secret is re-sealed
                                 under it and pushed; the server revokes USER's tokens. Prints
                                 the exposure report: what USER could read and may have copied
  hush team exposure [USER] [--json]
                                 what each removed member could read, until it is rotated
  hush team approve USER [--yes] (admin, on the device that made the invite) check USER's join
                                 against the invite, show their fingerprint, add them to the
                                 log and give them the team keys; --yes skips the question

Compare a member's fingerprint (8 groups of 5 digits, from their hush whoami) out loud or side by
side before you trust it.

Examples:
  hush team init --name platform
  hush team members
  hush team members --json
  hush team invite bob --role write --expires 2h
  hush team approve bob
  hush team role bob read
  hush team remove bob
  hush team exposure bob --json

Removal cannot take back what a member already copied: secrets sealed after it are out of their
reach, but every value they could read before stays in the report until you rotate it.`,
	flags: {name: {type: 'string'}, json: {type: 'boolean'}, role: {type: 'string'}, expires: {type: 'string'}, yes: {type: 'boolean'}},
	args: {min: 1, max: 3, names: 'init | members | invite USER | approve USER | role USER ROLE | remove USER | exposure [USER]'},
	async run(context) {
		const [action, user, extra] = context.args;
		if (action === 'exposure' && extra === undefined) {
			return exposure(context, user);
		}

		if (action === 'remove' && user !== undefined && extra === undefined) {
			return remove(context, user);
		}

		if (user !== undefined && (extra === undefined || action === 'role')) {
			if (action === 'invite') {
				return invite(context, user);
			}

			if (action === 'approve') {
				return approve(context, user);
			}

			if (action === 'role') {
				return role(context, user);
			}
		}

		if (action === 'init' && context.flags['json'] === undefined) {
			return init(context);
		}

		if (action === 'members' && context.flags['name'] === undefined) {
			return members(context);
		}

		throw new InvalidInputError('usage: hush team init|members|invite USER|approve USER|role USER ROLE|remove USER|exposure [USER] (see hush team --help)');
	},
};

async function init(context: CommandContext): Promise<void> {
	const service = await loadTeam();
	const {view, resumed} = await service.initTeam(await context.vault(), {name: context.flags['name'] as string | undefined});
	context.say(`${resumed ? 'Finished making' : 'Made'} team ${view.teamName}: you are its founder and admin; key generation 1 is sealed for you. Compare fingerprints with hush whoami.`);
}

async function members(context: CommandContext): Promise<void> {
	const service = await loadTeam();
	const {fingerprintDigits} = await import('../team/identity.js');
	const view = await service.teamMembers(await context.vault());
	const digits = (hex: string) => fingerprintDigits(new Uint8Array(Buffer.from(hex, 'hex')));
	if (context.flags['json']) {
		context.printJson({...view, members: view.members.map(member => ({...member, fingerprintDigits: digits(member.fingerprint)}))});
		return;
	}

	const rows = view.members.map(member => [member.name, member.role, digits(member.fingerprint), `${member.addedAt.slice(0, 16).replace('T', ' ')}${notes(member)}`]);
	const width = (column: number) => Math.max(...[['NAME', 'ROLE'][column] ?? '', ...rows.map(row => row[column]!)].map(cell => cell.length));
	const line = (cells: string[]) => `${cells[0]!.padEnd(width(0))}  ${cells[1]!.padEnd(width(1))}  ${cells[2]!.padEnd(47)}  ${cells[3]}`.trimEnd();
	context.print(
		[
			`team ${view.teamName}: ${view.members.length} member${view.members.length === 1 ? '' : 's'}, membership log verified to entry ${view.head.seq}`,
			line(['NAME', 'ROLE', 'FINGERPRINT', 'ADDED']),
			...rows.map(row => line(row)),
			...(view.role === null ? ['you are not a member yet: an admin approves your join with hush team approve'] : []),
			...(view.keys ? [keysLine(view.keys)] : []),
		].join('\n') + '\n',
	);
}

const roles = ['admin', 'write', 'read', 'list'] as const;

function parseLifetime(text: string): number {
	const match = /^([1-9]\d{0,4})(m|h|d)$/.exec(text);
	if (!match) {
		throw new InvalidInputError('--expires takes a duration such as 30m, 24h or 7d');
	}

	return Number(match[1]) * {m: 60_000, h: 3_600_000, d: 86_400_000}[match[2] as 'm' | 'h' | 'd'];
}

async function invite(context: CommandContext, user: string): Promise<void> {
	const role = (context.flags['role'] as string | undefined) ?? 'read';
	if (!(roles as readonly string[]).includes(role)) {
		throw new InvalidInputError('--role is admin, write, read or list');
	}

	const lifetime = parseLifetime((context.flags['expires'] as string | undefined) ?? '24h');
	const {inviteMember} = await import('../team/invites.js');
	const {code, expiresAt} = await inviteMember(await context.vault(), {user, role: role as (typeof roles)[number], lifetime});
	context.say(`Invited ${user} as ${role}, once, until ${expiresAt.slice(0, 16).replace('T', ' ')} UTC. Give them this code (it is a secret until used); they run hush join CODE, then you run hush team approve ${user}:`);
	context.print(`${code}\n`);
}

async function approve(context: CommandContext, user: string): Promise<void> {
	const {approveMember} = await import('../team/invites.js');
	const {fingerprintDigits} = await import('../team/identity.js');
	const digits = (hex: string) => fingerprintDigits(new Uint8Array(Buffer.from(hex, 'hex')));
	const joined = await approveMember(await context.vault(), user, async joiner => {
		context.say(`${joiner.name} joined with your invite for the role ${joiner.role}. Their fingerprint (compare it with their hush whoami):`);
		context.say(`  ${digits(joiner.fingerprint)}`);
		if (context.flags['yes']) {
			return true;
		}

		const streams = {stdin: context.io.stdin, stderr: context.io.stderr};
		if (!canPrompt(streams)) {
			throw new InvalidInputError(`standard input is not a terminal: compare that fingerprint with ${joiner.name}'s hush whoami, then run again with --yes`);
		}

		return /^y(es)?$/i.test((await promptLine(streams, `Does ${joiner.name}'s hush whoami show exactly this fingerprint? [y/N] `)).trim());
	});
	context.say(`${joined.added ? 'Approved' : 'Already a member:'} ${joined.name} (${joined.role}); key generation ${joined.generation} is wrapped for them. They see it with hush team members.`);
}

async function role(context: CommandContext, user: string): Promise<void> {
	const to = context.args[2];
	if (to === undefined || !(roles as readonly string[]).includes(to)) {
		throw new InvalidInputError('usage: hush team role USER admin|write|read|list');
	}

	const {changeRole} = await import('../team/role-change.js');
	const changed = await changeRole(await context.vault(), user, to as (typeof roles)[number]);
	context.say(`${changed.name} is now ${changed.to} (was ${changed.from}); key generation ${changed.generation} is wrapped for the new role.`);
	if (changed.rekeyed) {
		context.say(`Their values key stops at generation ${changed.generation - 1}: ${changed.rekeyed.resealed} secret(s) re-sealed here under generation ${changed.generation}.`);
		await pushRekeyed(context);
	}
}

function keysLine(keys: {generation: number; status: 'open'; values: boolean} | {generation: number; status: 'waiting'}): string {
	if (keys.status === 'waiting') {
		return `your keys: generation ${keys.generation} not yet given to you (an admin runs hush team approve)`;
	}

	return `your keys: generation ${keys.generation}, ${keys.values ? 'names and values' : 'names only (list role)'}, checked against the log`;
}

function notes(member: {founder: boolean; you: boolean}): string {
	const said = [member.founder ? 'founder' : '', member.you ? 'you' : ''].filter(Boolean);
	return said.length > 0 ? ` (${said.join(', ')})` : '';
}

async function remove(context: CommandContext, user: string): Promise<void> {
	const {removeMember} = await import('../team/removal.js');
	const removal = await removeMember(await context.vault(), user, async (member, report) => {
		if (context.flags['yes']) {
			return true;
		}

		const streams = {stdin: context.io.stdin, stderr: context.io.stderr};
		if (!canPrompt(streams)) {
			throw new InvalidInputError(`standard input is not a terminal: run again with --yes to remove ${visible(member.name)}`);
		}

		context.say(`Removing ${visible(member.name)} (${member.role}) makes a new key generation and re-seals every team secret under it (${report.secrets.length} of them were readable by them).`);
		return /^y(es)?$/i.test((await promptLine(streams, `Remove ${visible(member.name)} from the team? [y/N] `)).trim());
	});
	context.say(`Removed ${visible(removal.member.name)}: key generation ${removal.generation} is wrapped for the ${removal.wrapped} member(s) who stay; ${removal.resealed} secret(s) re-sealed here.`);
	if (removal.notYet.length > 0) {
		context.say(`hush: warning: the server did not take the new keys for ${removal.notYet.map(name => visible(name)).join(', ')} yet: your next hush sync gives them`);
	}

	await pushRekeyed(context);
	printExposure(context, [removal.exposure]);
}

/** Pushes what a re-key re-sealed; a failure leaves it safe here for the next hush sync. */
async function pushRekeyed(context: CommandContext): Promise<void> {
	const {sync} = await import('../sync/index.js');
	try {
		const report = await sync(await context.vault());
		context.say(`Pushed ${report.pushed} re-sealed record(s) to the server.`);
	} catch (error) {
		context.say(`hush: warning: the re-sealed secrets are safe here but not yet on the server (${describeError(error)}): run hush sync`);
	}
}

async function exposure(context: CommandContext, user: string | undefined): Promise<void> {
	const {teamExposure} = await import('../team/exposure.js');
	const reports = await teamExposure(await context.vault(), user);
	printExposure(context, reports);
}

function printExposure(context: CommandContext, reports: Array<import('../team/exposure.js').Exposure>): void {
	if (context.flags['json']) {
		context.printJson(reports);
		return;
	}

	const lines: string[] = [];
	for (const report of reports) {
		const what = report.values ? 'names, keys and values' : 'names and keys (list role: no values)';
		lines.push(`exposed to ${visible(report.member.name)} (${report.member.role}, removed ${report.removedAt.slice(0, 16).replace('T', ' ')} UTC): ${report.secrets.length} secret(s), ${what}, not rotated since`);
		for (const secret of report.secrets) {
			lines.push(`  ${visible(secret.name)}  ${secret.keys.map(key => visible(key)).join(' ')}`);
		}
	}

	if (reports.length === 0) {
		lines.push('nobody has been removed from this team');
	} else if (reports.some(report => report.secrets.length > 0 && report.values)) {
		lines.push('rotate each of these (hush rotate NAME KEY, or set new values): removal cannot take back what was already copied');
	}

	context.print(`${lines.join('\n')}\n`);
}
