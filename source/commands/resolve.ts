import {InvalidInputError} from '../errors.js';
import {loadSync} from './shared/sync-client.js';
import type {CommandSpec} from './spec.js';

export const resolve: CommandSpec = {
	name: 'resolve',
	summary: 'Settle a sync conflict by taking this device’s or the server’s side',
	usage: 'hush resolve NAME --take local|remote | hush resolve NAME --key KEY=local|remote...',
	help: `The conflicting keys and fields (or the edit-versus-delete) take the chosen side; changes that
did not conflict are kept from both. --key picks a side for one key (repeat it); --take covers
every conflict --key does not name. The result is pushed on the next hush sync.

A secret whose server copy was quarantined (hush sync named it: it failed to open or to validate)
has no remote side to take: --take local overwrites the server's copy with this device's on the
next sync; --take remote is refused.

Examples:
  hush resolve db-creds --take local
  hush resolve db-creds --take remote
  hush resolve db-creds --key PASSWORD=remote --key USER=local`,
	flags: {take: {type: 'string'}, key: {type: 'string', isMultiple: true}},
	args: {min: 1, max: 1, names: 'NAME'},
	async run(context) {
		const sync = await loadSync();
		const take = context.flags['take'] === undefined ? undefined : sync.assertTake(context.flags['take']);
		const keys = new Map<string, 'local' | 'remote'>();
		for (const entry of (context.flags['key'] as string[] | undefined) ?? []) {
			const match = /^([A-Za-z_][A-Za-z0-9_]*)=(local|remote)$/.exec(entry);
			if (!match) {
				throw new InvalidInputError(`--key takes KEY=local or KEY=remote, not ${JSON.stringify(entry)}`);
			}

			keys.set(match[1]!, match[2] as 'local' | 'remote');
		}

		if (take === undefined && keys.size === 0) {
			throw new InvalidInputError('say which side wins: --take local|remote, or --key KEY=local|remote');
		}

		const resolved = sync.resolveConflict(await context.vault(), context.args[0]!, {take, keys});
		context.say(`Resolved ${resolved.name}: run hush sync to push it`);
	},
};
