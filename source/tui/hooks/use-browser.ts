import {useEffect, useRef} from 'react';
import {describeError} from '../../errors.js';
import type {SecretSummary} from '../../vault/model.js';
import type {Vault} from '../../vault/vault.js';
import type {KeyPress} from '../keys.js';
import type {TuiServices} from '../services.js';
import {type BrowserState, type Message, browserReducer, initialBrowserState} from '../state/browser.js';
import {browserCommand} from '../state/browser-keys.js';
import {resolution} from '../state/conflict.js';
import type {SyncStates} from '../state/sync-state.js';
import {filterSecrets, lastResult, nextSort, prepareSearch, scrollOffset, sortLabels, sortSecrets} from '../state/list-view.js';
import {useLatestReducer} from './use-latest-reducer.js';
import {useTimers} from './use-timers.js';

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

function errorMessage(error: unknown): Message {
	return {text: describeError(error), tone: 'error'};
}

/**
 * The main screen's behaviour: secrets from the vault, the reducer's state, and the effects its
 * commands name (reveal, copy, delete). Components only draw what this returns.
 */
export function useBrowser({vault, services, listRows, onNew, onEdit, onQuit}: BrowserOptions): Browser {
	const [, dispatch, readState] = useLatestReducer(browserReducer, initialBrowserState);
	const [, updateSecrets, readSecrets] = useLatestReducer(
		(current: SecretSummary[], change: (secrets: SecretSummary[]) => SecretSummary[]) => change(current),
		() => vault.listSecrets(),
	);
	const readSyncStates = (): SyncStates => (services.sync.remote(vault) === null ? null : vault.syncStates());
	const [, setSyncStates, currentSyncStates] = useLatestReducer((_: SyncStates, next: SyncStates) => next, readSyncStates);
	/** After every change and every sync: the list and the sync column from the vault again. */
	const refresh = () => {
		updateSecrets(() => vault.listSecrets());
		setSyncStates(readSyncStates());
	};

	/** False once the screen is gone: a sync that ends after quitting (vault closed) is ignored. */
	const mounted = useRef(true);
	useEffect(() => {
		mounted.current = true;
		return () => {
			mounted.current = false;
		};
	}, []);

	const views = useRef<{sorted: typeof sortSecrets; filtered: typeof filterSecrets} | null>(null);
	views.current ??= {sorted: lastResult(sortSecrets), filtered: lastResult(filterSecrets)};
	const offsetRef = useRef(0);
	const later = useTimers();
	/** The value last copied, until the clipboard has been cleared of it. */
	const copied = useRef<string | null>(null);

	// Quitting before the 30 s are up still clears what hush put on the clipboard.
	useEffect(
		() => () => {
			if (copied.current !== null) {
				services.clipboard.clearIfUnchanged(copied.current).catch(() => {});
			}
		},
		[services],
	);

	/** The newest state and what follows from it; keys read this, so each sees the one before. */
	const current = () => {
		const state = readState();
		const secrets = readSecrets();
		const visible = views.current!.filtered(views.current!.sorted(secrets, state.sort), state.query);
		const cursor = Math.max(0, Math.min(state.cursor, visible.length - 1));
		return {state, secrets, visible, cursor, selected: visible[cursor]};
	};

	const {state, secrets, visible, cursor, selected} = current();

	// Once the list is on screen, get the filter's search text ready so the first keystroke is quick.
	useEffect(() => {
		const timer = setTimeout(() => prepareSearch(secrets), 0);
		return () => clearTimeout(timer);
	}, [secrets]);
	const offset = scrollOffset(cursor, offsetRef.current, listRows, visible.length);
	offsetRef.current = offset;

	const say = (message: Message) => dispatch({type: 'message', message});

	const syncing = state.syncing !== null;
	// The spinner turns while a sync runs; keys keep working meanwhile (the sync is a promise).
	useEffect(() => {
		if (!syncing) {
			return undefined;
		}

		const timer = setInterval(() => dispatch({type: 'syncTick'}), 120);
		return () => clearInterval(timer);
	}, [syncing]);

	const startSync = () => {
		if (readState().syncing) {
			say({text: 'already syncing', tone: 'info'});
			return;
		}

		let remote: string | null;
		try {
			remote = services.sync.remote(vault);
		} catch (error) {
			say(errorMessage(error));
			return;
		}

		if (remote === null) {
			say({text: 'no remote: connect one with hush remote add URL', tone: 'info'});
			return;
		}

		dispatch({type: 'syncStart', remote});
		services.sync.run(vault).then(
			report => {
				if (!mounted.current) {
					return;
				}

				refresh();
				const parts = [`pulled ${report.pulled}`, `pushed ${report.pushed}`];
				if (report.merged > 0) {
					parts.push(`merged ${report.merged}`);
				}

				// Private to another user on the server: not pushed (hush sync names them).
				if (report.refused.length > 0) {
					parts.push(`refused ${report.refused.length}`);
				}

				const conflicts = currentSyncStates() === null ? 0 : [...currentSyncStates()!.values()].filter(value => value === 'conflict').length;
				// Short enough for the status bar at 80 columns.
				const text = conflicts > 0 ? `${parts.join(', ')}; ${conflicts} conflict${conflicts === 1 ? '' : 's'} (x to resolve)` : `synced: ${parts.join(', ')}`;
				dispatch({type: 'syncEnd', message: {text, tone: conflicts > 0 || report.refused.length > 0 ? 'error' : 'info'}});
			},
			(error: unknown) => {
				if (!mounted.current) {
					return;
				}

				refresh();
				// One line, without the "unexpected error" prefix: the status bar is narrow.
				const text = error instanceof Error ? error.message : String(error);
				dispatch({type: 'syncEnd', message: {text: `sync failed: ${text.split('\n')[0]}`, tone: 'error'}});
			},
		);
	};

	const openConflictView = () => {
		const {selected, state} = current();
		if (!selected) {
			return;
		}

		// The view and a sync never overlap: what it shows could change under the user's choices.
		if (state.syncing) {
			say({text: 'wait until the sync ends', tone: 'info'});
			return;
		}

		if (currentSyncStates()?.get(selected.id) !== 'conflict') {
			say({text: `${selected.name} has no conflict`, tone: 'info'});
			return;
		}

		try {
			const detail = services.sync.describe(vault, selected.id);
			if (!detail) {
				say({text: `${selected.name} shares its name with another secret: rename one (hush rename ${selected.id} NEW-NAME)`, tone: 'error'});
				return;
			}

			dispatch({type: 'openConflict', detail});
		} catch (error) {
			say(errorMessage(error));
		}
	};

	const resolveConflictView = () => {
		const {overlay, syncing} = readState();
		if (overlay.kind !== 'conflict') {
			return;
		}

		if (syncing) {
			dispatch({type: 'conflictError', error: 'a sync is running: resolve once it is done'});
			return;
		}

		const choice = resolution(overlay.view);
		if ('missing' in choice) {
			dispatch({type: 'conflictError', error: `pick a side for: ${choice.missing.join('; ')}`});
			return;
		}

		try {
			const resolved = services.sync.resolve(vault, overlay.view.detail.id, choice);
			refresh();
			dispatch({type: 'closeOverlay'});
			say({text: `resolved ${resolved.name}: press s to sync it`, tone: 'info'});
		} catch (error) {
			dispatch({type: 'conflictError', error: errorMessage(error).text});
		}
	};

	/** Decrypts one value for display or copying; write-only secrets refuse (allowWriteOnly: false). */
	const readSelected = (): {secret: SecretSummary; key: string; value: string} | undefined => {
		const {state, selected} = current();
		if (!selected) {
			return undefined;
		}

		const key = selected.keys[Math.min(state.keyIndex, selected.keys.length - 1)];
		if (key === undefined) {
			return undefined;
		}

		const revealed = vault.revealSecret(selected.id, {allowWriteOnly: false, requireKeys: [key]});
		try {
			const value = revealed.get(key);
			updateSecrets(secrets => secrets.map(secret => (secret.id === revealed.id ? revealed.summary : secret)));
			return {secret: revealed.summary, key, value};
		} finally {
			revealed.wipe();
		}
	};

	const reveal = () => {
		try {
			const read = readSelected();
			if (!read) {
				return;
			}

			const seconds = Math.round(services.revealMs / 1000);
			dispatch({type: 'reveal', revealed: {secretId: read.secret.id, key: read.key, value: read.value}});
			say({text: `showing ${read.key} for ${seconds} s`, tone: 'info'});
			later(services.revealMs, () => dispatch({type: 'mask', secretId: read.secret.id, key: read.key}));
		} catch (error) {
			say(errorMessage(error));
		}
	};

	const copy = () => {
		let read: ReturnType<typeof readSelected>;
		try {
			read = readSelected();
		} catch (error) {
			say(errorMessage(error));
			return;
		}

		if (!read) {
			return;
		}

		const {key, value, secret} = read;
		const seconds = Math.round(services.clipboardClearMs / 1000);
		services.clipboard.copy(value).then(
			() => {
				copied.current = value;
				say({text: `copied ${key} of ${secret.name} via ${services.clipboard.method}; clearing it in ${seconds} s`, tone: 'info'});
				later(services.clipboardClearMs, () => {
					if (copied.current === value) {
						copied.current = null;
					}

					services.clipboard.clearIfUnchanged(value).then(
						cleared => {
							if (cleared) {
								say({text: `clipboard cleared (${key} of ${secret.name})`, tone: 'info'});
							}
						},
						() => say({text: 'could not clear the clipboard: clear it by hand', tone: 'error'}),
					);
				});
			},
			(error: unknown) => say({text: `copy failed: ${error instanceof Error ? error.message : String(error)}`, tone: 'error'}),
		);
	};

	const confirmDelete = () => {
		const {overlay} = readState();
		if (overlay.kind !== 'delete') {
			return;
		}

		if (overlay.typed !== overlay.name) {
			dispatch({type: 'deleteMismatch'});
			return;
		}

		try {
			const deleted = vault.deleteSecret(overlay.secretId);
			updateSecrets(secrets => secrets.filter(secret => secret.id !== deleted.id));
			refresh();
			dispatch({type: 'closeOverlay'});
			say({text: `deleted ${deleted.name}`, tone: 'info'});
		} catch (error) {
			dispatch({type: 'closeOverlay'});
			say(errorMessage(error));
		}
	};

	const onKey = (key: KeyPress) => {
		const {state, visible, selected} = current();
		const command = browserCommand(state, key, {
			count: visible.length,
			pageSize: listRows,
			keyCount: selected?.keys.length ?? 0,
			selectedConflict: selected !== undefined && currentSyncStates()?.get(selected.id) === 'conflict',
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
				confirmDelete();
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
				openConflictView();
				break;
			}

			case 'resolveConflict': {
				resolveConflictView();
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
		refresh();
		dispatch({type: 'clearFilter'});
		const {visible} = current();
		dispatch({type: 'moveTo', index: Math.max(0, visible.findIndex(candidate => candidate.id === secret.id)), count: visible.length});
		say({text: message, tone: 'info'});
	};

	return {state, total: secrets.length, visible, cursor, offset, selected, syncStates: currentSyncStates(), onKey, saved, say};
}
