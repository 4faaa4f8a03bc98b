import {readValuesFromEnvironment} from '../inputs/env-variables.js';
import {canPrompt, promptLine} from '../inputs/prompt.js';
import {readValueFromStdin} from '../inputs/stdin.js';
import {readValueFile} from '../inputs/value-file.js';
import {InvalidInputError} from '../errors.js';
import {assertValidKey, assertValidName, assertValidValue} from '../vault/model.js';
import {privateFlag} from './shared/secret-flags.js';
import {warnShortValues} from './shared/write-secret.js';
import type {CommandContext, CommandSpec} from './spec.js';

export const rotate: CommandSpec = {
	name: 'rotate',
	summary: 'Replace one value with a new one and reset its rotation clock',
	usage: 'hush rotate NAME KEY [@FILE | --stdin | --env VAR | -i]',
	help: `Replaces the value of KEY (which must exist) in secret NAME and resets the secret's "updated"
time, the clock hush stale reads. A new value equal to the old one is refused: that is no rotation.
Works for write-only secrets. The new value never goes on the command line:

Value source (one):
  @FILE          read the new value from FILE (exact contents)
  --stdin        the whole of standard input (one trailing newline dropped)
  --env VAR      from environment variable VAR
  -i             a hidden prompt (the default on a terminal when no source is given)

Options:
  --private=true|false  pick the private or public secret of that name
  --json                print the updated secret's metadata

Examples:
  hush rotate openai-creds OPENAI_API_KEY -i
  vault-cli new-token | hush rotate github GITHUB_TOKEN --stdin
  hush rotate deploy-cert TLS_CERT @new-cert.pem`,
	flags: {stdin: {type: 'boolean'}, env: {type: 'string'}, interactive: {type: 'boolean', shortFlag: 'i'}, private: {type: 'boolean'}, json: {type: 'boolean'}},
	args: {min: 2, max: 3, names: 'NAME KEY [@FILE]'},
	async run(context) {
		const [name, key, file] = context.args as [string, string, string | undefined];
		assertValidName(name);
		assertValidKey(key);
		const value = await newValue(context, key, file);
		assertValidValue(key, value);
		const vault = await context.vault();
		// One transaction: a missing key or an unchanged value is refused before anything is written or logged.
		const after = vault.rotateValue(name, key, value, {private: privateFlag(context.flags)});

		if (context.flags['json'] === true) {
			context.printJson(after);
		}

		warnShortValues(context, {[key]: value});
		context.say(`Rotated ${key} in ${after.name}`);
	},
};

async function newValue(context: CommandContext, key: string, file: string | undefined): Promise<string> {
	const {flags, io} = context;
	const chosen = [file !== undefined, flags['stdin'] === true, flags['env'] !== undefined, flags['interactive'] === true].filter(Boolean).length;
	if (chosen > 1) {
		throw new InvalidInputError('give one value source: @FILE, --stdin, --env VAR or -i');
	}

	if (file !== undefined) {
		if (!file.startsWith('@') || file.length === 1) {
			throw new InvalidInputError('the new value is never taken from the command line: give @FILE, --stdin, --env VAR or -i (see hush rotate --help)');
		}

		return readValueFile(file.slice(1), `value for ${key}`);
	}

	if (flags['stdin'] === true) {
		return readValueFromStdin(io.stdin, key);
	}

	if (flags['env'] !== undefined) {
		return readValuesFromEnvironment([`${key}=${String(flags['env'])}`], io.env)[0]![1];
	}

	const streams = {stdin: io.stdin, stderr: io.stderr};
	if (flags['interactive'] === true || canPrompt(streams)) {
		return promptLine(streams, `New value for ${key} (hidden): `, {hidden: true});
	}

	throw new InvalidInputError('no new value: give @FILE, --stdin, --env VAR, or run in a terminal for a hidden prompt');
}
