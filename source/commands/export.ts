import {formatDotenv, formatShell} from '../runtime/dotenv.js';
import {loaderVariable} from '../runtime/loader-variables.js';
import {InvalidInputError} from '../errors.js';
import type {Vault} from '../vault/vault.js';
import {type BackupDocument, backupFormat, backupSecret, backupVersion} from './shared/backup-document.js';
import {privateFlag} from './shared/secret-flags.js';
import type {CommandContext, CommandSpec} from './spec.js';

const formats = {dotenv: formatDotenv, shell: formatShell, json: (values: Record<string, string>) => `${JSON.stringify(values, null, 2)}\n`};

export const exportCommand: CommandSpec = {
	name: 'export',
	summary: 'Print a secret\'s values as dotenv, JSON or shell exports, or every secret as a backup',
	usage: 'hush export NAME [--format dotenv|json|shell] [--private=true|false] | hush export --all --format json [--include-write-only]',
	help: `Prints every key of NAME with its value. Refused for write-only secrets (use hush run or
hush inject for those). Logged in the audit log as an export.

--all --format json prints every secret, public and private, with its values and metadata (type,
description, integration, expiry, write-only, created and updated times), as a versioned document
that 'hush import json' reads back: for backups and moving machines. Write-only secrets are left
out (named in the document and on stderr) unless --include-write-only. Every secret exported is
logged. Keep the file as safe as the vault: it is plain text.

Formats:
  dotenv   KEY='value' lines that the dotenv package (and hush import dotenv) reads back exactly;
           a value no dotenv quoting can carry is refused, naming its key (default)
  json     one object, {"KEY": "value", ...}
  shell    export KEY='value' lines, quoted for eval: quotes, $, backticks, newlines and unicode survive

Options:
  --format F            dotenv, json or shell
  --json                the same as --format json
  --private=true|false  pick the private or public secret of that name
  --all                 every secret (with --format json)
  --include-write-only  --all: write-only secrets' values too

Examples:
  hush export myapp-dev > .env
  eval "$(hush export openai-creds --format shell)"
  hush export db --format json | jq -r .PASSWORD
  hush export --all --format json > hush-backup.json`,
	flags: {format: {type: 'string'}, json: {type: 'boolean'}, private: {type: 'boolean'}, all: {type: 'boolean'}, includeWriteOnly: {type: 'boolean'}},
	args: {min: 0, max: 1, names: 'NAME'},
	async run(context) {
		if (context.flags['json'] === true && context.flags['format'] !== undefined && context.flags['format'] !== 'json') {
			throw new InvalidInputError('--json is --format json: give one of them');
		}

		const format = context.flags['json'] === true ? 'json' : ((context.flags['format'] as string | undefined) ?? 'dotenv');
		if (!Object.hasOwn(formats, format)) {
			throw new InvalidInputError(`--format ${JSON.stringify(format)}: use dotenv, json or shell`);
		}

		if (context.flags['all'] === true) {
			if (context.args.length > 0 || format !== 'json' || context.flags['private'] !== undefined) {
				throw new InvalidInputError('--all exports every secret as one JSON document: hush export --all --format json (no NAME, no --private)');
			}

			await exportAll(context);
			return;
		}

		if (context.args.length === 0 || context.flags['includeWriteOnly'] !== undefined) {
			throw new InvalidInputError(context.args.length === 0 ? 'give a secret NAME, or --all --format json for every secret' : '--include-write-only goes with --all');
		}

		const vault = await context.vault();
		const revealed = vault.revealSecret(context.args[0]!, {private: privateFlag(context.flags), allowWriteOnly: false, action: 'export'});
		try {
			// Shell and dotenv output is meant to become an environment (eval, dotenv loaders, docker
			// --env-file), where these keys run code: the output stays exact, but say so.
			const loaders = format === 'json' ? [] : revealed.keys.filter(key => loaderVariable(key) !== undefined);
			const text = formats[format as keyof typeof formats](revealed.values);
			if (loaders.length > 0) {
				context.say(`hush: warning: ${loaders.join(', ')} ${loaders.length === 1 ? 'changes' : 'change'} how programs load or start: check ${loaders.length === 1 ? 'it' : 'them'} before loading this output into an environment`);
			}

			context.io.stdout.write(text);
		} finally {
			revealed.wipe();
		}
	},
};

async function exportAll(context: CommandContext): Promise<void> {
	const includeWriteOnly = context.flags['includeWriteOnly'] === true;
	const vault: Vault = await context.vault();
	const summaries = vault.listSecrets();
	const document: BackupDocument = {format: backupFormat, version: backupVersion, exportedAt: new Date().toISOString(), includesWriteOnly: includeWriteOnly, secrets: [], leftOut: []};
	const included = summaries.filter(summary => {
		if (summary.writeOnly && !includeWriteOnly) {
			document.leftOut.push({name: summary.name, private: summary.private, reason: 'write-only'});
			return false;
		}

		return true;
	});
	// One transaction for every read (and its audit entry): 10,000 commits would take minutes.
	const revealed = vault.revealSecrets(included.map(summary => summary.id), {allowWriteOnly: true, action: 'export'});
	try {
		document.secrets = revealed.map(secret => backupSecret(secret.summary, secret.values));
	} finally {
		for (const secret of revealed) {
			secret.wipe();
		}
	}

	context.io.stdout.write(`${JSON.stringify(document, null, 2)}\n`);
	if (document.leftOut.length > 0) {
		const names = document.leftOut.map(({name}) => name);
		context.say(`hush: warning: left out ${names.length} write-only ${names.length === 1 ? 'secret' : 'secrets'} (${names.slice(0, 10).join(', ')}${names.length > 10 ? ', …' : ''}): add --include-write-only to export their values too`);
	}

	context.say(`Exported ${document.secrets.length} ${document.secrets.length === 1 ? 'secret' : 'secrets'}${includeWriteOnly ? ', write-only values included' : ''}`);
}
