import {InvalidInputError} from '../errors.js';
import type {CommandContext, CommandSpec} from './spec.js';

/** The team layer (curve and lattice code included) loads only when a team command runs. */
const loadTeam = () => import('../team/service.js');

export const team: CommandSpec = {
	name: 'team',
	summary: 'Make the remote a team and see who is in it: team init|members',
	usage: 'hush team init [--name NAME] | hush team members [--json]',
	help: `A team shares one remote. Who belongs to it, with which role and which public keys, is a
signed, hash-chained membership log the server stores but cannot forge: every device replays it
from the founder's fingerprint before trusting it, and refuses a log that is older (truncated),
different (forked) or altered than the one it has already seen.

  hush team init [--name NAME]   make this vault's remote a team, you its founder and first admin
                                 (the remote must have this vault: hush remote add URL, hush sync)
  hush team members [--json]     fetch the log, verify it, list name, role, fingerprint, added

Compare a member's fingerprint (8 groups of 5 digits, from their hush whoami) out loud or side by
side before you trust it.

Examples:
  hush team init --name platform
  hush team members
  hush team members --json`,
	flags: {name: {type: 'string'}, json: {type: 'boolean'}},
	args: {min: 1, max: 1, names: 'init | members'},
	async run(context) {
		const [action] = context.args;
		if (action === 'init' && context.flags['json'] === undefined) {
			return init(context);
		}

		if (action === 'members' && context.flags['name'] === undefined) {
			return members(context);
		}

		throw new InvalidInputError('usage: hush team init [--name NAME] | hush team members [--json] (see hush team --help)');
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
		].join('\n') + '\n',
	);
}

function notes(member: {founder: boolean; you: boolean}): string {
	const said = [member.founder ? 'founder' : '', member.you ? 'you' : ''].filter(Boolean);
	return said.length > 0 ? ` (${said.join(', ')})` : '';
}
