import {describeError} from '../../errors.js';
import {type ConflictView, chooseSide, conflictError, conflictView, moveConflict} from './conflict.js';
import {type SortOrder, nextSort} from './list-view.js';
import type {ConflictDetail, Side} from '../sync-service.js';
import {type TextEdit, editText} from './text.js';

/** One line for the status bar. */
export type Message = {text: string; tone: 'info' | 'error'};

/** An error as the status bar says it. */
export function errorMessage(error: unknown): Message {
	return {text: describeError(error), tone: 'error'};
}

export type Overlay =
	| {kind: 'none'}
	| {kind: 'help'}
	| {kind: 'delete'; secretId: string; name: string; typed: string; error: string | null}
	| {kind: 'conflict'; view: ConflictView};

export type Revealed = {secretId: string; key: string; value: string};

/**
 * The list-and-detail screen's state, as a pure reducer: selection, scrolling, filter, sort,
 * which pane has focus, the one revealed value, overlays (help, delete confirmation) and the
 * status message. The secrets themselves live beside it (they come from the vault); actions that
 * depend on them carry the numbers they need (how many rows are visible, how tall the list is).
 */
export type BrowserState = {
	sort: SortOrder;
	query: string;
	/** The filter field has the keyboard. */
	filtering: boolean;
	cursor: number;
	focus: 'list' | 'detail';
	/** The selected key in the detail pane. */
	keyIndex: number;
	revealed: Revealed | null;
	overlay: Overlay;
	message: Message | null;
	/** A sync in flight: the remote it talks to and the spinner's frame. */
	syncing: {remote: string; frame: number} | null;
};

export type BrowserAction =
	| {type: 'move'; delta: number; count: number}
	| {type: 'moveTo'; index: number; count: number}
	/** The selected secret moved to another row (more of the list arrived): the cursor follows it, the reveal stays. */
	| {type: 'follow'; index: number}
	| {type: 'startFilter'}
	| {type: 'editFilter'; edit: TextEdit}
	| {type: 'acceptFilter'}
	| {type: 'clearFilter'}
	| {type: 'cycleSort'}
	| {type: 'focus'; pane: 'list' | 'detail'}
	| {type: 'moveKey'; delta: number; keyCount: number}
	| {type: 'reveal'; revealed: Revealed}
	| {type: 'mask'; secretId: string; key: string}
	| {type: 'openHelp'}
	| {type: 'openDelete'; secretId: string; name: string}
	| {type: 'editDelete'; edit: TextEdit}
	| {type: 'deleteMismatch'}
	| {type: 'closeOverlay'}
	| {type: 'message'; message: Message}
	| {type: 'syncStart'; remote: string}
	| {type: 'syncTick'}
	| {type: 'syncEnd'; message: Message}
	| {type: 'openConflict'; detail: ConflictDetail}
	| {type: 'conflictMove'; delta: number}
	| {type: 'conflictChoose'; side: Side; all: boolean}
	| {type: 'conflictError'; error: string};

export const initialBrowserState: BrowserState = {
	sort: 'name',
	query: '',
	filtering: false,
	cursor: 0,
	focus: 'list',
	keyIndex: 0,
	revealed: null,
	overlay: {kind: 'none'},
	message: null,
	syncing: null,
};

function clamp(value: number, count: number): number {
	return Math.max(0, Math.min(value, count - 1));
}

/** Selecting another secret masks whatever was revealed and goes back to its first key. */
function select(state: BrowserState, index: number): BrowserState {
	return index === state.cursor ? state : {...state, cursor: index, keyIndex: 0, revealed: null};
}

export function browserReducer(state: BrowserState, action: BrowserAction): BrowserState {
	switch (action.type) {
		case 'move': {
			return select(state, clamp(state.cursor + action.delta, action.count));
		}

		case 'moveTo': {
			return select(state, clamp(action.index, action.count));
		}

		case 'follow': {
			return action.index === state.cursor ? state : {...state, cursor: Math.max(0, action.index)};
		}

		case 'startFilter': {
			return {...state, filtering: true, focus: 'list'};
		}

		case 'editFilter': {
			const query = editText(state.query, action.edit);
			return query === state.query ? state : {...state, query, cursor: 0, keyIndex: 0, revealed: null};
		}

		case 'acceptFilter': {
			return {...state, filtering: false};
		}

		case 'clearFilter': {
			return {...state, filtering: false, query: '', cursor: 0, keyIndex: 0, revealed: null};
		}

		case 'cycleSort': {
			const sort = nextSort(state.sort);
			return {...state, sort, cursor: 0, keyIndex: 0, revealed: null};
		}

		case 'focus': {
			return {...state, focus: action.pane};
		}

		case 'moveKey': {
			const keyIndex = clamp(state.keyIndex + action.delta, action.keyCount);
			return keyIndex === state.keyIndex ? state : {...state, keyIndex, revealed: null};
		}

		case 'reveal': {
			return {...state, revealed: action.revealed};
		}

		case 'mask': {
			const {revealed} = state;
			if (!revealed || revealed.secretId !== action.secretId || revealed.key !== action.key) {
				return state;
			}

			return {...state, revealed: null};
		}

		case 'openHelp': {
			return {...state, overlay: {kind: 'help'}};
		}

		case 'openDelete': {
			return {...state, revealed: null, overlay: {kind: 'delete', secretId: action.secretId, name: action.name, typed: '', error: null}};
		}

		case 'editDelete': {
			const {overlay} = state;
			return overlay.kind === 'delete' ? {...state, overlay: {...overlay, typed: editText(overlay.typed, action.edit), error: null}} : state;
		}

		case 'deleteMismatch': {
			const {overlay} = state;
			return overlay.kind === 'delete'
				? {...state, overlay: {...overlay, error: `that is not the name: type ${overlay.name} exactly, or press Esc to keep it`}}
				: state;
		}

		case 'closeOverlay': {
			return {...state, overlay: {kind: 'none'}};
		}

		case 'message': {
			return {...state, message: action.message};
		}

		case 'syncStart': {
			return state.syncing ? state : {...state, syncing: {remote: action.remote, frame: 0}, message: null};
		}

		case 'syncTick': {
			return state.syncing ? {...state, syncing: {...state.syncing, frame: state.syncing.frame + 1}} : state;
		}

		case 'syncEnd': {
			return {...state, syncing: null, message: action.message};
		}

		case 'openConflict': {
			return {...state, revealed: null, overlay: {kind: 'conflict', view: conflictView(action.detail)}};
		}

		case 'conflictMove':
		case 'conflictChoose':
		case 'conflictError': {
			const {overlay} = state;
			if (overlay.kind !== 'conflict') {
				return state;
			}

			const view =
				action.type === 'conflictMove'
					? moveConflict(overlay.view, action.delta)
					: action.type === 'conflictChoose'
						? chooseSide(overlay.view, action.side, action.all)
						: conflictError(overlay.view, action.error);
			return view === overlay.view ? state : {...state, overlay: {kind: 'conflict', view}};
		}
	}
}
