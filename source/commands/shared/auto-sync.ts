import {describeError} from '../../errors.js';
import {readPreferences} from '../../preferences/read.js';
import type {CommandSpec} from '../spec.js';

/**
 * Optional auto-sync (`hush remote auto-sync on`; off by default): after a command that changed
 * the vault succeeds, sync once. A failure only warns — the change is safe locally and the next
 * sync pushes it. The sync code loads only when auto-sync is on.
 *
 * Two switches, one rule: the vault's own (`hush remote auto-sync`, sealed in the vault with its
 * remote, so it travels with the vault) decides unless the machine's preference `sync.auto` (hush
 * config) says `on` or `off`, which wins on this machine. The preference's default, `vault`, defers.
 * A vault without a remote never auto-syncs: there is nowhere to sync to.
 */
export function withAutoSync(spec: CommandSpec): CommandSpec {
	return {
		...spec,
		async run(context) {
			const code = await spec.run(context);
			if ((code ?? 0) !== 0) {
				return code;
			}

			const preference = readPreferences(context.io.env, message => context.say(`hush: warning: ${message}`))['sync.auto'];
			if (preference === 'off') {
				return code;
			}

			const vault = await context.vault();
			const store = vault.syncStore();
			const on = store.read(() => (preference === 'on' ? store.sealedSetting('remote') !== undefined : store.status('auto_sync') === '1'));
			if (!on) {
				return code;
			}

			try {
				const {sync} = await import('../../sync/index.js');
				const report = await sync(vault);
				if (report.conflicts > 0) {
					context.say(`hush: warning: auto-sync found ${report.conflicts} conflict(s): see hush conflicts`);
				}

				// What must not pass silently: loader variables pulled in, refused pushes, records set aside.
				const {syncDetailLines} = await import('./sync-client.js');
				for (const line of syncDetailLines(report, {changes: false})) {
					context.say(`hush: warning: auto-sync: ${line}`);
				}
			} catch (error) {
				context.say(`hush: warning: auto-sync failed (the change is saved here; run hush sync later): ${describeError(error)}`);
			}

			return code;
		},
	};
}
