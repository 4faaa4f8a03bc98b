import {HushError} from '../errors.js';
import {ProtocolError, bearerHeader, clean, parseErrorBody} from '../protocol/index.js';
import {type TeamAuditEntry, parseTeamAuditPage} from '../protocol/team-audit.js';

/**
 * The client of GET /v1/vaults/:vaultId/team/audit (protocol/team-audit.ts), with the vault's
 * remote URL and token. The answer is hostile until parsed: every row's fields are checked, and an
 * error's message is cut to one line without control characters. The token never appears in a message.
 */

export type TeamAuditRemote = {url: string; token: string; vaultId: string};

export async function fetchTeamAudit(remote: TeamAuditRemote, options: {limit: number; since?: number}): Promise<TeamAuditEntry[]> {
	const query = `limit=${options.limit}${options.since === undefined ? '' : `&since=${options.since}`}`;
	let response: Response;
	try {
		response = await fetch(`${remote.url}/v1/vaults/${remote.vaultId}/team/audit?${query}`, {
			headers: {authorization: bearerHeader(remote.token)},
			signal: AbortSignal.timeout(60_000),
		});
	} catch (error) {
		const cause = (error as {cause?: {code?: string; message?: string}}).cause;
		throw new HushError(`cannot reach the server at ${remote.url}: ${clean(cause?.code ?? cause?.message ?? (error as Error).message)}`);
	}

	const text = await response.text().catch(() => '');
	let body: unknown;
	try {
		body = text === '' ? {} : JSON.parse(text);
	} catch {
		throw new HushError(`the server at ${remote.url} answered ${response.status} with something that is not JSON: is this a hush server?`);
	}

	if (!response.ok) {
		const said = parseErrorBody(body)?.message;
		throw new HushError(`the server at ${remote.url} refused the team audit (${response.status})${said ? `: ${clean(said)}` : ''}`);
	}

	try {
		return parseTeamAuditPage(body, options.limit).entries;
	} catch (error) {
		if (error instanceof ProtocolError) {
			throw new HushError(`the server at ${remote.url} sent a malformed team audit: ${error.message}`);
		}

		throw error;
	}
}
