import {readValueFile} from './value-file.js';

/** A `--KEY=VALUE` from the command line, before its value is resolved. */
export type Assignment = {key: string; raw: string};

/**
 * `--KEY=VALUE` takes VALUE literally, `--KEY=@FILE` reads FILE, and `--KEY=@@text` is the literal
 * `@text`. Returns whether any value came literally from argv, which the caller warns about.
 */
export function resolveAssignments(assignments: readonly Assignment[]): {values: Array<[string, string]>; literal: boolean} {
	let literal = false;
	const values = assignments.map(({key, raw}): [string, string] => {
		if (raw.startsWith('@@')) {
			literal = true;
			return [key, raw.slice(1)];
		}

		if (raw.startsWith('@')) {
			return [key, readValueFile(raw.slice(1), `--${key}=@FILE`)];
		}

		literal = true;
		return [key, raw];
	});
	return {values, literal};
}
