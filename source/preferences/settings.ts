/**
 * The user preferences `hush config` manages: what each key means, its default and which values
 * it accepts. Preferences tune behaviour only; they are never secrets and never vault state (the
 * remote, its token and the vault's own auto-sync switch live sealed in the vault).
 */

export const listSorts = ['name', 'updated', 'used'] as const;
export type ListSort = (typeof listSorts)[number];

export const syncAutoValues = ['vault', 'on', 'off'] as const;
export type SyncAuto = (typeof syncAutoValues)[number];

export type Preferences = {
	'reveal.seconds': number;
	'clipboard.clearSeconds': number;
	'tui.idleLockMinutes': number;
	'list.sort': ListSort;
	'sync.auto': SyncAuto;
};

export type PreferenceKey = keyof Preferences;

type Setting<T> = {
	default: T;
	/** One line for `hush config list` and `--help`. */
	summary: string;
	/** What it accepts, for the error that refuses a value. */
	accepts: string;
	/** The value, or undefined when `raw` (typed or read from the file) is not acceptable. */
	parse(raw: unknown): T | undefined;
};

function wholeNumber(min: number, max: number): (raw: unknown) => number | undefined {
	return raw => {
		const number = typeof raw === 'number' ? raw : typeof raw === 'string' && /^\d+$/.test(raw.trim()) ? Number(raw.trim()) : Number.NaN;
		return Number.isInteger(number) && number >= min && number <= max ? number : undefined;
	};
}

function oneOf<T extends string>(values: readonly T[], aliases: Record<string, T> = {}): (raw: unknown) => T | undefined {
	return raw => {
		if (typeof raw === 'boolean') {
			raw = raw ? 'on' : 'off';
		}

		if (typeof raw !== 'string') {
			return undefined;
		}

		const word = raw.trim().toLowerCase();
		return (values as readonly string[]).includes(word) ? (word as T) : aliases[word];
	};
}

export const settings: {readonly [K in PreferenceKey]: Setting<Preferences[K]>} = {
	'reveal.seconds': {default: 5, summary: 'how long the TUI shows a revealed value before masking it again', accepts: 'a whole number of seconds from 1 to 300', parse: wholeNumber(1, 300)},
	'clipboard.clearSeconds': {default: 30, summary: 'how long before a value copied in the TUI is cleared from the clipboard', accepts: 'a whole number of seconds from 1 to 3600', parse: wholeNumber(1, 3600)},
	'tui.idleLockMinutes': {default: 10, summary: 'minutes without a key before the TUI locks itself (0: never)', accepts: 'a whole number of minutes from 0 (off) to 1440', parse: wholeNumber(0, 1440)},
	'list.sort': {default: 'name', summary: 'the order of hush list and the TUI list when none is asked for', accepts: listSorts.join(', '), parse: oneOf(listSorts)},
	'sync.auto': {
		default: 'vault',
		summary: "sync after each change: on, off, or vault (the vault's own hush remote auto-sync switch)",
		accepts: 'on, off or vault',
		parse: oneOf(syncAutoValues, {true: 'on', false: 'off', yes: 'on', no: 'off'}),
	},
};

export const preferenceKeys = Object.keys(settings) as PreferenceKey[];

export function isPreferenceKey(key: string): key is PreferenceKey {
	return Object.hasOwn(settings, key);
}

export function defaultPreferences(): Preferences {
	return Object.fromEntries(preferenceKeys.map(key => [key, settings[key].default])) as Preferences;
}

/** The value at a dotted key of the parsed file (`reveal.seconds` is `{reveal: {seconds}}`). */
export function valueAt(stored: unknown, key: string): unknown {
	let value = stored;
	for (const part of key.split('.')) {
		if (value === null || typeof value !== 'object' || !Object.hasOwn(value, part)) {
			return undefined;
		}

		value = (value as Record<string, unknown>)[part];
	}

	return value;
}

/**
 * The preferences a parsed config file holds. A value that is missing gets its default; one that
 * is not acceptable (the file was edited by hand) gets its default and a warning, never a crash.
 */
export function preferencesFrom(stored: unknown, warn: (message: string) => void): Preferences {
	const preferences = defaultPreferences() as Record<PreferenceKey, unknown>;
	for (const key of preferenceKeys) {
		const raw = valueAt(stored, key);
		if (raw === undefined) {
			continue;
		}

		const parsed = settings[key].parse(raw);
		if (parsed === undefined) {
			warn(`the config file's ${key} is not ${settings[key].accepts}: using the default, ${String(settings[key].default)} (fix it with hush config set ${key} VALUE)`);
		} else {
			preferences[key] = parsed;
		}
	}

	return preferences as Preferences;
}
