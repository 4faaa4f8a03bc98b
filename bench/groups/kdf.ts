import {randomBytes} from 'node:crypto';
import {defaultKdfParams, deriveArgon2id} from '../../source/vault/kdf.js';
import {measureInProcess} from '../measure.js';
import {benchPassphrase} from '../vaults.js';
import type {BenchGroup} from '../types.js';

/** The parameters every bench vault is built with: the defaults, as every real vault gets them. */
const params = {...defaultKdfParams};

export const kdfDescription = `argon2id derivation (${params.memory / 1024} MiB, t=${params.passes}, p=${params.parallelism}), in-process`;

/** One derivation with the vault's parameters, through the same function hush unlocks with. */
export async function deriveOnce(): Promise<void> {
	await deriveArgon2id(benchPassphrase, randomBytes(16), params);
}

/**
 * The KDF on its own. The `get` group also times one derivation beside every `hush get` run, and
 * bench/goals.ts subtracts those (same moment, same noise) to show what the rest of the command costs.
 */
export const kdfGroup: BenchGroup = {
	name: 'kdf',
	description: 'argon2id derivation with the default parameters, in-process, on its own',
	async run(context) {
		const runs = context.runs.fast;
		context.log(`${kdfDescription}: warm-up, ${runs} runs`);
		const timing = await measureInProcess(runs, deriveOnce);
		return {inProcess: [{id: 'kdf', group: 'kdf', label: `${kdfDescription}, on its own`, timing}]};
	},
};
