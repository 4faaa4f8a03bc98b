import {useEffect, useRef} from 'react';
import {performance} from 'node:perf_hooks';
import type {SecretSummary} from '../../vault/model.js';
import type {Vault} from '../../vault/vault.js';
import {defaultPacing, loadPages, pauseForEventLoop} from '../load-pages.js';
import type {TuiServices} from '../services.js';
import {type BrowserState, type Message, errorMessage} from '../state/browser.js';
import {type Loading, firstListing, listingReducer} from '../state/listing.js';
import {listViewer, prepareSearch, prepareSorted} from '../state/list-view.js';
import type {SyncStates} from '../state/sync-state.js';
import {useLatestReducer} from './use-latest-reducer.js';

/** The secrets on screen: what `state` selects from the newest listing. */
export type ListView = {
	secrets: readonly SecretSummary[];
	/** Sorted and filtered. */
	visible: readonly SecretSummary[];
	/** The state's cursor, kept inside the visible rows. */
	cursor: number;
	selected: SecretSummary | undefined;
	/** The vault's pages still being read; null once every secret is listed. */
	loading: Loading;
};

export type Listing = {
	/** The newest list, sorted and filtered the way `state` says. */
	view(state: BrowserState): ListView;
	/** Replaces one or more summaries without asking the vault again (a reveal bumps lastUsedAt). */
	updateSecrets(change: (secrets: SecretSummary[]) => SecretSummary[]): void;
	/** Sync state per secret (null: no remote). */
	readSyncStates(): SyncStates;
	/** After every change and every sync: the list and the sync column from the vault again. */
	refresh(): void;
};

export type ListingOptions = {
	/** Runs `apply` (a batch of secrets joining the list) so that the selection can stay on the secret the user chose. */
	keepSelection(apply: () => void): void;
	say(message: Message): void;
};

/**
 * The vault's secret summaries and their sync states. The first page is read before the first
 * frame, so names are on screen at once; the rest are read in slices between frames
 * (load-pages.ts) and join the list in batches. After each change the whole list is read again.
 */
export function useListing(vault: Vault, services: TuiServices, {keepSelection, say}: ListingOptions): Listing {
	const reader = useRef<ReturnType<Vault['readSecretsByPage']> | null>(null);
	/** Bumped by every full read, so a page reader still running knows it was superseded. */
	const generation = useRef(0);
	const [listing, dispatch, readListing] = useLatestReducer(listingReducer, () => {
		reader.current = vault.readSecretsByPage();
		return firstListing(reader.current.next());
	});
	const loadSyncStates = (): SyncStates => (services.sync.remote(vault) === null ? null : vault.syncStates());
	const [, setSyncStates, readSyncStates] = useLatestReducer((_: SyncStates, next: SyncStates) => next, loadSyncStates);
	const viewer = useRef<ReturnType<typeof listViewer> | null>(null);
	viewer.current ??= listViewer();
	/** The last list drawn without a filter: sorted, it is what the first keystroke will rank. */
	const unfiltered = useRef<{secrets: readonly SecretSummary[]; visible: readonly SecretSummary[]} | null>(null);

	useEffect(() => {
		const source = reader.current;
		reader.current = null;
		if (source === null || source.done) {
			return undefined;
		}

		const mine = generation.current;
		let unmounted = false;
		const cancelled = () => unmounted || generation.current !== mine;
		loadPages(source, services.pacing ?? defaultPacing, {
			deliver(batch, warnings) {
				keepSelection(() => {
					dispatch({type: 'batch', batch});
				});
				prepareSearch(batch.summaries);
				if (warnings.length > 0) {
					say({text: warnings.join('; '), tone: 'error'});
				}
			},
			cancelled,
			now: () => performance.now(),
			pause: pauseForEventLoop,
		}).catch((error: unknown) => {
			if (!cancelled()) {
				dispatch({type: 'stopped'});
				say({text: `listing stopped: ${errorMessage(error).text}`, tone: 'error'});
			}
		});
		return () => {
			unmounted = true;
		};
	}, []);

	// Once the list is on screen, get the filter's search text ready so the first keystroke is quick
	// (while pages arrive, each batch is prepared as it is delivered).
	useEffect(() => {
		if (listing.loading !== null && !listing.loading.stopped) {
			return undefined;
		}

		const timer = setTimeout(() => {
			const sorted = unfiltered.current;
			if (sorted?.secrets === listing.secrets) {
				prepareSorted(sorted.visible);
			} else {
				prepareSearch(listing.secrets);
			}
		}, 0);
		return () => clearTimeout(timer);
	}, [listing.secrets, listing.loading]);

	return {
		view(state) {
			const {secrets, loading} = readListing();
			const visible = viewer.current!(secrets, state.sort, state.query);
			if (state.query === '') {
				unfiltered.current = {secrets, visible};
			}

			const cursor = Math.max(0, Math.min(state.cursor, visible.length - 1));
			return {secrets, visible, cursor, selected: visible[cursor], loading};
		},
		updateSecrets(change) {
			dispatch({type: 'change', change});
		},
		readSyncStates,
		refresh() {
			generation.current++;
			dispatch({type: 'replace', secrets: vault.listSecrets()});
			setSyncStates(loadSyncStates());
		},
	};
}
