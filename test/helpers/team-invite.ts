/**
 * Invite → join → approve through the CLI: each joiner on their own HUSH_HOME with their own
 * passphrase (never the founder's), argon2id at hush's floor so tests stay quick.
 */
import type {TestContext} from 'node:test';
import {type Run, hush, hushOk, tempHome} from './hush-cli.js';

export type Member = {name: string; home: string; passphrase: string};

export const floorKdf = ['--kdf-memory', '19', '--kdf-passes', '2', '--kdf-parallelism', '1'];

/** hush for `member`, with their passphrase. */
export function as(member: Member, args: readonly string[], input?: string): Promise<Run> {
	return hush(args, {home: member.home, env: {HUSH_PASSPHRASE: member.passphrase}, input});
}

export async function asOk(member: Member, args: readonly string[]): Promise<Run> {
	const run = await as(member, args);
	if (run.code !== 0) {
		throw new Error(`hush ${args[0]} ${args[1] ?? ''} as ${member.name} exited ${run.code ?? run.signal}: ${run.stderr}`);
	}

	return run;
}

/** The code `hush team invite` printed (the last line of its stdout). */
export async function invite(home: string, user: string, role: string, extra: string[] = []): Promise<string> {
	const run = await hushOk(['team', 'invite', user, '--role', role, ...extra], {home});
	return run.stdout.trim().split('\n').at(-1)!;
}

/** A new device: an empty HUSH_HOME for `name` with a passphrase of their own. */
export function newcomer(t: TestContext, name: string): Member {
	return {name, home: tempHome(t, `hush-${name}-`), passphrase: `${name}'s own passphrase, not alice's`};
}

/** invite, join, approve: `name` becomes a member with `role`. */
export async function bringIn(t: TestContext, adminHome: string, name: string, role: string): Promise<Member> {
	const member = newcomer(t, name);
	const code = await invite(adminHome, name, role);
	await asOk(member, ['join', code, ...floorKdf]);
	await hushOk(['team', 'approve', name, '--yes'], {home: adminHome});
	return member;
}
