import type {CommandSpec} from './spec.js';

export const whoami: CommandSpec = {
	name: 'whoami',
	summary: 'Show your identity: name, fingerprint, team and role',
	usage: 'hush whoami [--json] [--name NAME]',
	help: `Shows the identity this vault signs and receives team keys with: your name, and the fingerprint
of your public keys (8 groups of 5 digits) that a teammate compares, out loud or side by side,
before trusting them. A vault made before identities gets one the first time this runs.

Options:
  --json         print it as JSON (with the public keys, base64)
  --name NAME    change the name your identity goes by (1–64 of A-Z a-z 0-9 . _ @ -); the keys,
                 and so the fingerprint, stay

Examples:
  hush whoami
  hush whoami --json
  hush whoami --name alice`,
	flags: {json: {type: 'boolean'}, name: {type: 'string'}},
	args: {min: 0, max: 0, names: ''},
	async run(context) {
		// The curve and lattice code loads only here, never on the start-up path of other commands.
		const {fingerprint, fingerprintDigits, fingerprintHex, wipeIdentity} = await import('../team/identity.js');
		const rename = context.flags['name'] as string | undefined;
		const vault = await context.vault();
		const {identity, created} = await vault.teamIdentity({rename});
		wipeIdentity(identity);
		// The team as of the last verified membership log (hush team members refreshes it): no network.
		const pinned = (await import('../team/service.js')).pinnedTeam(vault);
		const team = pinned && !pinned.pending ? pinned : undefined;
		if (created) {
			context.say('Made your team identity: a signing key pair and a key-exchange key pair, sealed in this vault');
		}

		const shown = {
			name: identity.name,
			fingerprint: fingerprintDigits(fingerprint(identity)),
			fingerprintHex: fingerprintHex(identity),
			team: team ? {id: team.teamId, name: team.teamName, verifiedToEntry: team.head.seq} : null,
			role: team?.role ?? null,
			createdAt: identity.createdAt,
			signingKey: Buffer.from(identity.signingKey).toString('base64'),
			kemKey: Buffer.from(identity.kemKey).toString('base64'),
		};
		if (context.flags['json']) {
			context.printJson(shown);
			return;
		}

		context.print(
			[
				`name         ${shown.name}`,
				`fingerprint  ${shown.fingerprint}`,
				team ? `team         ${team.teamName} (membership log verified to entry ${team.head.seq})` : 'team         none (teams are not set up on this vault)',
				`role         ${team ? (team.role ?? 'none (removed from the team)') : 'none'}`,
			].join('\n') + '\n',
		);
	},
};
