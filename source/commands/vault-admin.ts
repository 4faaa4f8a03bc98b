import {promptNewPassphrase, type PromptStreams, canPrompt} from '../inputs/prompt.js';
import {InvalidInputError} from '../vault/errors.js';
import {type KdfParams, defaultKdfParams} from '../vault/kdf.js';
import {LockedVault, Vault} from '../vault/vault.js';
import type {CommandSpec, Io} from './spec.js';

async function newPassphrase(io: Io, variable: string, label: string): Promise<string> {
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

export const init: CommandSpec = {
	name: 'init',
	summary: 'Create the vault',
	usage: 'hush init',
	help: `Creates an empty vault in HUSH_HOME (default: your platform's data folder). The passphrase comes
from HUSH_PASSPHRASE, or is asked twice on a terminal; at least 8 characters. It is stretched
with argon2id (64 MiB, 3 passes, 4 lanes by default).

Advanced, within hush's safety floors and ceilings:
  --kdf-memory MIB      argon2id memory in MiB (19–2048)
  --kdf-passes N        argon2id passes (2–64)
  --kdf-parallelism N   argon2id lanes (1–16)

Examples:
  hush init
  HUSH_HOME=~/.hush-work hush init`,
	flags: {kdfMemory: {type: 'number'}, kdfPasses: {type: 'number'}, kdfParallelism: {type: 'number'}},
	args: {min: 0, max: 0, names: ''},
	async run(context) {
		const {flags, io} = context;
		const kdf: Partial<KdfParams> = {
			memory: flags['kdfMemory'] === undefined ? defaultKdfParams.memory : Math.round(Number(flags['kdfMemory']) * 1024),
			passes: (flags['kdfPasses'] as number | undefined) ?? defaultKdfParams.passes,
			parallelism: (flags['kdfParallelism'] as number | undefined) ?? defaultKdfParams.parallelism,
		};
		const passphrase = await newPassphrase(io, 'HUSH_PASSPHRASE', 'New passphrase');
		const vault = await Vault.init({home: io.env['HUSH_HOME'], passphrase, kdf, command: 'init'});
		context.say(`Created an empty vault at ${vault.path}`);
		vault.close();
	},
};

export const passwd: CommandSpec = {
	name: 'passwd',
	summary: 'Change the vault passphrase',
	usage: 'hush passwd',
	help: `Re-wraps the vault key under a new passphrase. Secrets are not re-encrypted (they are sealed
under a random vault key, not the passphrase). The current passphrase comes from
HUSH_PASSPHRASE or a prompt; the new one from HUSH_NEW_PASSPHRASE or a prompt (asked twice).

Examples:
  hush passwd`,
	flags: {},
	args: {min: 0, max: 0, names: ''},
	async run(context) {
		const vault = await context.vault();
		const passphrase = await newPassphrase(context.io, 'HUSH_NEW_PASSPHRASE', 'New passphrase');
		await vault.changePassphrase(passphrase);
		context.say('Passphrase changed');
	},
};

export const lock: CommandSpec = {
	name: 'lock',
	summary: 'Forget remembered unlocks: the passphrase is needed again',
	usage: 'hush lock',
	help: `Removes every way of unlocking the vault except the passphrase (remembered devices and
sessions). Needs no passphrase itself.

Examples:
  hush lock`,
	flags: {},
	args: {min: 0, max: 0, names: ''},
	async run(context) {
		const locked = LockedVault.open({home: context.io.env['HUSH_HOME']});
		try {
			const removed = locked.removeConvenienceKeyslots();
			context.say(removed > 0 ? `Locked: removed ${removed} remembered unlock(s)` : 'Locked: the vault opens only with its passphrase');
		} finally {
			locked.close();
		}
	},
};
