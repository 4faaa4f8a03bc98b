import {parseDocument} from 'yaml';
import {InvalidInputError} from '../errors.js';

/**
 * Loaded only when a YAML document is given, so the YAML parser stays off every other command's
 * start-up path. The failsafe schema reads every scalar as a string: `PORT: 0123` stays "0123"
 * instead of silently becoming 123, and `on` stays "on".
 */
export function parseYaml(text: string, source: string): unknown {
	const document = parseDocument(text, {schema: 'failsafe', uniqueKeys: true, prettyErrors: false});
	const [error] = document.errors;
	if (error) {
		const line = error.linePos?.[0]?.line;
		throw new InvalidInputError(`${source}: invalid YAML${line ? ` at line ${line}` : ''} (${error.code})`);
	}

	return document.toJS();
}
