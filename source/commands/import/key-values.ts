import {InvalidInputError} from '../../errors.js';
import {assertValidKey, assertValidName, assertValidValue} from '../../vault/model.js';
import {visibility} from '../shared/format.js';
import {metadataFromFlags, privateFlag} from '../shared/secret-flags.js';
import type {CommandContext} from '../spec.js';
import {storeImported} from './store.js';

/** One KEY=value pair read from a file, and where: `dotenv line 3`, `doppler key "X"`. */
export type ReadPair = {key: string; value: string; where: string};

/**
 * dotenv and doppler: many KEY=value pairs into one new secret, type env_var by default.
 * - a key given twice: the last one wins, as with dotenv, and a warning names both places;
 * - an empty value (`EMPTY=`): hush stores no empty values, so the key is left out with a
 *   warning (a program reading it then sees it unset, which `process.env.EMPTY || default`
 *   treats as dotenv's ''); a file of only empty values imports nothing and fails.
 */
export async function importPairs(context: CommandContext, pairs: readonly ReadPair[], label: string): Promise<void> {
	const name = context.flags['name'] as string | undefined;
	if (name === undefined) {
		throw new InvalidInputError('give the secret to create with --name NAME (see hush import --help)');
	}

	assertValidName(name);
	const metadata = metadataFromFlags(context.flags);
	const values: Record<string, string> = {};
	const where = new Map<string, string>();
	const empty: string[] = [];
	for (const pair of pairs) {
		try {
			assertValidKey(pair.key);
			if (pair.value !== '') {
				assertValidValue(pair.key, pair.value);
			}
		} catch (error) {
			throw error instanceof InvalidInputError ? new InvalidInputError(`${pair.where}: ${error.message}; nothing imported`) : error;
		}

		const earlier = where.get(pair.key);
		if (earlier !== undefined) {
			context.say(`hush: warning: ${pair.key} is set at ${earlier} and again at ${pair.where}: the last one wins, as with dotenv`);
		}

		where.set(pair.key, pair.where);
		delete values[pair.key];
		values[pair.key] = pair.value;
	}

	for (const [key, value] of Object.entries(values)) {
		if (value === '') {
			empty.push(key);
			delete values[key];
		}
	}

	if (Object.keys(values).length === 0) {
		throw new InvalidInputError(`${label} holds no KEY=value lines with a value (hush stores no empty values): nothing imported`);
	}

	if (empty.length > 0) {
		context.say(`hush: warning: ${empty.join(', ')} ${empty.length === 1 ? 'has an empty value' : 'have empty values'} in ${label}, and hush stores no empty values: left out`);
	}

	const [secret] = await storeImported(
		context,
		[{name, values, options: {type: 'env_var', ...metadata, private: privateFlag(context.flags) ?? false}}],
		[label],
	);
	if (context.flags['json'] === true) {
		context.printJson(secret);
	}

	context.say(`Imported ${secret!.keys.length} ${secret!.keys.length === 1 ? 'key' : 'keys'} into ${visibility(secret!)} secret ${secret!.name}`);
}
