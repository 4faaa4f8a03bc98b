import type {Assignment} from '../inputs/assignments.js';
import {InvalidInputError} from '../vault/errors.js';
import type {FlagSpecs} from './spec.js';

export type SplitArgs = {
	/** What meow parses: the command's own flags and positionals. */
	argv: string[];
	/** Everything after a bare `--`, untouched. */
	rest: string[];
	assignments: Assignment[];
};

const kebab = (name: string) => name.replace(/[A-Z]/g, letter => `-${letter.toLowerCase()}`);

/**
 * Separates a command's own flags from secret values before meow sees argv. meow camel-cases
 * every flag name, which would turn `--OPENAI_API_KEY=…` into `oPENAIAPIKEY`; hush keeps key names
 * exactly as typed. It also refuses unknown flags with one clear line, which meow does in two.
 */
export function splitArgs(command: string, argv: readonly string[], flags: FlagSpecs, takesValues: boolean): SplitArgs {
	const long = new Map(Object.entries(flags).map(([name, spec]) => [kebab(name), spec]));
	const short = new Map(Object.values(flags).flatMap(spec => (spec.shortFlag ? [[spec.shortFlag, spec]] : [])));
	const out: SplitArgs = {argv: [], rest: [], assignments: []};
	const unknown = (flag: string) =>
		new InvalidInputError(`unknown flag ${flag} for 'hush ${command}' (see hush ${command} --help)`);

	for (let index = 0; index < argv.length; index++) {
		const token = argv[index]!;
		if (token === '--') {
			out.rest = argv.slice(index + 1);
			break;
		}

		if (token.startsWith('--')) {
			const equals = token.indexOf('=');
			const name = equals === -1 ? token.slice(2) : token.slice(2, equals);
			const value = equals === -1 ? undefined : token.slice(equals + 1);
			const spec = long.get(name) ?? (name.startsWith('no-') ? booleanOnly(long.get(name.slice(3))) : undefined);
			if (spec) {
				if (spec.type === 'boolean' && value !== undefined && value !== 'true' && value !== 'false') {
					throw new InvalidInputError(`--${name} takes true or false, not ${JSON.stringify(value)}`);
				}

				out.argv.push(token);
				if (spec.type !== 'boolean' && value === undefined) {
					const next = argv[index + 1];
					if (next === undefined) {
						throw new InvalidInputError(`--${name} needs a value (see hush ${command} --help)`);
					}

					out.argv.push(next);
					index++;
				}

				continue;
			}

			if (takesValues && value !== undefined) {
				out.assignments.push({key: name, raw: value});
				continue;
			}

			throw unknown(equals === -1 ? token : token.slice(0, equals));
		}

		if (token.startsWith('-') && token.length > 1) {
			const letters = token.slice(1);
			for (const [offset, letter] of [...letters].entries()) {
				const spec = short.get(letter);
				if (!spec) {
					throw unknown(`-${letter}`);
				}

				if (spec.type !== 'boolean' && offset !== letters.length - 1) {
					throw new InvalidInputError(`-${letter} needs a value (see hush ${command} --help)`);
				}
			}

			out.argv.push(token);
			const last = short.get(letters.at(-1)!);
			if (last && last.type !== 'boolean') {
				const next = argv[index + 1];
				if (next === undefined) {
					throw new InvalidInputError(`-${letters.at(-1)} needs a value (see hush ${command} --help)`);
				}

				out.argv.push(next);
				index++;
			}

			continue;
		}

		out.argv.push(token);
	}

	return out;
}

function booleanOnly(spec: FlagSpecs[string] | undefined) {
	return spec?.type === 'boolean' ? spec : undefined;
}
