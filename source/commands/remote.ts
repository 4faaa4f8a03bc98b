import {ExitCode, InvalidInputError} from '../errors.js';
import {loadSync, readToken} from './shared/sync-client.js';
import type {CommandSpec} from './spec.js';
import {visible} from '../text/visible.js';

export const remote: CommandSpec = {
	name: 'remote',
	summary: 'Connect this vault to a sync server: remote add|show|remove',
	usage: 'hush remote add URL [--token-stdin] [--insecure] | hush remote show | hush remote remove | hush remote auto-sync on|off',
	help: `Stores the sync server's URL and token in the vault, encrypted (never in settings files).
The token comes from --token-stdin or a hidden prompt. Plain http:// is refused for anything but
loopback unless --insecure.

  hush remote add URL [--token-stdin] [--insecure] [--auto-sync]
  hush remote show [--json]
  hush remote remove
  hush remote auto-sync on|off     sync after every change (off by default; a failure only warns)

Examples:
  hush remote add https://hush.example.com
  hush server token create --user me --perm secrets:read,secrets:write | tail -n 1 | hush remote add https://hush.example.com --token-stdin`,
	flags: {tokenStdin: {type: 'boolean'}, insecure: {type: 'boolean'}, autoSync: {type: 'boolean'}, json: {type: 'boolean'}},
	args: {min: 1, max: 2, names: 'add URL | show | remove | auto-sync on|off'},
	async run(context) {
		const [action, argument] = context.args;
		const {flags} = context;
		if (action === 'add' && argument !== undefined) {
			const sync = await loadSync();
			sync.checkRemoteUrl(argument, Boolean(flags['insecure']));
			const token = await readToken(context);
			const vault = await context.vault();
			const base = sync.addRemote(vault, {url: argument, token, insecure: Boolean(flags['insecure']), autoSync: flags['autoSync'] as boolean | undefined});
			context.say(`Remote set to ${base} (token stored encrypted in the vault). Run hush sync.`);
			return;
		}

		if (action === 'show' && argument === undefined) {
			const sync = await loadSync();
			const shown = sync.showRemote(await context.vault());
			if (flags['json']) {
				context.printJson(shown);
			} else if (shown) {
				context.print(`${visible(shown.url)}\nvault ${visible(shown.vaultId)}\nauto-sync ${shown.autoSync ? 'on' : 'off'}\n`);
			} else {
				context.say('No remote: hush remote add URL');
				return ExitCode.failure;
			}

			return;
		}

		if (action === 'remove' && argument === undefined) {
			const sync = await loadSync();
			context.say(sync.forgetRemote(await context.vault()) ? 'Remote removed (the token is gone from this vault)' : 'There was no remote');
			return;
		}

		if (action === 'auto-sync' && (argument === 'on' || argument === 'off')) {
			const sync = await loadSync();
			sync.setAutoSync(await context.vault(), argument === 'on');
			context.say(`Auto-sync ${argument}`);
			return;
		}

		throw new InvalidInputError('usage: hush remote add URL | show | remove | auto-sync on|off (see hush remote --help)');
	},
};
