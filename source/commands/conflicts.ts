import {loadSync} from './shared/sync-client.js';
import type {CommandSpec} from './spec.js';
import {visible} from '../text/visible.js';

export const conflicts: CommandSpec = {
	name: 'conflicts',
	summary: 'List secrets changed differently here and on the server',
	usage: 'hush conflicts [--json]',
	help: `Each conflict names the secret and what differs (keys, fields, or edit against delete); values
are never shown. Settle one with hush resolve NAME --take local|remote.

Examples:
  hush conflicts
  hush conflicts --json`,
	flags: {json: {type: 'boolean'}},
	args: {min: 0, max: 0, names: ''},
	async run(context) {
		const sync = await loadSync();
		const list = sync.listConflicts(await context.vault());
		if (context.flags['json']) {
			context.printJson(list);
			return;
		}

		if (list.length === 0) {
			context.say('No conflicts');
			return;
		}

		for (const entry of list) {
			const line = `${entry.name}  ${entry.id}  ${entry.detail.join('; ')}${entry.kind === 'conflict' ? `  (here: ${entry.local}; server: ${entry.remote})` : ''}`;
			context.print(`${visible(line)}\n`);
		}
	},
};
