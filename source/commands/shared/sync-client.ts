import {readValueFromStdin} from '../../inputs/stdin.js';
import {canPrompt, promptLine} from '../../inputs/prompt.js';
import {ExitCode, InvalidInputError} from '../../errors.js';
import {loaderWarningLines, pulledChangeLine} from '../../sync/pull-report.js';
import type {SyncReport} from '../../sync/engine.js';
import {visible} from '../../text/visible.js';
import type {CommandContext} from '../spec.js';

/**
 * What the sync commands share. The sync engine and HTTP client load only when one of them runs.
 */

export const loadSync = () => import('../../sync/index.js');

/** The server token, from --token-stdin or a hidden prompt; checked for shape before any request. */
export async function readToken(context: CommandContext): Promise<string> {
	let token: string;
	if (context.flags['tokenStdin']) {
		token = (await readValueFromStdin(context.io.stdin, 'token')).trim();
	} else {
		const streams = {stdin: context.io.stdin, stderr: context.io.stderr};
		if (!canPrompt(streams)) {
			throw new InvalidInputError('standard input is not a terminal, so hush cannot ask for the token: pipe it in with --token-stdin');
		}

		token = (await promptLine(streams, 'Server token: ', {hidden: true})).trim();
	}

	if (!/^hush_[0-9a-f]{16}_[A-Za-z0-9_-]{43}$/.test(token)) {
		throw new InvalidInputError('that does not look like a hush server token (hush_…, from hush server token create)');
	}

	return token;
}

/** The one-line summary hush sync and hush clone print. */
export function syncReportLine(report: SyncReport): string {
	const quarantined = report.quarantined.length > 0 ? `, ${report.quarantined.length} set aside unapplied (quarantined)` : '';
	const refused = report.refused.length > 0 ? `, ${report.refused.length} refused by the server` : '';
	return `Synced: ${report.pulled} pulled, ${report.pushed} pushed, ${report.merged} merged${report.conflicts ? `, ${report.conflicts} conflict(s): see hush conflicts` : ''}${refused}${quarantined}`;
}

/** Most per-secret "pulled" lines hush sync prints; loader-variable warnings are never cut. */
const maxChangeLines = 20;

const refusalReasons = {
	forbidden: 'your role in the team may not change shared secrets',
	not_found: 'private to another user there',
} as const;

/**
 * The lines under the summary: what the pull changed (and who), loud warnings for loader
 * variables, each secret the server refused, and each record set aside. Every piece of record
 * data in them is visible-escaped. `changes: false` (clone: everything is new) keeps the warnings only.
 */
export function syncDetailLines(report: SyncReport, options: {changes: boolean}): string[] {
	const lines: string[] = [];
	if (options.changes) {
		lines.push(...report.changes.slice(0, maxChangeLines).map(change => pulledChangeLine(change)));
		if (report.changes.length > maxChangeLines) {
			lines.push(`… and ${report.changes.length - maxChangeLines} more pulled change(s) (hush sync --json lists them all)`);
		}
	}

	lines.push(...report.changes.flatMap(change => loaderWarningLines(change)));
	if (report.resealed > 0) {
		lines.push(`team: re-sealed ${report.resealed} public secret(s) under the team's current key generation`);
	}

	if (report.waitingForTeamKeys > 0) {
		lines.push(`team: ${report.waitingForTeamKeys} public secret(s) stay on this device until an admin approves you (hush team approve) and you sync again`);
	}

	for (const {id, name, reason} of report.refusedSecrets) {
		const secret = name === null ? visible(id) : `${visible(name)} (${visible(id)})`;
		lines.push(
			reason === 'too_large'
				? `not pushed: secret ${secret} is too large for one request to this server (its operator can raise hush serve --max-body; a secret over 192 KiB sealed must be split)`
				: `refused: the server refused secret ${secret} (${refusalReasons[reason]}): it was not pushed`,
		);
	}

	for (const entry of report.quarantined) {
		lines.push(`quarantined: secret ${visible(entry.id)}${entry.rev === null ? '' : ` revision ${entry.rev}`} from the server was set aside, not applied: ${visible(entry.reason)}`);
	}

	if (report.quarantined.length > 0) {
		lines.push('quarantined records stay set aside until a good revision arrives; hush resolve NAME --take local overwrites the server’s copy with this device’s');
	}

	return lines;
}

/** hush sync's exit status: 1 while conflicts, refused secrets or quarantined records remain. */
export function syncExitCode(report: SyncReport): number {
	return report.conflicts > 0 || report.refused.length > 0 || report.quarantined.length > 0 ? ExitCode.failure : ExitCode.ok;
}
