/**
 * Editing rules for one-line text fields: type at the end, Backspace, Ctrl-U clears. Pure, so the
 * unlock screen, the filter and the form all edit text the same way and are tested without Ink.
 */
export type TextEdit = {kind: 'insert'; text: string} | {kind: 'backspace'} | {kind: 'clear'};

/** Characters a field accepts: printable text only, never control bytes from a pasted escape. */
export function printable(text: string): string {
	return text.replaceAll(/[\u0000-\u001F\u007F]/g, '');
}

export function editText(value: string, edit: TextEdit): string {
	switch (edit.kind) {
		case 'insert': {
			return value + printable(edit.text);
		}

		case 'backspace': {
			return [...value].slice(0, -1).join('');
		}

		case 'clear': {
			return '';
		}
	}
}
