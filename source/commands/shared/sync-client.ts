import {readValueFromStdin} from '../../inputs/stdin.js';
import {canPrompt, promptLine} from '../../inputs/prompt.js';
import {InvalidInputError} from '../../errors.js';
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
export function syncReportLine(report: {pulled: number; pushed: number; merged: number; conflicts: number; refused: string[]}): string {
	return `Synced: ${report.pulled} pulled, ${report.pushed} pushed, ${report.merged} merged${report.conflicts ? `, ${report.conflicts} conflict(s): see hush conflicts` : ''}`;
}
