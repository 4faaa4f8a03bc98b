import {InvalidInputError} from '../../errors.js';
import {parseDotenvEntries} from '../../runtime/dotenv.js';
import type {CommandContext} from '../spec.js';
import {importPairs} from './key-values.js';
import {readImportText, sourceLabel} from './read-source.js';

/** `hush import dotenv FILE|- --name NAME`: read as the dotenv package reads it (runtime/dotenv.ts). */
export async function importDotenv(context: CommandContext): Promise<void> {
	const source = context.args[1];
	if (source === undefined) {
		throw new InvalidInputError(`'hush import dotenv' needs a FILE, or - for standard input (see hush import --help)`);
	}

	const text = await readImportText(source, context.io.stdin, '.env file');
	const pairs = parseDotenvEntries(text).map(({key, value, line}) => ({key, value, where: `dotenv line ${line}`}));
	await importPairs(context, pairs, sourceLabel(source));
}
