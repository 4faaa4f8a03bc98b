import type {Assignment} from '../inputs/assignments.js';
import {InvalidInputError} from '../errors.js';
import type {FlagSpec, FlagSpecs} from './spec.js';

export type ParsedArgs = {
	/** Positional arguments. */
	args: string[];
	/** The command's own flags, by their camel-case names (`--show-values` → `showValues`). */
	flags: Record<string, unknown>;
	/** Everything after a bare `--`, untouched. */
	rest: string[];
	/** `--KEY=VALUE` secret values, for commands that take them; key names exactly as typed. */
	assignments: Assignment[];
};

const kebab = (name: string) => name.replace(/[A-Z]/g, letter => `-${letter.toLowerCase()}`);

/**
 * Parses one command's arguments against its flag specs. Secret values (`--OPENAI_API_KEY=…`) are
 * told apart from the command's own flags here, so key names are kept exactly as typed — a generic
 * parser would camel-case them. Unknown flags, missing flag values and malformed booleans are each
 * refused with one line that points at the command's help.
 */
export function parseArgs(command: string, argv: readonly string[], specs: FlagSpecs, takesValues: boolean): ParsedArgs {
	const long = new Map(Object.entries(specs).map(([name, spec]) => [kebab(name), {name, spec}]));
	const short = new Map(Object.entries(specs).flatMap(([name, spec]) => (spec.shortFlag ? [[spec.shortFlag, {name, spec}] as const] : [])));
	const parsed: ParsedArgs = {args: [], flags: {}, rest: [], assignments: []};
	const help = `(see hush ${command} --help)`;
	const unknown = (flag: string) => new InvalidInputError(`unknown flag ${flag} for 'hush ${command}' ${help}`);
	const store = (name: string, spec: FlagSpec, value: unknown) => {
		if (spec.isMultiple) {
			((parsed.flags[name] ??= []) as unknown[]).push(value);
		} else {
			parsed.flags[name] = value;
		}
	};

	const convert = (flag: string, spec: FlagSpec, text: string): unknown => {
		if (spec.type === 'number') {
			const number = Number(text);
			if (text.trim() === '' || !Number.isFinite(number)) {
				throw new InvalidInputError(`${flag} takes a number, not ${JSON.stringify(text)}`);
			}

			return number;
		}

		return text;
	};

	for (let index = 0; index < argv.length; index++) {
		const token = argv[index]!;
		const next = () => {
			const value = argv[++index];
			if (value === undefined) {
				throw new InvalidInputError(`${token} needs a value ${help}`);
			}

			return value;
		};

		if (token === '--') {
			parsed.rest = argv.slice(index + 1);
			break;
		}

		if (token.startsWith('--')) {
			const equals = token.indexOf('=');
			const flagName = equals === -1 ? token.slice(2) : token.slice(2, equals);
			const inline = equals === -1 ? undefined : token.slice(equals + 1);
			const known = long.get(flagName);
			const negated = flagName.startsWith('no-') ? long.get(flagName.slice(3)) : undefined;
			if (known) {
				const {name, spec} = known;
				if (spec.type === 'boolean') {
					if (inline !== undefined && inline !== 'true' && inline !== 'false') {
						throw new InvalidInputError(`--${flagName} takes true or false, not ${JSON.stringify(inline)}`);
					}

					store(name, spec, inline !== 'false');
				} else {
					store(name, spec, convert(`--${flagName}`, spec, inline ?? next()));
				}

				continue;
			}

			if (negated?.spec.type === 'boolean' && inline === undefined) {
				store(negated.name, negated.spec, false);
				continue;
			}

			if (takesValues && inline !== undefined) {
				parsed.assignments.push({key: flagName, raw: inline});
				continue;
			}

			throw unknown(`--${flagName}`);
		}

		if (token.startsWith('-') && token.length > 1) {
			const letters = [...token.slice(1)];
			for (const [offset, letter] of letters.entries()) {
				const known = short.get(letter);
				if (!known) {
					throw unknown(`-${letter}`);
				}

				if (known.spec.type === 'boolean') {
					store(known.name, known.spec, true);
				} else if (offset === letters.length - 1) {
					store(known.name, known.spec, convert(`-${letter}`, known.spec, next()));
				} else {
					throw new InvalidInputError(`-${letter} needs a value ${help}`);
				}
			}

			continue;
		}

		parsed.args.push(token);
	}

	return parsed;
}
