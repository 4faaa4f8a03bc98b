import {canPrompt, promptLine} from '../inputs/prompt.js';
import {VaultLockedError} from '../errors.js';
import {loadSync, readToken, syncDetailLines, syncExitCode, syncReportLine} from './shared/sync-client.js';
import type {CommandSpec} from './spec.js';

export const clone: CommandSpec = {
	name: 'clone',
	summary: 'Set up this device from a sync server',
	usage: 'hush clone URL [--token-stdin] [--vault ID] [--insecure]',
	help: `Fetches the vault header from the server, asks for the vault's passphrase (HUSH_PASSPHRASE or a
prompt), creates the local vault with it and pulls every secret. HUSH_HOME must hold no vault yet.
All or nothing: the vault is built in a staging folder and gets its name only once complete, so
an interrupted clone leaves no vault behind and can simply be run again. Records the server holds
that fail hush's checks are set aside (quarantined, see hush status) and the clone exits 1.
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
		const {vaultId, path, report} = await sync.clone({
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
		context.say(`Cloned vault ${vaultId} into ${path}. ${syncReportLine(report)}`);
		for (const line of syncDetailLines(report, {changes: false})) {
			context.say(line);
		}

		return syncExitCode(report);
	},
};
