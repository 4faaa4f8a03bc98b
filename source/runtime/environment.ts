import {InvalidInputError} from '../errors.js';
import type {SecretSummary} from '../vault/model.js';
import type {Vault} from '../vault/vault.js';

export type InjectedEnvironment = {
	/** Key → value, for the child's environment. */
	values: Map<string, string>;
	/** The secrets injected, for messages. */
	secrets: SecretSummary[];
};

/**
 * Resolves the secrets `hush run` injects and decrypts their values. Every name is resolved and
 * every key clash found from metadata first, so a typo or a clash costs no decryption and logs no
 * use. Each secret's read is logged as `inject`. Write-only secrets are included: this is runtime use.
 */
export function injectedEnvironment(vault: Vault, selection: {names: readonly string[]; all: boolean}): InjectedEnvironment {
	const summaries = new Map<string, SecretSummary>();
	const chosen = selection.all ? vault.listSecrets() : selection.names.map(name => describeNamed(vault, name));
	for (const summary of chosen) {
		summaries.set(summary.id, summary);
	}

	const owner = new Map<string, SecretSummary>();
	for (const summary of summaries.values()) {
		for (const key of summary.keys) {
			const earlier = owner.get(key);
			if (earlier) {
				throw new InvalidInputError(
					`key ${key} is in both ${describe(earlier)} and ${describe(summary)}: inject only one of them, or rename the key in one`,
				);
			}

			owner.set(key, summary);
		}
	}

	const values = new Map<string, string>();
	for (const summary of summaries.values()) {
		const revealed = vault.revealSecret(summary.id, {action: 'inject', allowWriteOnly: true});
		try {
			for (const key of revealed.keys) {
				values.set(key, revealed.get(key));
			}
		} finally {
			revealed.wipe();
		}
	}

	return {values, secrets: [...summaries.values()]};
}

function describe(summary: SecretSummary): string {
	return `${summary.private ? 'private' : 'public'} secret ${summary.name}`;
}

/** `NAME`, or `private:NAME` / `public:NAME` to pick one of two secrets that share a name. */
function describeNamed(vault: Vault, text: string): SecretSummary {
	const prefix = /^(private|public):/.exec(text);
	return prefix ? vault.describeSecret(text.slice(prefix[0].length), {private: prefix[1] === 'private'}) : vault.describeSecret(text);
}
