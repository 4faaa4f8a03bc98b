import {errorMessage} from '../state/browser.js';
import {conflictCount, nextConflictRow, resolution} from '../state/conflict.js';
import type {BrowserContext} from './browser-context.js';

/**
 * The conflict view's effects: `x` (or Enter on a conflicted row) opens it with both versions of
 * the selected secret, Enter in it writes the sides picked. The picking itself is the reducer's.
 */
export function conflictActions({vault, services, dispatch, readState, current, listing, say}: BrowserContext): {
	open(): void;
	resolve(): void;
	jump(delta: 1 | -1): void;
} {
	const open = () => {
		const {selected, state} = current();
		if (!selected) {
			return;
		}

		// The view and a sync never overlap: what it shows could change under the user's choices.
		if (state.syncing) {
			say({text: 'wait until the sync ends', tone: 'info'});
			return;
		}

		if (listing.readSyncStates()?.get(selected.id) !== 'conflict') {
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

	const resolve = () => {
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
			listing.refresh();
			dispatch({type: 'closeOverlay'});
			say({text: `resolved ${resolved.name}: press s to sync it`, tone: 'info'});
		} catch (error) {
			dispatch({type: 'conflictError', error: errorMessage(error).text});
		}
	};

	/** `]` and `[`: the selection to the next or previous conflicted secret among the rows shown. */
	const jump = (delta: 1 | -1) => {
		const {visible, cursor} = current();
		const states = listing.readSyncStates();
		const row = nextConflictRow(visible, states, cursor, delta);
		if (row !== undefined) {
			dispatch({type: 'moveTo', index: row, count: visible.length});
			return;
		}

		const text = conflictCount(states) > 0 ? 'no conflict among the rows shown: Esc clears the filter' : 'no conflicts';
		say({text, tone: 'info'});
	};

	return {open, resolve, jump};
}
