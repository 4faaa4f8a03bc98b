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
	};
}

/** A blank key press, for tests and for building presses by hand. */
export function press(overrides: Partial<KeyPress> = {}): KeyPress {
	return {
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
		...overrides,
	};
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
 * Ink hands over a burst of keys that arrived together (fast typing, key repeat, `tmux
 * send-keys`) as one string when it holds Tab or Enter, since those can be part of pasted text.
 * hush has no multi-line fields, so such a burst is split back into its keys: text runs, and each
 * Tab and Enter on its own.
 */
export function splitBurst(input: string, key: Key): string[] | undefined {
	if (input.length < 2 || key.ctrl || key.meta || !/[\t\r]/.test(input)) {
		return undefined;
	}

	return input.split(/([\t\r])/).filter(part => part !== '');
}

const noKey: Key = {
	upArrow: false,
	downArrow: false,
	leftArrow: false,
	rightArrow: false,
	pageDown: false,
	pageUp: false,
	home: false,
	end: false,
	return: false,
	escape: false,
	ctrl: false,
	shift: false,
	tab: false,
	backspace: false,
	delete: false,
	meta: false,
	super: false,
	hyper: false,
	capsLock: false,
	numLock: false,
} as Key;

/** One part of a split burst as the key press it stands for. */
export function burstKeyPress(part: string): KeyPress {
	return toKeyPress(part === '\t' || part === '\r' ? '' : part, {...noKey, tab: part === '\t', return: part === '\r'});
}
