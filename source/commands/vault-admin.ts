import {promptNewPassphrase, type PromptStreams, canPrompt} from '../inputs/prompt.js';
import {assertKeychainReachable, forgetDevice, rememberDevice} from '../keychain/device-key.js';
import {HushError, InvalidInputError} from '../errors.js';
import {type KdfParams, defaultKdfParams} from '../vault/kdf.js';
import {deviceSlot} from '../vault/keyslots.js';
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

export const passwd: CommandSpec = {
	name: 'passwd',
	summary: 'Change the vault passphrase',
	usage: 'hush passwd',
	help: `Re-wraps the vault key under a new passphrase. Secrets are not re-encrypted (they are sealed
under a random vault key, not the passphrase). The current passphrase comes from
HUSH_PASSPHRASE or a prompt — a session or the keychain is not enough to change it; the new one
from HUSH_NEW_PASSPHRASE or a prompt (asked twice). A remembered device (--remember) keeps working.

Examples:
  hush passwd`,
	flags: {},
	args: {min: 0, max: 0, names: ''},
	async run(context) {
		const vault = await context.vault(['passphrase']);
		const passphrase = await newPassphrase(context.io, 'HUSH_NEW_PASSPHRASE', 'New passphrase');
		await vault.changePassphrase(passphrase);
		context.say('Passphrase changed');
	},
};

export const lock: CommandSpec = {
	name: 'lock',
	summary: 'Forget remembered unlocks: the passphrase is needed again',
	usage: 'hush lock',
	help: `Removes every way of unlocking the vault except the passphrase: the remembered device (its key
slot, and its key in the OS keychain) and every session (HUSH_SESSION tokens stop working at once).
Needs no passphrase itself.

Examples:
  hush lock`,
	flags: {},
	args: {min: 0, max: 0, names: ''},
	async run(context) {
		const locked = LockedVault.open({home: context.io.env['HUSH_HOME']});
		let removed: number;
		let hadDevice: boolean;
		const vaultId = locked.id;
		try {
			hadDevice = locked.hasKeyslot(deviceSlot);
			removed = locked.removeConvenienceKeyslots();
		} finally {
			locked.close();
		}

		// The slot is gone, so the keychain item opens nothing any more; removing it is tidying up.
		// Only a vault that had one touches the keychain at all.
		if (hadDevice) {
			try {
				await forgetDevice(vaultId);
			} catch (error) {
				if (!(error instanceof HushError)) {
					throw error;
				}

				context.say(`hush: warning: the device key slot is removed, but its keychain item could not be deleted: ${error.message}`);
			}
		}

		context.say(removed > 0 ? `Locked: removed ${removed} remembered unlock(s); the passphrase is needed again` : 'Locked: the vault opens only with its passphrase');
	},
};

const durationUnits: Record<string, number> = {s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000};
const maxSessionMs = 30 * 86_400_000;
export const defaultSessionTimeout = '8h';

/** `--timeout`: 90s, 30m, 8h, 2d; at most 30 days. */
export function parseSessionTimeout(text: string): number {
	const match = /^(\d{1,7})([smhd])$/.exec(text.trim());
	const ms = match ? Number(match[1]) * durationUnits[match[2]!]! : Number.NaN;
	if (!(ms > 0) || ms > maxSessionMs) {
		throw new InvalidInputError(`--timeout ${JSON.stringify(text)}: use a duration such as 30m, 8h or 2d (at most 30d)`);
	}

	return ms;
}

export const unlock: CommandSpec = {
	name: 'unlock',
	summary: 'Start a session (HUSH_SESSION), or remember this machine in the OS keychain',
	usage: 'hush unlock [--remember] [--raw] [--timeout 8h]',
	help: `Without --remember: unlocks once (keychain or passphrase) and prints a session token as a shell
line, export HUSH_SESSION=…; every hush command run with it unlocks without the passphrase until
the session ends (after --timeout, default 8h) or hush lock. The vault stores only the vault key
wrapped under the token, with its expiry authenticated; the token itself is never stored.

With --remember: keeps a random device key in the OS keychain (service hush, account
vault:<id>) that unlocks this vault on this machine, until hush lock. Needs a running keychain
(on Linux, a Secret Service such as gnome-keyring).

Options:
  --remember            remember this machine in the OS keychain instead of starting a session
  --raw                 print only the token
  --timeout DURATION    how long the session lasts: 90s, 30m, 8h, 2d (at most 30d; default 8h)

Examples:
  eval "$(hush unlock)"
  export HUSH_SESSION=$(hush unlock --raw --timeout 30m)
  hush unlock --remember`,
	flags: {remember: {type: 'boolean'}, raw: {type: 'boolean'}, timeout: {type: 'string'}},
	args: {min: 0, max: 0, names: ''},
	async run(context) {
		const {flags, io} = context;
		const remember = flags['remember'] === true;
		if (remember && (flags['raw'] !== undefined || flags['timeout'] !== undefined)) {
			throw new InvalidInputError('--remember starts no session: --raw and --timeout go without it');
		}

		const timeoutMs = parseSessionTimeout(String(flags['timeout'] ?? defaultSessionTimeout));
		// A session never mints the next one: a new session needs the keychain or the passphrase.
		const vault = await context.vault(['keychain', 'passphrase']);
		if (remember) {
			await rememberDevice(vault);
			context.say('Remembered: this machine unlocks the vault from the OS keychain (hush lock forgets it)');
			return;
		}

		const session = vault.createSession({expiresAt: new Date(Date.now() + timeoutMs)});
		if (flags['raw'] === true) {
			io.stdout.write(io.stdout.isTTY ? `${session.token}\n` : session.token);
		} else {
			io.stdout.write(`export HUSH_SESSION=${session.token}\n`);
		}

		context.say(`Session started; it ends at ${session.expiresAt}, or at hush lock. In a shell: eval "$(hush unlock)"`);
	},
};
