import {HushError, InvalidInputError} from '../errors.js';
import type {SecretSummary} from '../vault/model.js';
import type {Vault} from '../vault/vault.js';
import {loaderVariable} from './loader-variables.js';

export type InjectedEnvironment = {
	/** Key → value, for the child's environment. */
	values: Map<string, string>;
	/** The secrets injected, for messages. */
	secrets: SecretSummary[];
};

/**
 * Resolves the secrets `hush run` injects and decrypts their values. Every name is resolved, every
 * key clash and every variable that changes how programs load or start (unless `allowEnv` names
 * it) found from metadata first, so a typo, a clash or a refusal costs no decryption and logs no
 * use. Each secret's read is logged as `inject`. Write-only secrets are included: this is runtime use.
 */
export function injectedEnvironment(
	vault: Vault,
	selection: {names: readonly string[]; all: boolean; allowEnv?: readonly string[]},
): InjectedEnvironment {
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

	refuseLoaderVariables(owner, new Set(selection.allowEnv ?? []));
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

/**
 * A secret may hold any env-style key, so a teammate who can write a shared secret could add
 * NODE_OPTIONS=--require=… or LD_PRELOAD=… and run code in every `hush run` that injects it. Such
 * keys (see loader-variables.ts) are injected only when the command names them with --allow-env.
 */
function refuseLoaderVariables(owner: ReadonlyMap<string, SecretSummary>, allowed: ReadonlySet<string>): void {
	const refused = [...owner].filter(([key]) => !allowed.has(key) && loaderVariable(key) !== undefined);
	if (refused.length === 0) {
		return;
	}

	const flags = refused.map(([key]) => `--allow-env ${key}`).join(' ');
	if (refused.length === 1) {
		const [key, summary] = refused[0]!;
		throw new HushError(
			`${describe(summary)} sets ${key}, which changes how programs load or start (${loaderVariable(key)!}): nothing was run; if you trust it, add ${flags}`,
		);
	}

	throw new HushError(
		`refused to inject variables that change how programs load or start: ${refused.map(([key, summary]) => `${key} (${describe(summary)})`).join(', ')}; nothing was run; if you trust them, add ${flags}`,
	);
}

/**
 * hush's own variables that hold a secret: the passphrases, a session (which unlocks the whole
 * vault until it ends) and the server database URL (which may carry a password). The child does
 * not get them unless asked (`--keep-hush-env`). HUSH_HOME, HUSH_DEBUG, HUSH_NOW and
 * HUSH_SECRET_VALIDATION_LEVEL hold nothing secret and are passed on. (hush reads no remote token
 * from the environment: the remote's token is kept encrypted in the vault.)
 */
export const hushSecretVariables = ['HUSH_PASSPHRASE', 'HUSH_NEW_PASSPHRASE', 'HUSH_SESSION', 'HUSH_SERVER_DB'] as const;

/**
 * The child's environment: hush's own, minus its secrets-bearing variables (unless `keepHushEnv`),
 * plus the injected values. A value with a NUL byte cannot be an environment variable; the vault
 * refuses them at input, and one stored before that is refused here naming its key (node's own
 * error would print the whole value).
 */
export function childEnvironment(parent: NodeJS.ProcessEnv, values: ReadonlyMap<string, string>, options: {keepHushEnv: boolean}): NodeJS.ProcessEnv {
	const env: NodeJS.ProcessEnv = {...parent};
	if (!options.keepHushEnv) {
		for (const name of hushSecretVariables) {
			delete env[name];
		}
	}

	for (const [key, value] of values) {
		if (value.includes('\0')) {
			throw new HushError(`the value of ${key} contains a NUL byte and cannot be passed in an environment variable; replace it with hush update`);
		}

		env[key] = value;
	}

	return env;
}
