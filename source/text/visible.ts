/**
 * Text from a vault, a server or a teammate made safe to print on a terminal.
 *
 * A terminal acts on control characters: ESC starts colour codes, OSC 8 links and OSC 52 (which
 * writes the clipboard), BEL ends them, C1 bytes (U+0080–U+009F) are 8-bit forms of the same, and
 * bidi overrides and isolates (U+202A–U+202E, U+2066–U+2069) reorder what a reader sees. hush
 * refuses them in metadata it is given (see vault/model.ts), but a record written by a modified
 * client or pulled from a server may still hold them, so every human-readable output path turns
 * them into a visible escape first. The escape format, chosen to read like a JavaScript or C string:
 *
 *   newline, carriage return, tab      \n  \r  \t
 *   other C0, DEL and C1               \xHH      (ESC → \x1b, BEL → \x07, CSI → \x9b)
 *   line/paragraph separators, bidi    \uHHHH    (U+202E → \u202e)
 *
 * A backslash is left as it is: `\x1b` on screen is either an escaped ESC or those four characters
 * typed by someone, and in neither case does the terminal act on it. Both functions are idempotent.
 * Data stays exact: `get`, `export` and `--json` print values and JSON as they are.
 */

/** Every character the terminal might act on, or that reorders text: never printed raw. */
export const unsafeCharacter = /[\u0000-\u001F\u007F-\u009F\u2028\u2029\u202A-\u202E\u2066-\u2069]/;

const unsafeCharacters = new RegExp(unsafeCharacter.source, 'gu');
const unsafeExceptNewline = /[\u0000-\u0009\u000B-\u001F\u007F-\u009F\u2028\u2029\u202A-\u202E\u2066-\u2069]/gu;

const named: Record<string, string> = {'\n': '\\n', '\r': '\\r', '\t': '\\t'};

function escape(character: string): string {
	const code = character.codePointAt(0)!;
	return named[character] ?? (code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`);
}

/** One field (a name, a description, an actor) for one line: every unsafe character escaped, newlines too. */
export function visible(text: string): string {
	return text.replaceAll(unsafeCharacters, escape);
}

/** A block of lines (a message, a table, a multi-line value): like {@link visible}, but newlines stay. */
export function visibleLines(text: string): string {
	return text.replaceAll(unsafeExceptNewline, escape);
}

/** The first unsafe character in `text` as `U+001B`, or undefined when there is none. */
export function firstUnsafeCharacter(text: string): string | undefined {
	const found = unsafeCharacter.exec(text);
	return found ? `U+${found[0].codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}` : undefined;
}
