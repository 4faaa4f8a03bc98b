import {chmodSync, mkdirSync, statSync} from 'node:fs';
import envPaths from 'env-paths';

/**
 * hush's home folder: where the vault, the server's database and the settings live. Shared by the
 * vault and the server, so neither has to import the other to find it.
 */

/** `HUSH_HOME` if set, else the platform's data folder for hush. */
export function resolveHome(home?: string): string {
	return home ?? process.env['HUSH_HOME'] ?? envPaths('hush', {suffix: ''}).data;
}

/** Creates `directory` (and its parents) readable by the owner alone, tightening it if it exists. */
export function ensurePrivateDirectory(directory: string): void {
	mkdirSync(directory, {recursive: true, mode: 0o700});
	if ((statSync(directory).mode & 0o077) !== 0) {
		chmodSync(directory, 0o700);
	}
}
