import {readTextFile as readBoundedTextFile} from '../inputs/value-file.js';
import {InvalidInputError} from '../errors.js';

/** Templates and .env files: room for many values, without letting a stray file load whole. */
export const maxDocumentBytes = 16 * 1024 * 1024;

/** The whole of a piped standard input; refused when it is a terminal (hush never waits on one unasked). */
export async function readPipedInput(stdin: NodeJS.ReadableStream & {isTTY?: boolean}, what: string): Promise<Buffer> {
	if (stdin.isTTY) {
		throw new InvalidInputError(`standard input is a terminal: pipe ${what} in, or name a file`);
	}

	const chunks: Buffer[] = [];
	let length = 0;
	for await (const chunk of stdin) {
		const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer);
		length += bytes.length;
		if (length > maxDocumentBytes) {
			throw new InvalidInputError(`${what} on standard input is over the limit of ${maxDocumentBytes} bytes`);
		}

		chunks.push(bytes);
	}

	return Buffer.concat(chunks);
}

/** A text file named on the command line: strict UTF-8, bounded; a missing or unreadable one is a usage error. */
export function readTextFile(path: string, what: string): string {
	return readBoundedTextFile(path, what, maxDocumentBytes);
}
