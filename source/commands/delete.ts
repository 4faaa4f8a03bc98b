import {assertCanPrompt, promptLine} from '../inputs/prompt.js';
import {HushError} from '../errors.js';
import {visibility} from './shared/format.js';
import {privateFlag} from './shared/secret-flags.js';
import type {CommandSpec} from './spec.js';
import {visible} from '../text/visible.js';

export const remove: CommandSpec = {
	name: 'delete',
	summary: 'Delete a secret (asks you to type its name)',
	usage: 'hush delete NAME [--yes] [--private=true|false]',
	help: `Deletes a secret. On a terminal you confirm by typing its name; elsewhere pass --yes.

Options:
  --yes, -y             do not ask
  --private=true|false  pick the private or public secret of that name
  --json                print the deleted secret's metadata

Examples:
  hush delete old-token
  hush delete old-token --yes`,
	flags: {yes: {type: 'boolean', shortFlag: 'y'}, private: {type: 'boolean'}, json: {type: 'boolean'}},
	args: {min: 1, max: 1, names: 'NAME'},
	async run(context) {
		const {io} = context;
		if (context.flags['yes'] !== true) {
			assertCanPrompt({stdin: io.stdin, stderr: io.stderr}, 'pass --yes to delete without confirmation');
		}

		const vault = await context.vault();
		const lookup = {private: privateFlag(context.flags)};
		const target = vault.describeSecret(context.args[0]!, lookup);
		if (context.flags['yes'] !== true) {
			const typed = await promptLine(
				{stdin: io.stdin, stderr: io.stderr},
				`Delete ${visibility(target)} secret ${visible(target.name)} with ${target.keys.length} key(s)? Type its name to confirm: `,
			);
			if (typed.trim() !== target.name) {
				throw new HushError(`not deleted: the name did not match`);
			}
		}

		const deleted = vault.deleteSecret(target.id);
		if (context.flags['json'] === true) {
			context.printJson(deleted);
		}

		context.say(`Deleted ${visibility(deleted)} secret ${deleted.name}`);
	},
};
