import {InvalidInputError, HushError} from '../errors.js';

export type PromptStreams = {
	stdin: NodeJS.ReadStream;
	stderr: NodeJS.WriteStream;
};

export class PromptCancelledError extends HushError {
	override readonly exitCode = 130;
}

export function canPrompt(streams: PromptStreams): boolean {
	return Boolean(streams.stdin.isTTY && typeof streams.stdin.setRawMode === 'function');
}

/** Fails early, before any prompt, with what to pass instead (stdin is not a terminal). */
export function assertCanPrompt(streams: PromptStreams, instead: string): void {
	if (!canPrompt(streams)) {
		throw new InvalidInputError(`standard input is not a terminal, so hush cannot prompt: ${instead}`);
	}
}

// Keys typed ahead of a prompt (a paste of several lines) belong to the next prompt, not the bin.
let typeAhead = '';

/**
 * Reads one line from the terminal in raw mode. Hidden input echoes nothing at all, not even
 * asterisks, so the length of a secret is not shown either. Prompts go to stderr, so stdout stays
 * clean for data. Ctrl-C and Ctrl-D (on an empty line) cancel.
 */
export async function promptLine(streams: PromptStreams, question: string, {hidden = false} = {}): Promise<string> {
	assertCanPrompt(streams, 'pass the value another way');
	const {stdin, stderr} = streams;
	stderr.write(question);
	const wasRaw = stdin.isRaw;
	stdin.setRawMode(true);
	stdin.resume();
	let line = '';
	try {
		return await new Promise<string>((resolve, reject) => {
			const finish = (error?: Error) => {
				stdin.off('data', onData);
				stderr.write('\n');
				if (error) {
					reject(error);
				} else {
					resolve(line);
				}
			};

			const consume = (text: string): boolean => {
				for (let index = 0; index < text.length; index++) {
					const char = text[index]!;
					if (char === '\r' || char === '\n') {
						typeAhead = text.slice(index + (char === '\r' && text[index + 1] === '\n' ? 2 : 1));
						finish();
						return true;
					}

					if (char === '\u0003' || (char === '\u0004' && line === '')) {
						typeAhead = '';
						finish(new PromptCancelledError('cancelled'));
						return true;
					}

					if (char === '\u007F' || char === '\b') {
						if (line.length > 0) {
							const chars = [...line];
							chars.pop();
							line = chars.join('');
							if (!hidden) {
								stderr.write('\b \b');
							}
						}
					} else if (char === '\u0015') {
						if (!hidden) {
							stderr.write('\b \b'.repeat([...line].length));
						}

						line = '';
					} else if (char === '\u001B') {
						// Skip an escape sequence (arrow keys and the like): they are not text.
						const match = /^\u001B(?:\[[0-9;?]*[ -/]*[@-~]|O.|.)?/.exec(text.slice(index));
						index += (match?.[0].length ?? 1) - 1;
					} else if (char >= ' ') {
						line += char;
						if (!hidden) {
							stderr.write(char);
						}
					}
				}

				return false;
			};

			const onData = (chunk: Buffer | string) => {
				consume(typeof chunk === 'string' ? chunk : chunk.toString('utf8'));
			};

			const pending = typeAhead;
			typeAhead = '';
			if (!consume(pending)) {
				stdin.on('data', onData);
			}
		});
	} finally {
		stdin.setRawMode(wasRaw);
		stdin.pause();
	}
}

/** Asks for a new passphrase twice; both must match. */
export async function promptNewPassphrase(streams: PromptStreams, label = 'New passphrase'): Promise<string> {
	const first = await promptLine(streams, `${label}: `, {hidden: true});
	const second = await promptLine(streams, `${label} again: `, {hidden: true});
	if (first !== second) {
		throw new InvalidInputError('the two passphrases did not match; nothing was changed');
	}

	return first;
}
