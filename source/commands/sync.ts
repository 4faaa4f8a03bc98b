import {readValueFromStdin} from '../inputs/stdin.js';
import {canPrompt, promptLine} from '../inputs/prompt.js';
import {ExitCode, InvalidInputError, VaultLockedError} from '../errors.js';
import type {CommandContext, CommandSpec} from './spec.js';

/**
 * Sync commands. The sync engine and HTTP client load only when one of them runs.
 */

const loadSync = () => import('../sync/index.js');

async function readToken(context: CommandContext): Promise<string> {
	let token: string;
	if (context.flags['tokenStdin']) {
		token = (await readValueFromStdin(context.io.stdin, 'token')).trim();
	} else {
		const streams = {stdin: context.io.stdin, stderr: context.io.stderr};
		if (!canPrompt(streams)) {
			throw new InvalidInputError('standard input is not a terminal, so hush cannot ask for the token: pipe it in with --token-stdin');
		}

		token = (await promptLine(streams, 'Server token: ', {hidden: true})).trim();
	}

	if (!/^hush_[0-9a-f]{16}_[A-Za-z0-9_-]{43}$/.test(token)) {
		throw new InvalidInputError('that does not look like a hush server token (hush_…, from hush server token create)');
	}

	return token;
}

function reportLine(report: {pulled: number; pushed: number; merged: number; conflicts: number; refused: string[]}): string {
	return `Synced: ${report.pulled} pulled, ${report.pushed} pushed, ${report.merged} merged${report.conflicts ? `, ${report.conflicts} conflict(s): see hush conflicts` : ''}`;
}

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
				context.io.stdout.write(`${shown.url}\nvault ${shown.vaultId}\nauto-sync ${shown.autoSync ? 'on' : 'off'}\n`);
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

		context.say(reportLine(report));
		for (const id of report.refused) {
			context.say(`warning: the server refused secret ${id} (private to another user there): it was not pushed`);
		}

		return report.conflicts > 0 ? ExitCode.failure : ExitCode.ok;
	},
};

export const clone: CommandSpec = {
	name: 'clone',
	summary: 'Set up this device from a sync server',
	usage: 'hush clone URL [--token-stdin] [--vault ID] [--insecure]',
	help: `Fetches the vault header from the server, asks for the vault's passphrase (HUSH_PASSPHRASE or a
prompt), creates the local vault with it and pulls every secret. HUSH_HOME must hold no vault yet.
--vault picks the vault when the token reaches several.

Examples:
  hush clone https://hush.example.com
  printf '%s' "$TOKEN" | HUSH_HOME=~/.hush-laptop hush clone https://hush.example.com --token-stdin`,
	flags: {tokenStdin: {type: 'boolean'}, vault: {type: 'string'}, insecure: {type: 'boolean'}},
	args: {min: 1, max: 1, names: 'URL'},
	async run(context) {
		const sync = await loadSync();
		const [url] = context.args as [string];
		sync.checkRemoteUrl(url, Boolean(context.flags['insecure']));
		const token = await readToken(context);
		const {vault, report} = await sync.clone({
			home: context.io.env['HUSH_HOME'],
			url,
			token,
			insecure: Boolean(context.flags['insecure']),
			vaultId: context.flags['vault'] as string | undefined,
			command: 'clone',
			async passphrase() {
				const fromEnv = context.io.env['HUSH_PASSPHRASE'];
				if (fromEnv !== undefined) {
					return fromEnv;
				}

				const streams = {stdin: context.io.stdin, stderr: context.io.stderr};
				if (!canPrompt(streams)) {
					throw new VaultLockedError('standard input is not a terminal, so hush cannot ask for the vault passphrase: set HUSH_PASSPHRASE');
				}

				return promptLine(streams, 'Vault passphrase: ', {hidden: true});
			},
		});
		try {
			context.say(`Cloned vault ${vault.id} into ${vault.path}. ${reportLine(report)}`);
		} finally {
			vault.close();
		}

		return report.conflicts > 0 ? ExitCode.failure : ExitCode.ok;
	},
};

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

		context.io.stdout.write(
			[
				`vault      ${shown.vaultId}`,
				`unlocked   by ${shown.unlockedBy}`,
				`remote     ${shown.remote ?? 'none (hush remote add URL)'}`,
				`auto-sync  ${shown.autoSync ? 'on' : 'off'}`,
				`last sync  ${shown.lastSync ?? 'never'}`,
				`synced     ${shown.synced}`,
				`pending    ${shown.pending}`,
				`conflicts  ${shown.conflicts}${shown.conflicts ? ' (hush conflicts)' : ''}`,
			].join('\n') + '\n',
		);
	},
};

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
			context.io.stdout.write(`${entry.name}  ${entry.id}  ${entry.detail.join('; ')}${entry.kind === 'conflict' ? `  (here: ${entry.local}; server: ${entry.remote})` : ''}\n`);
		}
	},
};

export const resolve: CommandSpec = {
	name: 'resolve',
	summary: 'Settle a sync conflict by taking this device’s or the server’s side',
	usage: 'hush resolve NAME --take local|remote | hush resolve NAME --key KEY=local|remote...',
	help: `The conflicting keys and fields (or the edit-versus-delete) take the chosen side; changes that
did not conflict are kept from both. --key picks a side for one key (repeat it); --take covers
every conflict --key does not name. The result is pushed on the next hush sync.

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
