import {describeError} from '../errors.js';
import {assertValidKey} from '../vault/model.js';
import {type PromptStreams, assertCanPrompt, promptLine} from './prompt.js';

/**
 * `-i`: asks for a key name (shown), then its value (hidden), until the key name is left empty.
 * An invalid key name is asked again rather than ending the session and losing what was typed.
 */
export async function promptForValues(streams: PromptStreams): Promise<Array<[string, string]>> {
	assertCanPrompt(streams, 'pass values with --KEY=@FILE, --stdin KEY, --env KEY or --values instead of -i');
	const values: Array<[string, string]> = [];
	for (;;) {
		const key = (await promptLine(streams, 'Key name (empty to finish): ')).trim();
		if (key === '') {
			return values;
		}

		try {
			assertValidKey(key);
		} catch (error) {
			streams.stderr.write(`${describeError(error)}\n`);
			continue;
		}

		const value = await promptLine(streams, `Value for ${key} (hidden): `, {hidden: true});
		if (value === '') {
			streams.stderr.write(`empty value: ${key} not added\n`);
			continue;
		}

		values.push([key, value]);
	}
}
