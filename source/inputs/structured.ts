import {InvalidInputError} from '../errors.js';
import {readTextFile} from './value-file.js';

/** Room for many values of up to 64 KiB each, without letting a stray file load whole. */
const maxDocumentBytes = 16 * 1024 * 1024;

/** `--values` takes a JSON or YAML mapping of KEY: value, inline or as `@FILE`. */
export async function parseValuesDocument(argument: string): Promise<Array<[string, string]>> {
	const fromFile = argument.startsWith('@') && !argument.startsWith('@@');
	const text = fromFile ? readTextFile(argument.slice(1), '--values', maxDocumentBytes) : argument.startsWith('@@') ? argument.slice(1) : argument;
	const source = fromFile ? argument.slice(1) : '--values';
	const document = text.trimStart().startsWith('{') ? parseJson(text, source) : (await import('./yaml-document.js')).parseYaml(text, source);
	if (typeof document !== 'object' || document === null || Array.isArray(document)) {
		throw new InvalidInputError(`${source}: expected a mapping of KEY: value, like {"API_KEY": "…"}`);
	}

	return Object.entries(document).map(([key, value]) => {
		if (typeof value === 'string') {
			return [key, value];
		}

		if (typeof value === 'number' || typeof value === 'boolean') {
			return [key, String(value)];
		}

		throw new InvalidInputError(`${source}: the value of ${key} must be text, not ${value === null ? 'null' : Array.isArray(value) ? 'a list' : typeof value}`);
	});
}

function parseJson(text: string, source: string): unknown {
	try {
		return JSON.parse(text);
	} catch (error) {
		// JSON.parse's message quotes the input it choked on, which may be a secret: keep only where.
		const position = /position (\d+)/.exec(String(error))?.[1];
		throw new InvalidInputError(`${source}: invalid JSON${position ? ` at position ${position}` : ''}`);
	}
}
