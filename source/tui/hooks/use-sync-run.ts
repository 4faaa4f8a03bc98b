import {useEffect, useRef} from 'react';
import {errorMessage} from '../state/browser.js';
import {syncFailedMessage, syncReportMessage} from '../state/sync-state.js';
import type {BrowserContext} from './browser-context.js';

/**
 * `s`: one sync with the remote at a time, as a promise, so keys keep working while it runs and a
 * spinner turns in the status bar. When it ends the list and the sync column are read again and
 * the status bar says what happened.
 */
export function useSyncRun({vault, services, dispatch, readState, listing, say}: BrowserContext): () => void {
	/** False once the screen is gone: a sync that ends after quitting (vault closed) is ignored. */
	const mounted = useRef(true);
	useEffect(() => {
		mounted.current = true;
		return () => {
			mounted.current = false;
		};
	}, []);

	const syncing = readState().syncing !== null;
	useEffect(() => {
		if (!syncing) {
			return undefined;
		}

		const timer = setInterval(() => dispatch({type: 'syncTick'}), 120);
		return () => clearInterval(timer);
	}, [syncing]);

	return () => {
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
				if (mounted.current) {
					listing.refresh();
					dispatch({type: 'syncEnd', message: syncReportMessage(report, listing.readSyncStates())});
				}
			},
			(error: unknown) => {
				if (mounted.current) {
					listing.refresh();
					dispatch({type: 'syncEnd', message: syncFailedMessage(error)});
				}
			},
		);
	};
}
