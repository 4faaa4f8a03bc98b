import {loadSync} from './shared/sync-client.js';
import type {CommandSpec} from './spec.js';
import {visible} from '../text/visible.js';

export const status: CommandSpec = {
	name: 'status',
	summary: 'Show the remote, the last sync, pending changes and conflicts',
	usage: 'hush status [--json]',
	help: `Examples:
  hush status
  hush status --json`,
	flags: {json: {type: 'boolean'}},
	args: {min: 0, max: 0, names: ''},
	async run(context) {
		const sync = await loadSync();
		const shown = {...sync.status(await context.vault()), unlockedBy: context.unlockedBy()};
		if (context.flags['json']) {
			context.printJson(shown);
			return;
		}

		context.print(
			[
				`vault      ${shown.vaultId}`,
				`unlocked   by ${shown.unlockedBy}`,
				`remote     ${shown.remote ?? 'none (hush remote add URL)'}`,
				`auto-sync  ${shown.autoSync ? 'on' : 'off'}`,
				`last sync  ${shown.lastSync ?? 'never'}`,
				`synced     ${shown.synced}`,
				`pending    ${shown.pending}`,
				`conflicts  ${shown.conflicts}${shown.conflicts ? ' (hush conflicts)' : ''}`,
			]
				.map(line => visible(line))
				.join('\n') + '\n',
		);
	},
};
