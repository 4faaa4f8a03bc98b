import type {SecretSummary} from '../../vault/model.js';
import type {ConflictDetail, Side} from '../sync-service.js';
import type {SyncStates} from './sync-state.js';

/**
 * The conflict view's state: both versions of one secret (masked: lengths and fingerprints only),
 * the selected conflict and the side picked for each. Conflicts on keys are picked one by one;
 * the others (metadata fields, edit versus delete) share one side, as `hush resolve --take` does,
 * so picking a side for one of them picks it for all of them.
 */
export type ConflictView = {
	detail: ConflictDetail;
	/** Index into detail.conflicts. */
	row: number;
	choices: Readonly<Record<string, Side>>;
	error: string | null;
};

/** A fresh view of one conflicted secret: first conflict selected, no side picked yet. */
export function conflictView(detail: ConflictDetail): ConflictView {
	return {detail, row: 0, choices: {}, error: null};
}

const isKey = (label: string) => label.startsWith('key ');

export function moveConflict(view: ConflictView, delta: number): ConflictView {
	const row = Math.max(0, Math.min(view.row + delta, view.detail.conflicts.length - 1));
	return row === view.row ? view : {...view, row};
}

/** Picks a side for the selected conflict (`all`: for every conflict). */
export function chooseSide(view: ConflictView, side: Side, all = false): ConflictView {
	const labels = view.detail.conflicts;
	const selected = labels[view.row];
	if (selected === undefined) {
		return view;
	}

	const targets = all ? labels : isKey(selected) ? [selected] : labels.filter(label => !isKey(label));
	const choices = {...view.choices};
	for (const label of targets) {
		choices[label] = side;
	}

	return {...view, choices, error: null};
}

/** What resolveConflict needs, or the conflicts still without a side. */
export function resolution(view: ConflictView): {take?: Side; keys: Map<string, Side>} | {missing: string[]} {
	const missing = view.detail.conflicts.filter(label => view.choices[label] === undefined);
	if (missing.length > 0) {
		return {missing};
	}

	const keys = new Map<string, Side>();
	let take: Side | undefined;
	for (const label of view.detail.conflicts) {
		const side = view.choices[label]!;
		if (isKey(label)) {
			keys.set(label.slice(4), side);
		} else {
			take = side;
		}
	}

	return take === undefined ? {keys} : {take, keys};
}

export function conflictError(view: ConflictView, error: string): ConflictView {
	return {...view, error};
}

/** How many secrets are in conflict (0 without a remote). */
export function conflictCount(states: SyncStates): number {
	let count = 0;
	for (const state of states?.values() ?? []) {
		count += state === 'conflict' ? 1 : 0;
	}

	return count;
}

/**
 * The row of the next (delta 1) or previous (-1) conflicted secret after `cursor` among the rows
 * shown, wrapping round the list; undefined when none of them is in conflict.
 */
export function nextConflictRow(rows: readonly SecretSummary[], states: SyncStates, cursor: number, delta: 1 | -1): number | undefined {
	if (!states || rows.length === 0) {
		return undefined;
	}

	for (let step = 1; step <= rows.length; step++) {
		const row = (((cursor + step * delta) % rows.length) + rows.length) % rows.length;
		if (states.get(rows[row]!.id) === 'conflict') {
			return row;
		}
	}

	return undefined;
}
