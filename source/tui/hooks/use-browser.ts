import {useEffect, useRef} from 'react';
import {HushError} from '../../vault/errors.js';
import type {SecretSummary} from '../../vault/model.js';
import type {Vault} from '../../vault/vault.js';
import type {KeyPress} from '../keys.js';
import type {TuiServices} from '../services.js';
import {type BrowserState, type Message, browserReducer, initialBrowserState} from '../state/browser.js';
import {browserCommand} from '../state/browser-keys.js';
import {filterSecrets, nextSort, prepareSearch, scrollOffset, sortLabels, sortSecrets} from '../state/list-view.js';
import {lastResult, useSyncReducer} from './use-sync-reducer.js';
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
	onKey(key: KeyPress): void;
	/** After the form saved: reload from the vault, select that secret, say so. */
	saved(secret: SecretSummary, message: string): void;
	say(message: Message): void;
};

function errorMessage(error: unknown): Message {
	const text = error instanceof HushError ? error.message : `unexpected error: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`;
	return {text, tone: 'error'};
}

/**
 * The main screen's behaviour: secrets from the vault, the reducer's state, and the effects its
 * commands name (reveal, copy, delete). Components only draw what this returns.
 */
export function useBrowser({vault, services, listRows, onNew, onEdit, onQuit}: BrowserOptions): Browser {
	const [, dispatch, readState] = useSyncReducer(browserReducer, initialBrowserState);
	const [, updateSecrets, readSecrets] = useSyncReducer(
		(current: SecretSummary[], change: (secrets: SecretSummary[]) => SecretSummary[]) => change(current),
		() => vault.listSecrets(),
	);
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
			dispatch({type: 'closeOverlay'});
			say({text: `deleted ${deleted.name}`, tone: 'info'});
		} catch (error) {
			dispatch({type: 'closeOverlay'});
			say(errorMessage(error));
		}
	};

	const onKey = (key: KeyPress) => {
		const {state, visible, selected} = current();
		const command = browserCommand(state, key, {count: visible.length, pageSize: listRows, keyCount: selected?.keys.length ?? 0});
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
				say({text: 'sync is not set up', tone: 'info'});
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
		updateSecrets(() => vault.listSecrets());
		dispatch({type: 'clearFilter'});
		const {visible} = current();
		dispatch({type: 'moveTo', index: Math.max(0, visible.findIndex(candidate => candidate.id === secret.id)), count: visible.length});
		say({text: message, tone: 'info'});
	};

	return {state, total: secrets.length, visible, cursor, offset, selected, onKey, saved, say};
}
