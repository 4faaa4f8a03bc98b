import type {Vault} from '../../vault/vault.js';
import type {TuiServices} from '../services.js';
import type {BrowserAction, BrowserState, Message} from '../state/browser.js';
import type {ListView, Listing} from './use-listing.js';

/**
 * What the main screen's effects (reveal and copy, delete, sync, conflict resolution) share: the
 * vault, the services, the reducer and the listing. Each reads the newest state when it runs, so
 * keys that arrive faster than React renders each see the one before.
 */
export type BrowserContext = {
	vault: Vault;
	services: TuiServices;
	dispatch(action: BrowserAction): void;
	readState(): BrowserState;
	/** The newest state and the selection it implies. */
	current(): ListView & {state: BrowserState};
	listing: Listing;
	say(message: Message): void;
};
