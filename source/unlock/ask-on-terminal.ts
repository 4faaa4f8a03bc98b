import {type PromptStreams, canPrompt, promptLine} from '../inputs/prompt.js';

/**
 * The CLI's way to ask for the passphrase: a hidden prompt, only where a person can answer
 * (stdin and stderr are a terminal). Undefined otherwise, so the chain says what to set instead.
 */
export function askOnTerminal(streams: PromptStreams): (() => Promise<string>) | undefined {
	return canPrompt(streams) ? () => promptLine(streams, 'Vault passphrase: ', {hidden: true}) : undefined;
}
