import {InvalidInputError} from '../errors.js';
import {privateFlag} from './shared/secret-flags.js';
import type {CommandSpec} from './spec.js';

export const rename: CommandSpec = {
	name: 'rename',
	summary: 'Rename a secret, keeping its id, values and history',
	usage: 'hush rename OLD NEW [--private=true|false]',
	help: `Renames a secret within its namespace. Fails if NEW is taken there.

Options:
  --private=true|false  pick the private or public secret named OLD
  --json                print the renamed secret's metadata

Examples:
  hush rename openai openai-creds`,
	flags: {private: {type: 'boolean'}, json: {type: 'boolean'}},
	args: {min: 2, max: 2, names: 'OLD NEW'},
	async run(context) {
		const [from, to] = context.args as [string, string];
		if (from === to) {
			throw new InvalidInputError('OLD and NEW are the same name');
		}

		const vault = await context.vault();
		const renamed = vault.renameSecret(from, to, {private: privateFlag(context.flags)});
		if (context.flags['json'] === true) {
			context.printJson(renamed);
		}

		context.say(`Renamed ${from} to ${renamed.name}`);
	},
};
