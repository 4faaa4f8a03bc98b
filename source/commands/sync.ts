import {loadSync, syncDetailLines, syncExitCode, syncReportLine} from './shared/sync-client.js';
import type {CommandSpec} from './spec.js';

export const syncCommand: CommandSpec = {
	name: 'sync',
	summary: 'Pull, merge and push changes with the sync server',
	usage: 'hush sync [--json]',
	help: `Pulls what changed on the server since the last sync, merges it, then pushes what changed
here (compare-and-swap: when someone else wrote first, hush merges and tries again). Changes to
different keys or fields of one secret merge; the same key changed differently on both sides, or
an edit against a delete, becomes a conflict that keeps both versions (hush conflicts, hush
resolve). Below the summary, one line per secret the pull changed: keys added (+) and removed (−)
and who wrote it; a key that changes how programs start (NODE_OPTIONS, LD_PRELOAD, ...) gets a
warning of its own. A record from the server that fails to open or to pass the checks local input
gets is set aside unapplied (quarantined), named with the reason, and the rest still syncs; it is
cleared when a good revision of it arrives. Exit 1 when conflicts, refused secrets or quarantined
records remain, or the server cannot be reached; local work is never lost.

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
		for (const line of syncDetailLines(report, {changes: true})) {
			context.say(line);
		}

		return syncExitCode(report);
	},
};
