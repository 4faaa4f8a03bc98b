import {randomBytes} from 'node:crypto';
import {closeSync, fchmodSync, fsyncSync, openSync, renameSync, rmSync, writeSync} from 'node:fs';
import {basename, dirname, join} from 'node:path';

/**
 * Writes `content` to `path` atomically with mode 0600: a new file beside it (same folder, so the
 * rename stays on one file system), created exclusively with 0600 before a byte is written, synced,
 * then renamed over `path`. Readers see the old file or the whole new one, never a part. The temp
 * file holds exactly what `path` will, and is removed if anything fails.
 */
export function writeFileAtomic(path: string, content: Buffer): void {
	const temporary = join(dirname(path), `.${basename(path)}.hush-${randomBytes(6).toString('hex')}.tmp`);
	let fd: number | undefined;
	try {
		fd = openSync(temporary, 'wx', 0o600);
		fchmodSync(fd, 0o600);
		let written = 0;
		while (written < content.length) {
			written += writeSync(fd, content, written);
		}

		fsyncSync(fd);
		closeSync(fd);
		fd = undefined;
		renameSync(temporary, path);
	} catch (error) {
		if (fd !== undefined) {
			closeSync(fd);
		}

		rmSync(temporary, {force: true});
		throw error;
	}
}
