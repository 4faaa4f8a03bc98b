import {rememberDevice} from '../keychain/device-key.js';
import {InvalidInputError} from '../errors.js';
import type {CommandSpec} from './spec.js';

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
