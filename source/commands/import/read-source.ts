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

/** JSON.parse, whose own message may quote the text (a secret): only the line is kept. */
export function parseJsonDocument(input: string, label: string): unknown {
	const text = input.replace(/^\uFEFF/, '');
	try {
		return JSON.parse(text);
	} catch {
		const offset = jsonErrorOffset(text);
		const where = offset === undefined ? ' (it ends too early)' : ` at line ${text.slice(0, offset).split('\n').length}`;
		throw new InvalidInputError(`${label}: invalid JSON${where}`);
	}
}

/**
 * Where the first bad character is: the shortest prefix JSON.parse rejects for something other
 * than ending early, found by halving (prefixes only ever go from "ends early" to "bad").
 */
function jsonErrorOffset(text: string): number | undefined {
	const bad = (length: number): boolean => {
		try {
			JSON.parse(text.slice(0, length));
			return false;
		} catch (error) {
			const message = String(error);
			const position = /at position (\d+)/.exec(message)?.[1];
			return !/end of JSON input|Unterminated string/i.test(message) && (position === undefined || Number(position) < length);
		}
	};

	if (!bad(text.length)) {
		return undefined;
	}

	let low = 0;
	let high = text.length;
	while (low + 1 < high) {
		const middle = Math.floor((low + high) / 2);
		if (bad(middle)) {
			high = middle;
		} else {
			low = middle;
		}
	}

	return high - 1;
}

/** Flags a source takes from its file instead: given anyway, they are a usage error, not ignored. */
export function refuseFlags(context: CommandContext, source: string, flags: readonly string[]): void {
	const given = flags.find(flag => context.flags[flag] !== undefined);
	if (given !== undefined) {
		throw new InvalidInputError(`'hush import ${source}' takes that from the file: drop --${given.replace(/[A-Z]/g, letter => `-${letter.toLowerCase()}`)}`);
	}
}
