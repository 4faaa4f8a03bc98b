import type {Key} from 'ink';
import type {TextEdit} from './state/text.js';

/**
 * The one place that turns Ink's raw key events into hush's named commands. Screens never read
 * raw keys: the app's single input owner asks {@link toKeyPress} once and hands the result to the
 * active screen, so a focused text field and the list never both see a key.
 */
export type KeyPress = {
	/** Printable text typed (empty for special keys). */
	text: string;
	up: boolean;
	down: boolean;
	left: boolean;
	right: boolean;
	pageUp: boolean;
	pageDown: boolean;
	home: boolean;
	end: boolean;
	enter: boolean;
	escape: boolean;
	tab: boolean;
	shiftTab: boolean;
	backspace: boolean;
	/** Ctrl plus a letter, lower-case ('c', 's', 'n'…), or ''. */
	ctrl: string;
	/** The text was pasted (bracketed paste): only a text field takes it. */
	paste: boolean;
};

export function toKeyPress(input: string, key: Key): KeyPress {
	const ctrl = key.ctrl && /^[a-z]$/i.test(input) ? input.toLowerCase() : '';
	const special = key.ctrl || key.meta || key.escape || key.return || key.tab || key.backspace || key.delete;
	return {
		text: special ? '' : input,
		up: key.upArrow,
		down: key.downArrow,
		left: key.leftArrow,
		right: key.rightArrow,
		pageUp: key.pageUp,
		pageDown: key.pageDown,
		home: key.home,
		end: key.end,
		enter: key.return,
		escape: key.escape,
		tab: key.tab && !key.shift,
		shiftTab: key.tab && key.shift,
		backspace: key.backspace || key.delete,
		ctrl,
		paste: false,
	};
}

const noPress: KeyPress = {
	text: '',
	up: false,
	down: false,
	left: false,
	right: false,
	pageUp: false,
	pageDown: false,
	home: false,
	end: false,
	enter: false,
	escape: false,
	tab: false,
	shiftTab: false,
	backspace: false,
	ctrl: '',
	paste: false,
};

/** A blank key press, for tests and for building presses by hand. */
export function press(overrides: Partial<KeyPress> = {}): KeyPress {
	return {...noPress, ...overrides};
}

/** The text edit a key means inside a text field, if any. */
export function textEditOf(keyPress: KeyPress): TextEdit | undefined {
	if (keyPress.backspace) {
		return {kind: 'backspace'};
	}

	if (keyPress.ctrl === 'u') {
		return {kind: 'clear'};
	}

	if (keyPress.text !== '' && !keyPress.ctrl) {
		return {kind: 'insert', text: keyPress.text};
	}

	return undefined;
}


/**
 * One byte of a burst as the key a terminal means by it: Enter, Tab, Backspace, Ctrl plus a
 * letter, or printable text. Other control bytes mean nothing.
 */
function byteKeyPress(character: string): KeyPress {
	if (character === '\r') {
		return {...noPress, enter: true};
	}

	if (character === '\t') {
		return {...noPress, tab: true};
	}

	if (character === '\u007F' || character === '\b') {
		return {...noPress, backspace: true};
	}

	const code = character.codePointAt(0)!;
	if (code >= 1 && code <= 26 && character !== '\n') {
		return {...noPress, ctrl: String.fromCodePoint(code + 96)};
	}

	return code < 32 ? noPress : {...noPress, text: character};
}

/**
 * Every key in one input event. Ink 8 splits what it reads at escape sequences (an arrow, Esc,
 * Alt plus a key each arrive alone, already parsed) and at Backspace and Ctrl-C bytes, but hands
 * a run of ordinary bytes over as one string: five `j` from key repeat, `tmux send-keys` or a
 * slow link arrive as "jjjjj". Such a run is split here into one key per character (code point),
 * so each moves the list once and a text field still receives every character in order. Text
 * pasted in a terminal with bracketed paste never comes this way: see {@link pasteKeyPress}.
 */
export function keyPresses(input: string, key: Key): KeyPress[] {
	const special = key.ctrl || key.meta || key.escape || key.return || key.tab || key.backspace || key.delete;
	const arrows = key.upArrow || key.downArrow || key.leftArrow || key.rightArrow || key.pageUp || key.pageDown || key.home || key.end;
	const characters = [...input];
	if (special || arrows || characters.length < 2) {
		return [toKeyPress(input, key)];
	}

	return characters.map(character => byteKeyPress(character));
}

/**
 * Pasted text (bracketed paste) as one key: text fields insert it whole, and no character of it
 * is ever taken as a command, so pasting "dq" into the list neither deletes nor quits.
 */
export function pasteKeyPress(text: string): KeyPress {
	return {...noPress, text, paste: true};
}
