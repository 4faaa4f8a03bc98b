import {readFileSync} from 'node:fs';
import {join} from 'node:path';
import {resolveHome} from '../home.js';
import {type Preferences, defaultPreferences, preferencesFrom} from './settings.js';

/**
 * Reading preferences for the commands and the TUI that follow them (`hush list`, auto-sync, the
 * TUI). `hush config` writes the file through conf; reading it back is one JSON.parse of that file,
 * so these commands do not pay for loading conf and its schema validator (≈40 ms) — and `hush get`
 * reads no preferences at all.
 */

export function configPath(env: NodeJS.ProcessEnv): string {
	return join(resolveHome(env['HUSH_HOME']), 'config.json');
}

/** The preferences, or the defaults (with a warning) when the file is unreadable or malformed. */
export function readPreferences(env: NodeJS.ProcessEnv, warn: (message: string) => void): Preferences {
	let text: string;
	try {
		text = readFileSync(configPath(env), 'utf8');
	} catch (error) {
		if ((error as NodeJS.ErrnoException).code !== 'ENOENT') {
			warn(`could not read the config file (${(error as NodeJS.ErrnoException).code ?? 'error'}): using the default preferences`);
		}

		return defaultPreferences();
	}

	let stored: unknown;
	try {
		stored = JSON.parse(text);
	} catch {
		warn('the config file is not valid JSON: using the default preferences (see hush config --help)');
		return defaultPreferences();
	}

	return preferencesFrom(stored, warn);
}
