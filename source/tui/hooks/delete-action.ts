import {errorMessage} from '../state/browser.js';
import type {BrowserContext} from './browser-context.js';

/** Enter in the delete dialog: deletes the secret once its name was typed exactly. */
export function confirmDelete({vault, dispatch, readState, listing, say}: BrowserContext): void {
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
		listing.refresh();
		dispatch({type: 'closeOverlay'});
		say({text: `deleted ${deleted.name}`, tone: 'info'});
	} catch (error) {
		dispatch({type: 'closeOverlay'});
		say(errorMessage(error));
	}
}
