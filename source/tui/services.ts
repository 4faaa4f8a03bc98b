import {InvalidInputError} from '../errors.js';
import {readKeychainPassword} from '../keychain/keychain.js';
import {readValueFile} from '../inputs/value-file.js';
import type {ListSort, Preferences} from '../preferences/settings.js';
import {type Clipboard, systemClipboard} from './clipboard.js';
import type {ValueReaders} from './state/form-submit.js';
import {type LoadPacing, defaultPacing} from './load-pages.js';
import {type TuiSync, moduleSync} from './sync-service.js';
import {type TuiTeam, moduleTeam} from './team-service.js';

/**
 * What the TUI needs from the world besides the vault, in one object so tests can hand in fakes
 * (a recording clipboard, short timers) while the real app gets the real things. The user's
 * preferences (hush config) arrive here, read once at start, so no component reads a file.
 */
export type TuiServices = {
	clipboard: Clipboard;
	readers: ValueReaders;
	now(): number;
	/** How long a revealed value stays on screen. */
	revealMs: number;
	/** How long before a copied value is cleared from the clipboard. */
	clipboardClearMs: number;
	/** How long without a key before an unlocked TUI locks itself; 0: never. */
	idleLockMs: number;
	/** The list's order until the user cycles it. */
	listSort: ListSort;
	/** Sync with the remote, conflicts and their resolution. */
	sync: TuiSync;
	/** The team layer for the members view (loaded on first use). */
	team: TuiTeam;
	/** How the list's pages are read after the first screenful (load-pages.ts); the default pacing when absent. */
	pacing?: LoadPacing;
};

export function defaultServices(env: NodeJS.ProcessEnv, terminal: {write(data: string): unknown}, preferences: Preferences): TuiServices {
	return {
		clipboard: systemClipboard(env, terminal),
		readers: {env, readFile: readValueFile, readKeychain: readKeychainPassword},
		now: () => Date.now(),
		revealMs: preferences['reveal.seconds'] * 1000,
		clipboardClearMs: preferences['clipboard.clearSeconds'] * 1000,
		idleLockMs: preferences['tui.idleLockMinutes'] * minuteMs(env),
		listSort: preferences['list.sort'],
		sync: moduleSync,
		team: moduleTeam,
		pacing: pacingFor(env),
	};
}

/**
 * The default pacing, or one page per batch with HUSH_TEST_PAGE_PAUSE_MS between them: for tests
 * only (as HUSH_TEST_MINUTE_MS), so a real terminal can be seen with the list half loaded.
 */
function pacingFor(env: NodeJS.ProcessEnv): LoadPacing {
	const pause = env['HUSH_TEST_PAGE_PAUSE_MS'];
	if (pause === undefined || pause === '') {
		return defaultPacing;
	}

	if (!/^\d{1,6}$/.test(pause)) {
		throw new InvalidInputError(`HUSH_TEST_PAGE_PAUSE_MS ${JSON.stringify(pause)}: use a whole number of milliseconds (HUSH_TEST_PAGE_PAUSE_MS is for tests)`);
	}

	return {sliceMs: 0, deliverMs: 0, pauseMs: Number(pause)};
}

/**
 * A minute, for the idle lock. HUSH_TEST_MINUTE_MS shortens it, and is for tests only (as HUSH_NOW
 * is for the clock): a test that sets `tui.idleLockMinutes 1` in a real terminal then waits for the
 * lock screen, not for a minute.
 */
function minuteMs(env: NodeJS.ProcessEnv): number {
	const scaled = env['HUSH_TEST_MINUTE_MS'];
	if (scaled === undefined || scaled === '') {
		return 60_000;
	}

	if (!/^\d{1,7}$/.test(scaled) || Number(scaled) === 0) {
		throw new InvalidInputError(`HUSH_TEST_MINUTE_MS ${JSON.stringify(scaled)}: use a whole number of milliseconds (HUSH_TEST_MINUTE_MS is for tests)`);
	}

	return Number(scaled);
}
