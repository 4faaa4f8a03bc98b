import {readKeychainPassword} from '../keychain/keychain.js';
import {readValueFile} from '../inputs/value-file.js';
import {type Clipboard, systemClipboard} from './clipboard.js';
import type {ValueReaders} from './state/form-submit.js';
import {type TuiSync, moduleSync} from './sync-service.js';

/**
 * What the TUI needs from the world besides the vault, in one object so tests can hand in fakes
 * (a recording clipboard, short timers) while the real app gets the real things.
 */
export type TuiServices = {
	clipboard: Clipboard;
	readers: ValueReaders;
	now(): number;
	/** How long a revealed value stays on screen. */
	revealMs: number;
	/** How long before a copied value is cleared from the clipboard. */
	clipboardClearMs: number;
	/** Sync with the remote, conflicts and their resolution. */
	sync: TuiSync;
};

export function defaultServices(env: NodeJS.ProcessEnv, terminal: {write(data: string): unknown}): TuiServices {
	return {
		clipboard: systemClipboard(env, terminal),
		readers: {env, readFile: readValueFile, readKeychain: readKeychainPassword},
		now: () => Date.now(),
		revealMs: 5000,
		clipboardClearMs: 30_000,
		sync: moduleSync,
	};
}
