import {HushError} from '../errors.js';
import {ensurePrivateDirectory, resolveHome} from '../home.js';
import {type PreferenceKey, type Preferences, preferencesFrom} from './settings.js';

/**
 * The preferences file (`config.json` in hush's home, so HUSH_HOME isolates it) through conf. conf
 * is imported only here, and only `hush config` imports this module: it never loads on the `get`
 * path. conf's own schema validation is left off on purpose: it would clear (or refuse to open) a
 * file someone edited by hand, where hush warns and falls back to the default of that one value.
 */

type ConfStore = {
	readonly path: string;
	readonly store: Record<string, unknown>;
	set(key: string, value: unknown): void;
	delete(key: string): void;
};

export async function openPreferences(env: NodeJS.ProcessEnv): Promise<ConfStore> {
	const home = resolveHome(env['HUSH_HOME']);
	ensurePrivateDirectory(home);
	const {default: Conf} = await import('conf');
	try {
		return new Conf({cwd: home, configName: 'config', clearInvalidConfig: false, configFileMode: 0o600}) as unknown as ConfStore;
	} catch (error) {
		throw malformed(error);
	}
}

/** What the file holds, every value checked (a bad one warned about and replaced by its default). */
export function storedPreferences(store: ConfStore, warn: (message: string) => void): Preferences {
	let stored: unknown;
	try {
		stored = store.store;
	} catch (error) {
		warn(`${malformed(error).message}; using the default preferences`);
		return preferencesFrom({}, warn);
	}

	return preferencesFrom(stored, warn);
}

export function writePreference<K extends PreferenceKey>(store: ConfStore, key: K, value: Preferences[K]): void {
	try {
		store.set(key, value);
	} catch (error) {
		throw malformed(error);
	}
}

/** Back to the default: the key leaves the file (and an emptied parent object with it). */
export function removePreference(store: ConfStore, key: PreferenceKey): void {
	try {
		store.delete(key);
		const parent = key.split('.')[0]!;
		const rest = store.store[parent];
		if (rest !== null && typeof rest === 'object' && Object.keys(rest).length === 0) {
			store.delete(parent);
		}
	} catch (error) {
		throw malformed(error);
	}
}

/** conf throws a SyntaxError for a file that is not JSON; hush never overwrites such a file. */
function malformed(error: unknown): Error {
	if (error instanceof SyntaxError) {
		return new HushError('the config file (config.json in hush\'s home) is not valid JSON: fix it by hand or remove it');
	}

	return error instanceof Error ? new HushError(`could not use the config file: ${error.message.split('\n')[0]}`) : new HushError('could not use the config file');
}
