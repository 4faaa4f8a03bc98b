import {InvalidInputError} from '../errors.js';
import {type SecretValues, assertValidKey, assertValidValue} from '../vault/model.js';
import {type Assignment, resolveAssignments} from './assignments.js';
import {readValuesFromEnvironment} from './env-variables.js';
import {parseKeychainSpec, readValuesFromKeychain} from './keychain.js';
import {promptForValues} from './interactive.js';
import type {PromptStreams} from './prompt.js';
import {readValueFromStdin} from './stdin.js';
import {parseValuesDocument} from './structured.js';

export type ValueSources = {
	/** `--KEY=VALUE` and `--KEY=@FILE` pairs, in the order given. */
	assignments: readonly Assignment[];
	/** `--values JSON|YAML|@FILE`. */
	document?: string;
	/** `--stdin KEY`. */
	stdinKey?: string;
	/** `--env KEY[=VAR]`. */
	env: readonly string[];
	/** `-i`. */
	interactive: boolean;
	/** `--keychain KEY=SERVICE:ACCOUNT`. */
	keychain?: readonly string[];
};

export type CollectContext = PromptStreams & {env: NodeJS.ProcessEnv};

export type CollectedValues = {
	values: SecretValues;
	/** True when a value was typed on the command line, where shell history and `ps` can see it. */
	fromArgv: boolean;
};

/**
 * Gathers values from every source given, in any mix. Each key may come from one source only, and
 * every key and value is validated before anything is stored. Messages name keys, never values.
 */
export async function collectValues(sources: ValueSources, context: CollectContext): Promise<CollectedValues> {
	const entries: Array<[string, string, string]> = [];
	const add = (pairs: Array<[string, string]>, source: string) => {
		for (const [key, value] of pairs) {
			entries.push([key, value, source]);
		}
	};

	for (const {key} of sources.assignments) {
		assertValidKey(key);
	}

	const keychainSpecs = sources.keychain ?? [];
	for (const spec of keychainSpecs) {
		assertValidKey(parseKeychainSpec(spec).key);
	}

	const assigned = resolveAssignments(sources.assignments);
	add(assigned.values, 'a --KEY= flag');
	if (sources.document !== undefined) {
		add(await parseValuesDocument(sources.document), '--values');
	}

	add(readValuesFromEnvironment(sources.env, context.env), '--env');
	if (keychainSpecs.length > 0) {
		add(await readValuesFromKeychain(keychainSpecs), '--keychain');
	}
	if (sources.stdinKey !== undefined) {
		assertValidKey(sources.stdinKey);
		add([[sources.stdinKey, await readValueFromStdin(context.stdin, sources.stdinKey)]], '--stdin');
	}

	if (sources.interactive) {
		add(await promptForValues(context), '-i');
	}

	const values: SecretValues = {};
	const origin = new Map<string, string>();
	for (const [key, value, source] of entries) {
		assertValidKey(key);
		assertValidValue(key, value);
		const earlier = origin.get(key);
		if (earlier !== undefined) {
			throw new InvalidInputError(`key ${key} is given twice (by ${earlier} and by ${source}): give each key once`);
		}

		origin.set(key, source);
		values[key] = value;
	}

	return {values, fromArgv: assigned.literal};
}
