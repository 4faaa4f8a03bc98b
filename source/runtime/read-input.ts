import {readFileSync} from 'node:fs';
import {InvalidInputError} from '../vault/errors.js';

/** The whole of a piped standard input; refused when it is a terminal (hush never waits on one unasked). */
export async function readPipedInput(stdin: NodeJS.ReadableStream & {isTTY?: boolean}, what: string): Promise<Buffer> {
	if (stdin.isTTY) {
		throw new InvalidInputError(`standard input is a terminal: pipe ${what} in, or name a file`);
	}

	const chunks: Buffer[] = [];
	for await (const chunk of stdin) {
		chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer));
	}

	return Buffer.concat(chunks);
}

/** A text file named on the command line; a missing or unreadable one is a usage error. */
export function readTextFile(path: string, what: string): string {
	try {
		return readFileSync(path, 'utf8');
	} catch (error) {
		const code = (error as NodeJS.ErrnoException).code;
		throw new InvalidInputError(`cannot read ${what} ${path}: ${code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a folder' : code ?? 'unreadable'}`);
	}
}
