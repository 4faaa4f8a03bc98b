import {type KeyPress, textEditOf} from '../keys.js';
import {type FormAction, type FormState, focusedField, isChanged, isTextField} from './form.js';

/** What a key means in the form: the focused field gets text; Tab, arrows and Ctrl keys move and act. */
export type FormCommand = {kind: 'dispatch'; action: FormAction} | {kind: 'submit' | 'cancel' | 'none'};

const dispatch = (action: FormAction): FormCommand => ({kind: 'dispatch', action});

export function formCommand(state: FormState, key: KeyPress): FormCommand {
	const field = focusedField(state);
	// "discard changes? y/n": only y drops the form; n or Esc goes back to it.
	if (state.confirmDiscard) {
		if (!key.paste && (key.text === 'y' || key.text === 'Y')) {
			return {kind: 'cancel'};
		}

		return key.escape || key.text === 'n' || key.text === 'N' ? dispatch({type: 'keepEditing'}) : {kind: 'none'};
	}

	if (key.escape) {
		return isChanged(state) ? dispatch({type: 'askDiscard'}) : {kind: 'cancel'};
	}

	if (key.ctrl === 's') {
		return {kind: 'submit'};
	}

	if (key.ctrl === 'n') {
		return dispatch({type: 'addKey'});
	}

	if (key.ctrl === 'x') {
		return dispatch({type: 'removeKey'});
	}

	if (key.tab || key.down) {
		return dispatch({type: 'next'});
	}

	if (key.shiftTab || key.up) {
		return dispatch({type: 'previous'});
	}

	if (key.enter) {
		if (field === 'save') {
			return {kind: 'submit'};
		}

		return dispatch(field === 'addKey' ? {type: 'addKey'} : {type: 'next'});
	}

	if (key.paste && !isTextField(field)) {
		return {kind: 'none'};
	}

	if (isTextField(field)) {
		const edit = textEditOf(key);
		return edit ? dispatch({type: 'edit', edit}) : {kind: 'none'};
	}

	if (key.left || key.right || key.text === ' ') {
		return dispatch({type: 'cycle', delta: key.left ? -1 : 1});
	}

	return {kind: 'none'};
}
