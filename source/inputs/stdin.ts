import {InvalidInputError} from '../errors.js';
import {maxValueBytes} from '../vault/model.js';
import {decodeUtf8, trimValueNewline} from './value-file.js';

/**
 * `--stdin KEY`: the whole of standard input is the value, under the same newline rule as `@FILE`
 * ({@link trimValueNewline}). Reading stops past the size limit, so a runaway pipe is refused early.
 */
export async function readValueFromStdin(stdin: NodeJS.ReadableStream & {isTTY?: boolean}, key: string): Promise<string> {
	if (stdin.isTTY) {
		throw new InvalidInputError(`--stdin ${key} reads piped input, but standard input is a terminal: pipe the value in, or use -i to type it hidden`);
	}

	const chunks: Buffer[] = [];
	let length = 0;
	for await (const chunk of stdin) {
		const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer);
		chunks.push(bytes);
		length += bytes.length;
		if (length > maxValueBytes + 2) {
			wipe(chunks);
			throw new InvalidInputError(`--stdin ${key}: input is over the limit of ${maxValueBytes} bytes (64 KiB)`);
		}
	}

	const all = Buffer.concat(chunks);
	wipe(chunks);
	try {
		const value = trimValueNewline(decodeUtf8(all));
		if (value.length === 0) {
			throw new InvalidInputError(`--stdin ${key}: standard input was empty`);
		}

		return value;
	} catch (error) {
		throw error instanceof InvalidInputError ? error : new InvalidInputError(`--stdin ${key}: input is not UTF-8 text`);
	} finally {
		all.fill(0);
	}
}

function wipe(chunks: Buffer[]): void {
	for (const chunk of chunks) {
		chunk.fill(0);
	}
}
