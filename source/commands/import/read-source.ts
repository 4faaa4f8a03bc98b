import {InvalidInputError} from '../../errors.js';
import {decodeUtf8} from '../../inputs/value-file.js';
import {readPipedInput, readTextFile} from '../../runtime/read-input.js';
import type {CommandContext} from '../spec.js';

/** FILE, or standard input for `-`: strict UTF-8 text within the document limit. */
export async function readImportText(source: string, stdin: NodeJS.ReadStream, what: string): Promise<string> {
	if (source !== '-') {
		return readTextFile(source, what);
	}

	try {
		return decodeUtf8(await readPipedInput(stdin, what));
	} catch (error) {
		throw error instanceof InvalidInputError ? error : new InvalidInputError('standard input is not UTF-8 text');
	}
}

export function sourceLabel(source: string): string {
	return source === '-' ? 'standard input' : source;
}

/** JSON.parse, whose own message may quote the text (a secret): only the position is kept. */
export function parseJsonDocument(text: string, label: string): unknown {
	try {
		return JSON.parse(text.replace(/^\uFEFF/, ''));
	} catch (error) {
		const position = /position (\d+)/.exec(String(error))?.[1];
		const line = position === undefined ? undefined : text.slice(0, Number(position)).split('\n').length;
		throw new InvalidInputError(`${label}: invalid JSON${line === undefined ? '' : ` at line ${line}`}`);
	}
}

/** Flags a source takes from its file instead: given anyway, they are a usage error, not ignored. */
export function refuseFlags(context: CommandContext, source: string, flags: readonly string[]): void {
	const given = flags.find(flag => context.flags[flag] !== undefined);
	if (given !== undefined) {
		throw new InvalidInputError(`'hush import ${source}' takes that from the file: drop --${given.replace(/[A-Z]/g, letter => `-${letter.toLowerCase()}`)}`);
	}
}
