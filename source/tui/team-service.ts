import {describeError} from '../errors.js';
import type {Vault} from '../vault/vault.js';

/**
 * What the members view asks of the team layer, behind one seam so tests can fake it. The real
 * one imports the team layer (curve and lattice code, the team client) on first use only, so the
 * TUI starts without it until `m` is pressed. Names, roles and fingerprints come back as the
 * verified membership log holds them; the view escapes them before drawing.
 */
export type TeamRole = 'admin' | 'write' | 'read' | 'list';

export const teamRoles: readonly TeamRole[] = ['admin', 'write', 'read', 'list'];

export type TeamMemberRow = {name: string; role: string; digits: string; addedAt: string; you: boolean; founder: boolean};

export type TeamData = {
	teamName: string;
	/** Your role; null when you are not (or no longer) a member. */
	role: string | null;
	/** The newest key generation you know of; null before you hold any. */
	generation: number | null;
	members: TeamMemberRow[];
};

export type Me = {name: string; digits: string};

/** What a removed member could read, per secret id, with the removal time: exposed while not rotated since. */
export type ExposureMark = {member: string; removedAt: string; secretIds: string[]};

export type RemovalResult = {lines: string[]; marks: ExposureMark};

export type TuiTeam = {
	me(vault: Vault): Promise<Me>;
	members(vault: Vault): Promise<TeamData>;
	exposure(vault: Vault): Promise<ExposureMark[]>;
	invite(vault: Vault, user: string, role: TeamRole): Promise<{code: string; expiresAt: string}>;
	/** `confirm` gets the joiner's fingerprint digits and answers whether they match what the person read out. */
	approve(vault: Vault, user: string, confirm: (joiner: {name: string; role: string; digits: string}) => Promise<boolean>): Promise<string>;
	changeRole(vault: Vault, user: string, role: TeamRole): Promise<string>;
	/** `confirm` gets how many secrets the member could read; the result is the report to show. */
	remove(vault: Vault, user: string, confirm: (member: {name: string; role: string; exposed: number}) => Promise<boolean>): Promise<RemovalResult>;
};

const digitsOf = async (hex: string) => {
	const {fingerprintDigits} = await import('../team/identity.js');
	return fingerprintDigits(new Uint8Array(Buffer.from(hex, 'hex')));
};

const when = (iso: string) => `${iso.slice(0, 16).replace('T', ' ')} UTC`;

export const moduleTeam: TuiTeam = {
	async me(vault) {
		const {fingerprint, fingerprintDigits, wipeIdentity} = await import('../team/identity.js');
		const {identity} = await vault.teamIdentity();
		try {
			return {name: identity.name, digits: fingerprintDigits(fingerprint(identity))};
		} finally {
			wipeIdentity(identity);
		}
	},
	async members(vault) {
		const {teamMembers} = await import('../team/service.js');
		const view = await teamMembers(vault);
		const members = await Promise.all(
			view.members.map(async member => ({name: member.name, role: member.role, digits: await digitsOf(member.fingerprint), addedAt: member.addedAt, you: member.you, founder: member.founder})),
		);
		return {teamName: view.teamName, role: view.role, generation: view.keys?.generation ?? null, members};
	},
	async exposure(vault) {
		const {teamExposure} = await import('../team/exposure.js');
		const reports = await teamExposure(vault);
		return reports.map(report => ({member: report.member.name, removedAt: report.removedAt, secretIds: report.secrets.map(secret => secret.id)}));
	},
	async invite(vault, user, role) {
		const {inviteMember} = await import('../team/invites.js');
		return inviteMember(vault, {user, role, lifetime: 24 * 60 * 60 * 1000});
	},
	async approve(vault, user, confirm) {
		const {approveMember} = await import('../team/invites.js');
		const joined = await approveMember(vault, user, async joiner => confirm({name: joiner.name, role: joiner.role, digits: await digitsOf(joiner.fingerprint)}));
		return `${joined.added ? 'approved' : 'already a member:'} ${joined.name} (${joined.role}); key generation ${joined.generation} is wrapped for them`;
	},
	async changeRole(vault, user, role) {
		const {changeRole} = await import('../team/role-change.js');
		const changed = await changeRole(vault, user, role);
		return `${changed.name} is now ${changed.to} (was ${changed.from}); key generation ${changed.generation} is wrapped for the new role`;
	},
	async remove(vault, user, confirm) {
		const {removeMember} = await import('../team/removal.js');
		const removal = await removeMember(vault, user, async (member, exposure) => confirm({name: member.name, role: member.role, exposed: exposure.secrets.length}));
		const lines = [`removed ${removal.member.name}: key generation ${removal.generation} is wrapped for the ${removal.wrapped} member(s) who stay; ${removal.resealed} secret(s) re-sealed here`];
		// As hush team remove does: the re-sealed records go to the server now, or the next sync takes them.
		try {
			const {sync} = await import('../sync/index.js');
			const report = await sync(vault);
			lines.push(`pushed ${report.pushed} re-sealed record(s) to the server`);
		} catch (error) {
			lines.push(`not yet on the server (${describeError(error)}): press s on the list to sync`);
		}

		const {exposure} = removal;
		const what = exposure.values ? 'names, keys and values' : 'names and keys (list role: no values)';
		lines.push(`exposed to ${exposure.member.name} (${exposure.member.role}, removed ${when(exposure.removedAt)}): ${exposure.secrets.length} secret(s), ${what}, not rotated since`);
		for (const secret of exposure.secrets) {
			lines.push(`  ${secret.name}  ${secret.keys.join(' ')}`);
		}

		if (exposure.values && exposure.secrets.length > 0) {
			lines.push('rotate each of these: removal cannot take back what was already copied');
		}

		return {lines, marks: {member: exposure.member.name, removedAt: exposure.removedAt, secretIds: exposure.secrets.map(secret => secret.id)}};
	},
};
