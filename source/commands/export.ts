import {formatDotenv, formatShell} from '../runtime/dotenv.js';
import {loaderVariable} from '../runtime/loader-variables.js';
import {InvalidInputError} from '../errors.js';
import {privateFlag} from './shared/secret-flags.js';
import type {CommandSpec} from './spec.js';

const formats = {dotenv: formatDotenv, shell: formatShell, json: (values: Record<string, string>) => `${JSON.stringify(values, null, 2)}\n`};

export const exportCommand: CommandSpec = {
	name: 'export',
	summary: 'Print a secret\'s values as dotenv, JSON or shell exports',
	usage: 'hush export NAME [--format dotenv|json|shell] [--private=true|false]',
	help: `Prints every key of NAME with its value. Refused for write-only secrets (use hush run or
hush inject for those). Logged in the audit log as an export.

Formats:
  dotenv   KEY="value" lines, escaped so that dotenv loaders and hush import read them back (default)
  json     one object, {"KEY": "value", ...}
  shell    export KEY='value' lines, quoted for eval: quotes, $, backticks, newlines and unicode survive

Options:
  --format F            dotenv, json or shell
  --json                the same as --format json
  --private=true|false  pick the private or public secret of that name

Examples:
  hush export myapp-dev > .env
  eval "$(hush export openai-creds --format shell)"
  hush export db --format json | jq -r .PASSWORD`,
	flags: {format: {type: 'string'}, json: {type: 'boolean'}, private: {type: 'boolean'}},
	args: {min: 1, max: 1, names: 'NAME'},
	async run(context) {
		if (context.flags['json'] === true && context.flags['format'] !== undefined && context.flags['format'] !== 'json') {
			throw new InvalidInputError('--json is --format json: give one of them');
		}

		const format = context.flags['json'] === true ? 'json' : ((context.flags['format'] as string | undefined) ?? 'dotenv');
		if (!Object.hasOwn(formats, format)) {
			throw new InvalidInputError(`--format ${JSON.stringify(format)}: use dotenv, json or shell`);
		}

		const vault = await context.vault();
		const revealed = vault.revealSecret(context.args[0]!, {private: privateFlag(context.flags), allowWriteOnly: false, action: 'export'});
		try {
			// Shell and dotenv output is meant to become an environment (eval, dotenv loaders, docker
			// --env-file), where these keys run code: the output stays exact, but say so.
			const loaders = format === 'json' ? [] : revealed.keys.filter(key => loaderVariable(key) !== undefined);
			if (loaders.length > 0) {
				context.say(`hush: warning: ${loaders.join(', ')} ${loaders.length === 1 ? 'changes' : 'change'} how programs load or start: check ${loaders.length === 1 ? 'it' : 'them'} before loading this output into an environment`);
			}

			context.io.stdout.write(formats[format as keyof typeof formats](revealed.values));
		} finally {
			revealed.wipe();
		}
	},
};
