import {existsSync, rmSync} from 'node:fs';
import {resolveHome} from '../home.js';
import {defaultKdfParams} from '../vault/kdf.js';
import {vaultPath} from '../vault/paths.js';
import {Vault} from '../vault/vault.js';
import {newPassphrase} from './shared/new-passphrase.js';
import type {CommandSpec} from './spec.js';

export const join: CommandSpec = {
	name: 'join',
	summary: 'Join a team with an invite code, as a new device',
	usage: 'hush join CODE [--insecure]',
	help: `Uses the one-time code an admin printed with hush team invite. With no vault in HUSH_HOME yet,
creates one under your own passphrase (HUSH_PASSPHRASE, or asked twice on a terminal), with your
identity; an existing vault without a remote may join too. Sends your name and public keys to
the team's server, bound to the invite, and stores the server and a token for it in the vault.
The server's membership log must start from the founder the code names, or nothing is stored.

Read your fingerprint out to the admin (hush whoami) when they run hush team approve; then
hush team members shows the team and opens your keys.

Options:
  --insecure            allow a plain http:// server that is not on loopback
  --kdf-memory MIB, --kdf-passes N, --kdf-parallelism N   argon2id for a new vault, as hush init

Examples:
  hush join hush1-…
  HUSH_HOME=~/.hush-work hush join "$(cat invite.txt)"`,
	flags: {insecure: {type: 'boolean'}, kdfMemory: {type: 'number'}, kdfPasses: {type: 'number'}, kdfParallelism: {type: 'number'}},
	args: {min: 1, max: 1, names: 'CODE'},
	async run(context) {
		const {parseInviteCode} = await import('../team/invite-code.js');
		const code = parseInviteCode(context.args[0]!);
		const {checkRemoteUrl} = await import('../sync/client.js');
		const insecure = Boolean(context.flags['insecure']);
		checkRemoteUrl(code.url, insecure);
		const home = context.io.env['HUSH_HOME'];
		let created: Vault | undefined;
		if (!existsSync(vaultPath(resolveHome(home)))) {
			const passphrase = await newPassphrase(context.io, 'HUSH_PASSPHRASE', 'New passphrase');
			const {flags} = context;
			const kdf = {
				memory: flags['kdfMemory'] === undefined ? defaultKdfParams.memory : Math.round(Number(flags['kdfMemory']) * 1024),
				passes: (flags['kdfPasses'] as number | undefined) ?? defaultKdfParams.passes,
				parallelism: (flags['kdfParallelism'] as number | undefined) ?? defaultKdfParams.parallelism,
			};
			created = await Vault.init({home, passphrase, kdf, command: 'join'});
		}

		let joined;
		try {
			const {joinTeam} = await import('../team/join.js');
			joined = await joinTeam(created ?? (await context.vault()), code, {insecure});
		} catch (error) {
			if (created) {
				// The vault was made for this join a moment ago and holds nothing else: a refused join keeps none.
				created.close();
				rmSync(created.path, {force: true});
				created = undefined;
			}

			throw error;
		} finally {
			created?.close();
		}

		const {fingerprintDigits} = await import('../team/identity.js');
		context.say(`${created ? 'Created a vault under your passphrase and j' : 'J'}oined team ${joined.teamName} as ${joined.user} (role ${joined.role}), pending approval. Read your fingerprint out to the admin:`);
		context.print(`${fingerprintDigits(new Uint8Array(Buffer.from(joined.fingerprint, 'hex')))}\n`);
	},
};
