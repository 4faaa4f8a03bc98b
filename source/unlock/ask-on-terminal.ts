import {closeSync, openSync} from 'node:fs';
import type {WriteStream} from 'node:tty';
import {type PromptStreams, canPrompt, promptLine} from '../inputs/prompt.js';

const question = 'Vault passphrase: ';

/**
 * The CLI's way to ask for the passphrase: a hidden prompt, only where a person can answer.
 * On stdin and stderr when stdin is a terminal; when stdin is a pipe (`echo TOKEN | hush set … --stdin
 * KEY`) but the process has a controlling terminal, on that terminal, as ssh, sudo and gpg do.
 * Undefined when there is none (cron, CI, an agent), so the chain says what to set instead.
 */
export function askOnTerminal(streams: PromptStreams): (() => Promise<string>) | undefined {
	if (canPrompt(streams)) {
		return async () => promptLine(streams, question, {hidden: true});
	}

	return hasControllingTerminal() ? async () => askOnControllingTerminal() : undefined;
}

export function hasControllingTerminal(): boolean {
	try {
		closeSync(openSync('/dev/tty', 'r'));
		return true;
	} catch {
		return false;
	}
}

async function askOnControllingTerminal(): Promise<string> {
	// Loaded here, not at start-up: most runs never ask.
	const {ReadStream, WriteStream} = await import('node:tty');
	const input = new ReadStream(openSync('/dev/tty', 'r'));
	let output: WriteStream | undefined;
	try {
		output = new WriteStream(openSync('/dev/tty', 'w'));
		return await promptLine({stdin: input, stderr: output}, question, {hidden: true});
	} finally {
		input.destroy();
		output?.destroy();
	}
}
