import {useRef} from 'react';
import type {SecretSummary} from '../../vault/model.js';
import type {Vault} from '../../vault/vault.js';
import type {KeyPress} from '../keys.js';
import type {TuiServices} from '../services.js';
import {type BrowserState, type Message, browserReducer, initialBrowserState} from '../state/browser.js';
import {browserCommand} from '../state/browser-keys.js';
import {nextSort, scrollOffset, sortLabels} from '../state/list-view.js';
import type {Loading} from '../state/listing.js';
import type {SyncStates} from '../state/sync-state.js';
import type {BrowserContext} from './browser-context.js';
import {conflictActions} from './conflict-actions.js';
import {confirmDelete} from './delete-action.js';
import {useLatestReducer} from './use-latest-reducer.js';
import {useListing} from './use-listing.js';
import {useRevealAndCopy} from './use-reveal-copy.js';
import {useSyncRun} from './use-sync-run.js';
import {useTeamContext} from './team-context.js';

export type BrowserOptions = {
	vault: Vault;
	services: TuiServices;
	/** List rows on screen. */
	listRows: number;
	onNew(): void;
	onEdit(secret: SecretSummary): void;
	onQuit(): void;
};

export type Browser = {
	state: BrowserState;
	total: number;
	/** The vault's pages still being read; null once every secret is listed. */
	loading: Loading;
	visible: readonly SecretSummary[];
	cursor: number;
	offset: number;
	selected: SecretSummary | undefined;
	/** Sync state per secret (null: no remote). */
	syncStates: SyncStates;
	onKey(key: KeyPress): void;
	/** After the form saved: reload from the vault, select that secret, say so. */
	saved(secret: SecretSummary, message: string): void;
	say(message: Message): void;
};

/**
 * The main screen's behaviour: the reducer's state beside the vault's listing, and each key's
 * command (decided by browserCommand) carried out by the effect that owns it: reveal and copy,
 * delete, sync, conflict resolution. Components only draw what this returns.
 */
export function useBrowser({vault, services, listRows, onNew, onEdit, onQuit}: BrowserOptions): Browser {
	const [, dispatch, readState] = useLatestReducer(browserReducer, () => ({...initialBrowserState, sort: services.listSort}));
	const say = (message: Message) => dispatch({type: 'message', message});
	/** The newest state and what follows from it; keys read this, so each sees the one before. */
	const current = () => {
		const state = readState();
		return {state, ...listing.view(state)};
	};

	/**
	 * More of the list arriving moves rows. Once the user has chosen a secret (moved off the top,
	 * revealed, or gone to its keys), the cursor follows that secret; until then it stays on the
	 * top row, so the first screenful does not scroll away while the rest loads.
	 */
	const keepSelection = (apply: () => void) => {
		const before = current();
		apply();
		const {state, selected} = before;
		if (selected === undefined || (state.cursor === 0 && state.revealed === null && state.focus === 'list')) {
			return;
		}

		const after = current();
		const index = after.visible.findIndex(secret => secret.id === selected.id);
		if (index !== -1) {
			dispatch({type: 'follow', index});
		}
	};

	const listing = useListing(vault, services, {keepSelection, say});

	const context: BrowserContext = {vault, services, dispatch, readState, current, listing, say};
	const {reveal, copy} = useRevealAndCopy(context);
	const startSync = useSyncRun(context);
	const conflicts = conflictActions(context);
	const team = useTeamContext();

	const {state, secrets, visible, cursor, selected, loading} = current();
	const offsetRef = useRef(0);
	const offset = scrollOffset(cursor, offsetRef.current, listRows, visible.length);
	offsetRef.current = offset;

	const onKey = (key: KeyPress) => {
		const {state, visible, selected} = current();
		const command = browserCommand(state, key, {
			count: visible.length,
			pageSize: listRows,
			keyCount: selected?.keys.length ?? 0,
			selectedConflict: selected !== undefined && listing.readSyncStates()?.get(selected.id) === 'conflict',
		});
		switch (command.kind) {
			case 'dispatch': {
				dispatch(command.action);
				if (command.action.type === 'cycleSort') {
					say({text: `sorted by ${sortLabels[nextSort(state.sort)]}`, tone: 'info'});
				}

				break;
			}

			case 'reveal': {
				reveal();
				break;
			}

			case 'copy': {
				copy();
				break;
			}

			case 'openDelete': {
				if (selected) {
					dispatch({type: 'openDelete', secretId: selected.id, name: selected.name});
				}

				break;
			}

			case 'confirmDelete': {
				confirmDelete(context);
				break;
			}

			case 'new': {
				onNew();
				break;
			}

			case 'edit': {
				if (selected) {
					onEdit(selected);
				}

				break;
			}

			case 'sync': {
				startSync();
				break;
			}

			case 'openConflict': {
				conflicts.open();
				break;
			}

			case 'jumpConflict': {
				conflicts.jump(command.delta);
				break;
			}

			case 'resolveConflict': {
				conflicts.resolve();
				break;
			}

			case 'members': {
				team.openMembers();
				break;
			}

			case 'quit': {
				onQuit();
				break;
			}

			case 'none': {
				break;
			}
		}
	};

	const saved = (secret: SecretSummary, message: string) => {
		listing.refresh();
		dispatch({type: 'clearFilter'});
		const {visible} = current();
		dispatch({type: 'moveTo', index: Math.max(0, visible.findIndex(candidate => candidate.id === secret.id)), count: visible.length});
		say({text: message, tone: 'info'});
	};

	return {state, total: secrets.length, loading, visible, cursor, offset, selected, syncStates: listing.readSyncStates(), onKey, saved, say};
}
