import {closeSync, fstatSync, openSync, readSync} from 'node:fs';
import {InvalidInputError} from '../errors.js';
import {maxValueBytes} from '../vault/model.js';

/**
 * The one rule for values that arrive as a file or a stream (`@FILE`, `--stdin`): a single-line
 * value loses ONE trailing newline (\n or \r\n), which `echo` and editors add and no API key
 * means; a multi-line value (a PEM certificate) is kept exactly, final newline included.
 */
export function trimValueNewline(text: string): string {
	const end = text.endsWith('\r\n') ? text.length - 2 : text.endsWith('\n') ? text.length - 1 : text.length;
	const body = text.slice(0, end);
	return body.includes('\n') ? text : body;
}

/** A value from `@FILE`: {@link readTextFile}, then {@link trimValueNewline}. */
export function readValueFile(path: string, purpose: string): string {
	return trimValueNewline(readTextFile(path, purpose));
}

/**
 * Reads a text file exactly (a value file, or a document with a larger limit). The size is
 * checked before reading so a huge file is refused without loading it, and the bytes must be
 * UTF-8 text.
 */
export function readTextFile(path: string, purpose: string, limit = maxValueBytes): string {
	let fd: number;
	try {
		fd = openSync(path, 'r');
	} catch (error) {
		throw fileError(error, path, purpose);
	}

	try {
		const stat = fstatSync(fd);
		if (stat.isDirectory()) {
			throw new InvalidInputError(`${purpose}: ${path} is a folder, not a file`);
		}

		if (stat.size > limit) {
			throw new InvalidInputError(`${purpose}: ${path} is ${stat.size} bytes; the limit is ${limit} bytes`);
		}

		const buffer = Buffer.alloc(limit + 1);
		let length = 0;
		let read: number;
		do {
			read = readSync(fd, buffer, length, buffer.length - length, null);
			length += read;
		} while (read > 0 && length < buffer.length);

		if (length > limit) {
			throw new InvalidInputError(`${purpose}: ${path} is over the limit of ${limit} bytes`);
		}

		try {
			return decodeUtf8(buffer.subarray(0, length));
		} catch {
			throw new InvalidInputError(`${purpose}: ${path} is not UTF-8 text`);
		} finally {
			buffer.fill(0);
		}
	} catch (error) {
		throw error instanceof InvalidInputError ? error : fileError(error, path, purpose);
	} finally {
		closeSync(fd);
	}
}

const strictUtf8 = new TextDecoder('utf-8', {fatal: true, ignoreBOM: true});

export function decodeUtf8(bytes: Uint8Array): string {
	return strictUtf8.decode(bytes);
}

function fileError(error: unknown, path: string, purpose: string): InvalidInputError {
	const code = (error as NodeJS.ErrnoException).code;
	const reason =
		code === 'ENOENT' ? 'no such file' : code === 'EACCES' || code === 'EPERM' ? 'permission denied' : code === 'EISDIR' ? 'is a folder' : 'cannot be read';
	return new InvalidInputError(`${purpose}: ${path}: ${reason}`);
}
