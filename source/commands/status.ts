import {loadSync} from './shared/sync-client.js';
import type {CommandSpec} from './spec.js';
import {visible} from '../text/visible.js';

export const status: CommandSpec = {
	name: 'status',
	summary: 'Show the remote, the last sync, pending changes, conflicts and quarantined records',
	usage: 'hush status [--json]',
	help: `Quarantined records came from the server but failed to open or to pass hush's checks: they
were set aside unapplied (the local copy stays as it was) until a good revision replaces them.
--json includes each one's id, revision, reason and when.

Examples:
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
				`quarantined ${shown.quarantined.length}${shown.quarantined.length > 0 ? ' (set aside unapplied until a good revision arrives):' : ''}`,
				...shown.quarantined.map(entry => `  ${entry.id}${entry.rev === null ? '' : ` revision ${entry.rev}`}: ${entry.reason}`),
			]
				.map(line => visible(line))
				.join('\n') + '\n',
		);
	},
};
