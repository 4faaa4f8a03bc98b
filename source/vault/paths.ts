import {join} from 'node:path';
import envPaths from 'env-paths';

/** `HUSH_HOME` if set, else the platform's data folder for hush. */
export function resolveHome(home?: string): string {
	return home ?? process.env['HUSH_HOME'] ?? envPaths('hush', {suffix: ''}).data;
}

export function vaultPath(home: string): string {
	return join(home, 'vault.db');
}
