/**
 * Putting the terminal back as the shell left it, when Ink cannot (the process is dying of an
 * uncaught error). Ink restores everything itself on a normal exit, Ctrl-C and SIGTERM; this is
 * the last resort, so it only writes what is safe to write twice.
 */
export const showCursor = '\u001B[?25h';
export const leaveAlternateScreen = '\u001B[?1049l';
/** Ink turns bracketed paste on for usePaste; a shell left with it on wraps every paste in escapes. */
export const bracketedPasteOff = '\u001B[?2004l';

type TerminalIn = {isTTY?: boolean; isRaw?: boolean; setRawMode?(mode: boolean): unknown};
type TerminalOut = {write(data: string): unknown};

export function restoreTerminal(stdin: TerminalIn, stdout: TerminalOut): void {
	if (stdin.isTTY && stdin.isRaw && stdin.setRawMode) {
		stdin.setRawMode(false);
	}

	stdout.write(bracketedPasteOff + leaveAlternateScreen + showCursor);
}
