import {type SecretSummary, assertValidName} from '../../vault/model.js';
import type {CommandContext} from '../spec.js';
import {visibility} from './format.js';
import {argvWarning, metadataFlags, metadataFromFlags, valueFlags, valuesFromFlags} from './secret-flags.js';

/** What set, create and update share: their flags, gathering input, and the line they print. */

export const writeFlags = {...valueFlags, ...metadataFlags, private: {type: 'boolean'}} as const;

/** Checks the name and gathers values before unlocking, so a mistake costs no passphrase prompt. */
export async function prepareWrite(context: CommandContext) {
	assertValidName(context.args[0]!);
	const metadata = metadataFromFlags(context.flags);
	const {values, fromArgv} = await valuesFromFlags(context);
	return {name: context.args[0]!, metadata, values, fromArgv, vault: await context.vault()};
}

/** The argv warning when a value came from the command line, --json metadata, and one line on stderr. */
export function reportWrite(context: CommandContext, verb: string, secret: SecretSummary, fromArgv: boolean): void {
	if (fromArgv) {
		context.say(argvWarning);
	}

	if (context.flags['json'] === true) {
		context.printJson(secret);
	}

	context.say(`${verb} ${visibility(secret)} secret ${secret.name} (${secret.keys.length} ${secret.keys.length === 1 ? 'key' : 'keys'})`);
}
