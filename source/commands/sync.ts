import {ExitCode} from '../errors.js';
import {loadSync, syncReportLine} from './shared/sync-client.js';
import type {CommandSpec} from './spec.js';

export const syncCommand: CommandSpec = {
	name: 'sync',
	summary: 'Pull, merge and push changes with the sync server',
	usage: 'hush sync [--json]',
	help: `Pulls what changed on the server since the last sync, merges it, then pushes what changed
here (compare-and-swap: when someone else wrote first, hush merges and tries again). Changes to
different keys or fields of one secret merge; the same key changed differently on both sides, or
an edit against a delete, becomes a conflict that keeps both versions (hush conflicts, hush
resolve). Exit 1 when conflicts remain or the server cannot be reached; local work is never lost.

Examples:
  hush sync
  hush sync --json`,
	flags: {json: {type: 'boolean'}},
	args: {min: 0, max: 0, names: ''},
	async run(context) {
		const sync = await loadSync();
		const report = await sync.sync(await context.vault());
		if (context.flags['json']) {
			context.printJson(report);
		}

		context.say(syncReportLine(report));
		for (const id of report.refused) {
			context.say(`warning: the server refused secret ${id} (private to another user there): it was not pushed`);
		}

		return report.conflicts > 0 ? ExitCode.failure : ExitCode.ok;
	},
};
