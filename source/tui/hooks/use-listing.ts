import {useEffect, useRef} from 'react';
import type {SecretSummary} from '../../vault/model.js';
import type {Vault} from '../../vault/vault.js';
import type {TuiServices} from '../services.js';
import type {BrowserState} from '../state/browser.js';
import {listViewer, prepareSearch} from '../state/list-view.js';
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

/** The vault's secret summaries and their sync states, read once and again after each change. */
export function useListing(vault: Vault, services: TuiServices): Listing {
	const [secrets, updateSecrets, readSecrets] = useLatestReducer(
		(current: SecretSummary[], change: (secrets: SecretSummary[]) => SecretSummary[]) => change(current),
		() => vault.listSecrets(),
	);
	const loadSyncStates = (): SyncStates => (services.sync.remote(vault) === null ? null : vault.syncStates());
	const [, setSyncStates, readSyncStates] = useLatestReducer((_: SyncStates, next: SyncStates) => next, loadSyncStates);
	const viewer = useRef<ReturnType<typeof listViewer> | null>(null);
	viewer.current ??= listViewer();

	// Once the list is on screen, get the filter's search text ready so the first keystroke is quick.
	useEffect(() => {
		const timer = setTimeout(() => prepareSearch(secrets), 0);
		return () => clearTimeout(timer);
	}, [secrets]);

	return {
		view(state) {
			const secrets = readSecrets();
			const visible = viewer.current!(secrets, state.sort, state.query);
			const cursor = Math.max(0, Math.min(state.cursor, visible.length - 1));
			return {secrets, visible, cursor, selected: visible[cursor]};
		},
		updateSecrets,
		readSyncStates,
		refresh() {
			updateSecrets(() => vault.listSecrets());
			setSyncStates(loadSyncStates());
		},
	};
}
