import {HushError} from '../errors.js';
import {type Answer, answerJson, exchangeFailure, isSuccess, transport} from './http.js';
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
	let response: Answer;
	try {
		response = await transport.exchange(`${remote.url}/v1/vaults/${remote.vaultId}/team/audit?${query}`, {
			method: 'GET',
			headers: {authorization: bearerHeader(remote.token)},
			timeoutMs: 60_000,
		});
	} catch (error) {
		throw new HushError(exchangeFailure(`the server at ${remote.url}`, error));
	}

	const answered = answerJson(response);
	if (!answered) {
		throw new HushError(`the server at ${remote.url} answered ${response.status} with something that is not JSON: is this a hush server?`);
	}

	const body = answered.value;
	if (!isSuccess(response.status)) {
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
