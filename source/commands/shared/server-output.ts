import type {CommandContext} from '../spec.js';
import {visible} from '../../text/visible.js';

/** What hush serve and hush server share. Their code (Fastify, pg) loads only when one of them runs. */

export const loadServer = () => import('../../server/index.js');

/** Lines for the server's code to print: data on stdout, messages on stderr. */
export function serverOutput(context: CommandContext) {
	return {
		out: (line: string) => context.print(`${visible(line)}\n`),
		say: (line: string) => context.say(line),
	};
}
