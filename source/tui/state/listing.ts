import type {SecretSummary} from '../../vault/model.js';
import {appendSecrets} from './grown-list.js';

/** How far reading the vault's pages has got (stopped: an error ended it early); null once the whole list is in. */
export type Loading = {loaded: number; total: number; stopped: boolean} | null;

/**
 * The secrets the main screen lists, as a pure reducer. The vault's pages arrive a few at a time
 * (see load-pages.ts): each batch is appended, and `loading` says how many of how many are in.
 * Until then the list, its sort and its filter are over the secrets read so far, and grow as the
 * rest arrive; the screen says "loading" beside the count, so a filter that finds nothing yet is
 * not taken for a filter that finds nothing.
 */
export type ListingState = {
	secrets: readonly SecretSummary[];
	loading: Loading;
};

/** A step of the page reader, as the TUI receives it. */
export type Batch = {summaries: readonly SecretSummary[]; loaded: number; total: number; done: boolean};

export type ListingAction =
	/** Pages read since the last batch. */
	| {type: 'batch'; batch: Batch}
	/** The whole list read again at once (after a write or a sync): whatever was loading is superseded. */
	| {type: 'replace'; secrets: readonly SecretSummary[]}
	/** Summaries changed in place (a reveal bumps lastUsedAt); loading goes on. */
	| {type: 'change'; change: (secrets: SecretSummary[]) => SecretSummary[]}
	/** Reading the pages stopped before the end (an error, said in the status bar). */
	| {type: 'stopped'};

/** The state after the first step of the reader, which the first frame draws. */
export function firstListing(batch: Batch): ListingState {
	return {secrets: batch.summaries, loading: batch.done ? null : {loaded: batch.loaded, total: batch.total, stopped: false}};
}

export function listingReducer(state: ListingState, action: ListingAction): ListingState {
	switch (action.type) {
		case 'batch': {
			const {batch} = action;
			if (state.loading === null || state.loading.stopped) {
				// A batch from a reader a reload superseded.
				return state;
			}

			return {
				secrets: batch.summaries.length === 0 ? state.secrets : appendSecrets(state.secrets, batch.summaries),
				loading: batch.done ? null : {loaded: batch.loaded, total: Math.max(batch.total, batch.loaded), stopped: false},
			};
		}

		case 'replace': {
			return {secrets: action.secrets, loading: null};
		}

		case 'change': {
			return {...state, secrets: action.change([...state.secrets])};
		}

		case 'stopped': {
			return state.loading === null ? state : {...state, loading: {...state.loading, stopped: true}};
		}
	}
}
