import {InvalidInputError} from '../../errors.js';
import type {CommandContext} from '../spec.js';
import {importPairs} from './key-values.js';
import {parseJsonDocument, readImportText, sourceLabel} from './read-source.js';

/**
 * `hush import doppler FILE|- --name NAME`: the JSON of `doppler secrets download --no-file
 * --format json`, one flat object of KEY: "value", into one secret. Doppler's own DOPPLER_PROJECT,
 * DOPPLER_ENVIRONMENT and DOPPLER_CONFIG entries come along, as `doppler run` would set them.
 */
export async function importDoppler(context: CommandContext): Promise<void> {
	const source = context.args[1];
	if (source === undefined) {
		throw new InvalidInputError(`'hush import doppler' needs a FILE, or - for standard input (see hush import --help)`);
	}

	const label = sourceLabel(source);
	const document = parseJsonDocument(await readImportText(source, context.io.stdin, 'Doppler download'), label);
	if (typeof document !== 'object' || document === null || Array.isArray(document)) {
		throw new InvalidInputError(`${label}: not a Doppler download (expected one object of KEY: "value", from doppler secrets download --no-file --format json)`);
	}

	const pairs = Object.entries(document).map(([key, value]) => {
		const where = `doppler key ${JSON.stringify(key.slice(0, 60))}`;
		if (typeof value !== 'string') {
			throw new InvalidInputError(`${label}: ${where}: the value must be text, not ${value === null ? 'null' : Array.isArray(value) ? 'a list' : typeof value}; nothing imported`);
		}

		return {key, value, where};
	});
	await importPairs(context, pairs, label);
}
