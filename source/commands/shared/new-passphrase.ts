import {promptNewPassphrase, type PromptStreams, canPrompt} from '../../inputs/prompt.js';
import {InvalidInputError} from '../../errors.js';
import type {Io} from '../spec.js';

/** A new passphrase from `variable`, or asked twice on a terminal (hush init, hush passwd). */
export async function newPassphrase(io: Io, variable: string, label: string): Promise<string> {
	const fromEnv = io.env[variable];
	if (fromEnv !== undefined) {
		return fromEnv;
	}

	const streams: PromptStreams = {stdin: io.stdin, stderr: io.stderr};
	if (!canPrompt(streams)) {
		throw new InvalidInputError(`standard input is not a terminal, so hush cannot ask for the ${label.toLowerCase()}: set ${variable}`);
	}

	return promptNewPassphrase(streams, label);
}
