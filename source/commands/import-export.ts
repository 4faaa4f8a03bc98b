import {metadataFlags, metadataFromFlags, privateFlag} from './secret-flags.js';
import {visibility} from './format.js';
import type {CommandContext, CommandSpec} from './spec.js';
import {formatDotenv, formatShell, parseDotenv} from '../runtime/dotenv.js';
import {readPipedInput, readTextFile} from '../runtime/read-input.js';
import {InvalidInputError} from '../vault/errors.js';
import {assertValidName, assertValidValues} from '../vault/model.js';
import {decodeUtf8} from '../inputs/value-file.js';

/** Import sources by name; `hush import KIND …` dispatches here (the keychain source lives on its own). */
const importSources: Record<string, (context: CommandContext, source: string) => Promise<number | void>> = {
	dotenv: importDotenv,
};

export const importCommand: CommandSpec = {
	name: 'import',
	summary: 'Create a secret from a .env file',
	usage: 'hush import dotenv FILE|- --name NAME [--private] [metadata flags]',
	help: `Reads KEY=value lines (export prefixes, # comments, single- and double-quoted values, multi-line
quoted values) from FILE, or standard input with -, and creates secret NAME with every key. Fails if
NAME exists, or if any line or key name is invalid (the message names the line, never a value).
The type defaults to env_var.

Options:
  --name NAME           the secret to create (required)
  --private             create it as a private secret
  --type, --description, --integration, --write-only, --expires, --json  as for hush create

Examples:
  hush import dotenv .env --name myapp-dev
  cat .env.production | hush import dotenv - --name myapp-prod --private --write-only`,
	flags: {...metadataFlags, name: {type: 'string'}, private: {type: 'boolean'}},
	args: {min: 2, max: 2, names: 'dotenv FILE'},
	async run(context) {
		const [kind, source] = context.args as [string, string];
		const handler = importSources[kind];
		if (!handler) {
			throw new InvalidInputError(`unknown import source ${JSON.stringify(kind)}: use ${Object.keys(importSources).join(', ')} (see hush import --help)`);
		}

		return handler(context, source);
	},
};

async function importDotenv(context: CommandContext, source: string): Promise<void> {
	const name = context.flags['name'] as string | undefined;
	if (name === undefined) {
		throw new InvalidInputError('give the secret to create with --name NAME (see hush import --help)');
	}

	assertValidName(name);
	const metadata = metadataFromFlags(context.flags);
	let text: string;
	if (source === '-') {
		try {
			text = decodeUtf8(await readPipedInput(context.io.stdin, 'a .env file'));
		} catch (error) {
			throw error instanceof InvalidInputError ? error : new InvalidInputError('standard input is not UTF-8 text');
		}
	} else {
		text = readTextFile(source, '.env file');
	}

	const values: Record<string, string> = {};
	for (const [key, value] of parseDotenv(text)) {
		if (key in values) {
			throw new InvalidInputError(`key ${key} appears twice in ${source === '-' ? 'standard input' : source}`);
		}

		values[key] = value;
	}

	if (Object.keys(values).length === 0) {
		throw new InvalidInputError(`${source === '-' ? 'standard input' : source} holds no KEY=value lines`);
	}

	assertValidValues(values);
	const vault = await context.vault();
	const secret = vault.createSecret(name, values, {type: 'env_var', ...metadata, private: privateFlag(context.flags) ?? false});
	if (context.flags['json'] === true) {
		context.printJson(secret);
	}

	context.say(`Imported ${secret.keys.length} ${secret.keys.length === 1 ? 'key' : 'keys'} into ${visibility(secret)} secret ${secret.name}`);
}

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
			context.io.stdout.write(formats[format as keyof typeof formats](revealed.values));
		} finally {
			revealed.wipe();
		}
	},
};
