import {InvalidInputError, SecretExistsError} from '../../errors.js';
import type {SecretSummary} from '../../vault/model.js';
import {type NewSecret, assertNewSecrets} from '../../vault/secret-writes.js';
import {progressBar} from '../shared/progress.js';
import type {CommandContext} from '../spec.js';

/**
 * Stores what an importer read, all in one transaction: each secret is checked first (a bad one is
 * named by `labels[i]`, the item or line it came from, and nothing is written), then written
 * together, with a progress bar on a terminal's stderr.
 */
export async function storeImported(context: CommandContext, secrets: NewSecret[], labels: readonly string[]): Promise<SecretSummary[]> {
	const seen = new Map<string, number>();
	for (const [index, secret] of secrets.entries()) {
		try {
			assertNewSecrets([secret]);
		} catch (error) {
			throw error instanceof InvalidInputError ? new InvalidInputError(`${labels[index]}: ${error.message}; nothing imported`) : error;
		}

		const slot = `${secret.options?.private === true ? 'private' : 'public'} ${secret.name}`;
		const first = seen.get(slot);
		if (first !== undefined) {
			throw new InvalidInputError(`${labels[index]}: the ${slot.replace(' ', ' name ')} is also taken by ${labels[first]}; nothing imported`);
		}

		seen.set(slot, index);
	}

	const vault = await context.vault();
	const bar = progressBar(context.io.stderr, secrets.length, 'importing');
	try {
		return vault.createSecrets(secrets, done => bar.update(done));
	} catch (error) {
		if (error instanceof SecretExistsError) {
			throw new SecretExistsError(`${error.message}: nothing imported (rename or delete it first)`);
		}

		throw error;
	} finally {
		bar.finish();
	}
}
