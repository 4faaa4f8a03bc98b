import {assertKeychainReachable, rememberDevice} from '../keychain/device-key.js';
import {type KdfParams, defaultKdfParams} from '../vault/kdf.js';
import {Vault} from '../vault/vault.js';
import {newPassphrase} from './shared/new-passphrase.js';
import type {CommandSpec} from './spec.js';

export const init: CommandSpec = {
	name: 'init',
	summary: 'Create the vault',
	usage: 'hush init [--remember]',
	help: `Creates an empty vault in HUSH_HOME (default: your platform's data folder). The passphrase comes
from HUSH_PASSPHRASE, or is asked twice on a terminal; at least 8 characters. It is stretched
with argon2id (64 MiB, 3 passes, 4 lanes by default).

Options:
  --remember            also keep a device key in the OS keychain, so this machine unlocks
                        without the passphrase (until hush lock)

Advanced, within hush's safety floors and ceilings:
  --kdf-memory MIB      argon2id memory in MiB (19–2048)
  --kdf-passes N        argon2id passes (2–64)
  --kdf-parallelism N   argon2id lanes (1–16)

Examples:
  hush init
  hush init --remember
  HUSH_HOME=~/.hush-work hush init`,
	flags: {kdfMemory: {type: 'number'}, kdfPasses: {type: 'number'}, kdfParallelism: {type: 'number'}, remember: {type: 'boolean'}},
	args: {min: 0, max: 0, names: ''},
	async run(context) {
		const {flags, io} = context;
		const kdf: Partial<KdfParams> = {
			memory: flags['kdfMemory'] === undefined ? defaultKdfParams.memory : Math.round(Number(flags['kdfMemory']) * 1024),
			passes: (flags['kdfPasses'] as number | undefined) ?? defaultKdfParams.passes,
			parallelism: (flags['kdfParallelism'] as number | undefined) ?? defaultKdfParams.parallelism,
		};
		const remember = flags['remember'] === true;
		if (remember) {
			// Before anything is created: no keychain, no vault, and nothing to clean up.
			await assertKeychainReachable();
		}

		const passphrase = await newPassphrase(io, 'HUSH_PASSPHRASE', 'New passphrase');
		const vault = await Vault.init({home: io.env['HUSH_HOME'], passphrase, kdf, command: 'init'});
		try {
			context.say(`Created an empty vault at ${vault.path}`);
			if (remember) {
				await rememberDevice(vault);
				context.say('Remembered: this machine unlocks the vault from the OS keychain (hush lock forgets it)');
			}
		} finally {
			vault.close();
		}
	},
};
