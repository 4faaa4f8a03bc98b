import {type KeyPress, textEditOf} from '../keys.js';
import {editText} from './text.js';

/**
 * The unlock screen (one hidden passphrase) and the create-vault screen (passphrase twice) share
 * this reducer. `fields` is 1 for unlock and 2 for create.
 */
export type PassphraseState = {
	fields: 1 | 2;
	values: [string, string];
	focus: 0 | 1;
	busy: boolean;
	error: string | null;
};

export type PassphraseCommand =
	| {kind: 'edit'; state: PassphraseState}
	| {kind: 'submit'; passphrase: string}
	| {kind: 'quit' | 'none'};

export function passphraseState(fields: 1 | 2): PassphraseState {
	return {fields, values: ['', ''], focus: 0, busy: false, error: null};
}

/** Decides what a key does; typing, moving between the two fields and checking they match are pure. */
export function passphraseCommand(state: PassphraseState, key: KeyPress): PassphraseCommand {
	if (state.busy) {
		return {kind: 'none'};
	}

	if (key.escape) {
		return {kind: 'quit'};
	}

	if (key.enter) {
		if (state.values[state.focus] === '') {
			return {kind: 'edit', state: {...state, error: 'type the passphrase, or press Esc to quit'}};
		}

		if (state.fields === 2 && state.focus === 0) {
			return {kind: 'edit', state: {...state, focus: 1, error: null}};
		}

		if (state.fields === 2 && state.values[0] !== state.values[1]) {
			return {kind: 'edit', state: {...state, values: [state.values[0], ''], error: 'the passphrases differ: type the second one again'}};
		}

		return {kind: 'submit', passphrase: state.values[0]};
	}

	if ((key.tab || key.shiftTab || key.up || key.down) && state.fields === 2) {
		return {kind: 'edit', state: {...state, focus: state.focus === 0 ? 1 : 0}};
	}

	const edit = textEditOf(key);
	if (!edit) {
		return {kind: 'none'};
	}

	const values: [string, string] = [...state.values];
	values[state.focus] = editText(values[state.focus], edit);
	return {kind: 'edit', state: {...state, values, error: null}};
}
