import {isShortValue, shortValueLength} from '../../runtime/masking.js';
import {type SecretSummary, type SecretValues, assertValidName} from '../../vault/model.js';
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

/**
 * After a successful write: the argv warning when a value came from the command line, the
 * short-value warning, --json metadata, and one line on stderr.
 */
export function reportWrite(context: CommandContext, verb: string, secret: SecretSummary, fromArgv: boolean, values: SecretValues): void {
	if (fromArgv) {
		context.say(argvWarning);
	}

	warnShortValues(context, values);

	if (context.flags['json'] === true) {
		context.printJson(secret);
	}

	context.say(`${verb} ${visibility(secret)} secret ${secret.name} (${secret.keys.length} ${secret.keys.length === 1 ? 'key' : 'keys'})`);
}

/**
 * One line on stderr when a value is too short for `hush run` to mask safely (see
 * shortValueLength in runtime/masking.ts): it names the keys, never the values.
 */
export function warnShortValues(context: CommandContext, values: SecretValues): void {
	const keys = Object.entries(values)
		.filter(([, value]) => value !== '' && isShortValue(value))
		.map(([key]) => key);
	if (keys.length > 0) {
		const subject = keys.length === 1 ? `the value of ${keys[0]!} is` : `the values of ${keys.join(', ')} are`;
		context.say(
			`hush: warning: ${subject} under ${shortValueLength} characters, too short to mask safely: in hush run output ${keys.length === 1 ? 'it is' : 'they are'} masked only where ${keys.length === 1 ? 'it stands' : 'they stand'} alone, not inside words`,
		);
	}
}
