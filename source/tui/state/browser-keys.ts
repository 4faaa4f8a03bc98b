import {type KeyPress, textEditOf} from '../keys.js';
import type {BrowserAction, BrowserState} from './browser.js';

/**
 * What a key means on the main screen, decided from the state alone: the help overlay, the delete
 * confirmation and the filter field each take the keyboard while they are open, so a letter typed
 * into the filter never also moves the list. Effects (reveal, copy, delete, forms) are named here
 * and carried out by the screen's hook.
 */
export type BrowserCommand =
	| {kind: 'dispatch'; action: BrowserAction}
	| {kind: 'jumpConflict'; delta: 1 | -1}
	| {kind: 'reveal' | 'copy' | 'confirmDelete' | 'openDelete' | 'new' | 'edit' | 'sync' | 'openConflict' | 'resolveConflict' | 'members' | 'quit' | 'none'};

export type BrowserKeyContext = {
	/** Rows after filtering. */
	count: number;
	/** List rows on screen (for Page Up / Page Down). */
	pageSize: number;
	/** Keys of the selected secret. */
	keyCount: number;
	/** The selected secret is in conflict (Enter opens the conflict view). */
	selectedConflict?: boolean;
};

const dispatch = (action: BrowserAction): BrowserCommand => ({kind: 'dispatch', action});
const none: BrowserCommand = {kind: 'none'};

export function browserCommand(state: BrowserState, key: KeyPress, context: BrowserKeyContext): BrowserCommand {
	const {count, pageSize, keyCount} = context;
	const {overlay} = state;
	// Pasted text is for a text field; elsewhere none of its characters is a command.
	if (key.paste && overlay.kind !== 'delete' && !(overlay.kind === 'none' && state.filtering)) {
		return none;
	}

	if (overlay.kind === 'help') {
		return key.escape || key.enter || key.text === '?' || key.text === 'q' ? dispatch({type: 'closeOverlay'}) : none;
	}

	if (overlay.kind === 'conflict') {
		if (key.escape || key.text === 'q') {
			return dispatch({type: 'closeOverlay'});
		}

		if (key.enter) {
			return {kind: 'resolveConflict'};
		}

		if (key.up || key.down || key.text === 'k' || key.text === 'j') {
			return dispatch({type: 'conflictMove', delta: key.up || key.text === 'k' ? -1 : 1});
		}

		if (key.left || key.right) {
			return dispatch({type: 'conflictChoose', side: key.left ? 'local' : 'remote', all: false});
		}

		switch (key.ctrl === '' ? key.text : '') {
			case 'l':
			case 'L': {
				return dispatch({type: 'conflictChoose', side: 'local', all: key.text === 'L'});
			}

			case 'r':
			case 'R': {
				return dispatch({type: 'conflictChoose', side: 'remote', all: key.text === 'R'});
			}

			default: {
				return none;
			}
		}
	}

	if (overlay.kind === 'delete') {
		if (key.escape) {
			return dispatch({type: 'closeOverlay'});
		}

		if (key.enter) {
			return {kind: 'confirmDelete'};
		}

		const edit = textEditOf(key);
		return edit ? dispatch({type: 'editDelete', edit}) : none;
	}

	if (key.up) {
		return state.focus === 'detail' && !state.filtering ? dispatch({type: 'moveKey', delta: -1, keyCount}) : dispatch({type: 'move', delta: -1, count});
	}

	if (key.down) {
		return state.focus === 'detail' && !state.filtering ? dispatch({type: 'moveKey', delta: 1, keyCount}) : dispatch({type: 'move', delta: 1, count});
	}

	if (key.pageUp || key.pageDown) {
		return dispatch({type: 'move', delta: (key.pageUp ? -1 : 1) * Math.max(1, pageSize - 1), count});
	}

	if (state.filtering) {
		if (key.escape) {
			return dispatch({type: 'clearFilter'});
		}

		if (key.enter) {
			return dispatch({type: 'acceptFilter'});
		}

		const edit = textEditOf(key);
		return edit ? dispatch({type: 'editFilter', edit}) : none;
	}

	if (key.home) {
		return dispatch({type: 'moveTo', index: 0, count});
	}

	if (key.end) {
		return dispatch({type: 'moveTo', index: count - 1, count});
	}

	if (key.enter && state.focus === 'list' && context.selectedConflict && count > 0) {
		return {kind: 'openConflict'};
	}

	if (key.enter || key.right || key.tab) {
		return count > 0 ? dispatch({type: 'focus', pane: key.tab && state.focus === 'detail' ? 'list' : 'detail'}) : none;
	}

	if (key.escape) {
		if (state.focus === 'detail') {
			return dispatch({type: 'focus', pane: 'list'});
		}

		return state.query === '' ? none : dispatch({type: 'clearFilter'});
	}

	if (key.left || key.shiftTab) {
		return dispatch({type: 'focus', pane: 'list'});
	}

	switch (key.ctrl === '' ? key.text : '') {
		case 'j': {
			return browserCommand(state, {...key, text: '', down: true}, context);
		}

		case 'k': {
			return browserCommand(state, {...key, text: '', up: true}, context);
		}

		case 'g': {
			return dispatch({type: 'moveTo', index: 0, count});
		}

		case 'G': {
			return dispatch({type: 'moveTo', index: count - 1, count});
		}

		case '/': {
			return dispatch({type: 'startFilter'});
		}

		case 'o': {
			return dispatch({type: 'cycleSort'});
		}

		case '?': {
			return dispatch({type: 'openHelp'});
		}

		case 'r': {
			return count > 0 ? {kind: 'reveal'} : none;
		}

		case 'c': {
			return count > 0 ? {kind: 'copy'} : none;
		}

		case 'd': {
			return count > 0 ? {kind: 'openDelete'} : none;
		}

		case 'e': {
			return count > 0 ? {kind: 'edit'} : none;
		}

		case 'n': {
			return {kind: 'new'};
		}

		case 's': {
			return {kind: 'sync'};
		}

		case 'x': {
			return count > 0 ? {kind: 'openConflict'} : none;
		}

		case ']':
		case '[': {
			return {kind: 'jumpConflict', delta: key.text === ']' ? 1 : -1};
		}

		case 'm': {
			return {kind: 'members'};
		}

		case 'q': {
			return {kind: 'quit'};
		}

		default: {
			return none;
		}
	}
}
