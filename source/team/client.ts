import {HushError} from '../errors.js';
import {ProtocolError, bearerHeader, fromBase64, parseErrorBody} from '../protocol/index.js';
import {type TeamAppendAnswer, type TeamLogHead, parseTeamAppendAnswer, parseTeamLogPage} from '../protocol/team.js';
import {
	type TeamInviteRequest,
	type TeamJoin,
	type TeamJoinAnswer,
	type TeamJoinRequest,
	type TeamWrapPut,
	parseTeamJoinAnswer,
	parseTeamJoins,
	parseTeamWrap,
} from '../protocol/team-invite.js';
import {maxLogEntries} from './membership-log.js';
import {type Answer, answerJson, exchangeFailure, isSuccess, transport} from '../sync/http.js';

/**
 * The HTTP client of the team routes (protocol/team.ts), with the vault's remote URL and token.
 * Every answer is parsed before use; the entries it returns are still unverified bytes, which the
 * caller replays (membership-log.ts) before trusting anything in them. The token never appears
 * in a message.
 */

/** The team server could not be reached or answered something unusable: exit 1, nothing local changed. */
export class TeamRemoteError extends HushError {}

/** The server answered and refused the request (4xx): it stored nothing of it. */
export class TeamRefusedError extends TeamRemoteError {
	constructor(
		message: string,
		readonly status = 400,
	) {
		super(message);
	}
}

/** The server holds no membership log for this vault. */
export class NoTeamError extends TeamRemoteError {}

export class TeamClient {
	constructor(
		readonly base: string,
		private readonly token: string,
		private readonly vaultId: string,
	) {}

	/** The whole log as the server serves it, page by page (at most {@link maxLogEntries} entries). */
	async log(): Promise<{entries: Uint8Array[]; head: TeamLogHead}> {
		const entries: Uint8Array[] = [];
		for (;;) {
			const since = entries.length;
			const {status, body} = await this.#request('GET', `/team/log?since=${since}`, undefined, [404]);
			if (status === 404) {
				if (parseErrorBody(body)?.code === 'vault_not_found') {
					throw new TeamRemoteError(`the server at ${this.base} has no copy of this vault for this token: run hush sync first`);
				}

				throw new NoTeamError(`the server at ${this.base} holds no team for this vault`);
			}

			const page = this.#parse(value => parseTeamLogPage(value, since), body);
			entries.push(...page.entries.map(entry => fromBase64(entry)));
			if (entries.length > maxLogEntries) {
				throw new TeamRemoteError(`the server at ${this.base} sent a membership log of more than ${maxLogEntries} entries`);
			}

			if (!page.more) {
				if (page.head.seq !== entries.length - 1) {
					throw new TeamRemoteError(`the server at ${this.base} sent ${entries.length} log entries but names entry ${page.head.seq} as the head: its answer is inconsistent`);
				}

				return {entries, head: page.head};
			}
		}
	}

	/** Appends `entries` if the server's head is still `expected` (null: the team is new). */
	async append(expected: TeamLogHead | null, entries: readonly Uint8Array[]): Promise<TeamAppendAnswer> {
		const body = {expected, entries: entries.map(entry => Buffer.from(entry).toString('base64'))};
		const answer = await this.#request('POST', '/team/log', body, [409]);
		return this.#parse(parseTeamAppendAnswer, answer.body);
	}

	async invite(request: TeamInviteRequest): Promise<void> {
		await this.#request('POST', '/team/invites', request, []);
	}

	/** Uses an invite: no token yet (the answer carries the one the server issues, once). */
	async join(request: TeamJoinRequest): Promise<TeamJoinAnswer> {
		return this.#parse(parseTeamJoinAnswer, (await this.#request('POST', '/team/join', request, [])).body);
	}

	async joins(): Promise<TeamJoin[]> {
		return this.#parse(parseTeamJoins, (await this.#request('GET', '/team/joins', undefined, [])).body);
	}

	async putWrap(member: string, generation: number, body: TeamWrapPut): Promise<void> {
		await this.#request('PUT', `/team/wraps/${member}/${generation}`, body, []);
	}

	/** This member's wrap of `generation`, or undefined while no admin has published it. */
	async wrap(member: string, generation: number): Promise<Uint8Array | undefined> {
		const {status, body} = await this.#request('GET', `/team/wraps/${member}/${generation}`, undefined, [404]);
		if (status === 404) {
			if (parseErrorBody(body)?.code === 'vault_not_found') {
				throw new TeamRemoteError(`the server at ${this.base} has no copy of this vault for this token`);
			}

			return undefined;
		}

		return fromBase64(this.#parse(parseTeamWrap, body));
	}

	#parse<T>(parser: (value: unknown) => T, body: unknown): T {
		try {
			return parser(body);
		} catch (error) {
			if (error instanceof ProtocolError) {
				throw new TeamRemoteError(`the server at ${this.base} sent a malformed team answer: ${error.message}`);
			}

			throw error;
		}
	}

	async #request(method: string, path: string, body: unknown, accept: number[]): Promise<{status: number; body: unknown}> {
		let response: Answer;
		try {
			response = await transport.exchange(`${this.base}/v1/vaults/${this.vaultId}${path}`, {
				method,
				headers: {...(this.token === '' ? {} : {authorization: bearerHeader(this.token)}), ...(body === undefined ? {} : {'content-type': 'application/json'})},
				body: body === undefined ? undefined : JSON.stringify(body),
				timeoutMs: 60_000,
			});
		} catch (error) {
			throw new TeamRemoteError(exchangeFailure(`the server at ${this.base}`, error));
		}

		const answered = answerJson(response);
		if (!answered) {
			throw new TeamRemoteError(`the server at ${this.base} answered ${response.status} with something that is not JSON: is this a hush server?`);
		}

		const parsed = answered.value;
		if (isSuccess(response.status) || accept.includes(response.status)) {
			return {status: response.status, body: parsed};
		}

		const said = parseErrorBody(parsed)?.message;
		const hint = response.status === 404 ? ': it has no copy of this vault for this token (run hush sync first)' : said ? `: ${said}` : '';
		const Refusal = response.status >= 400 && response.status < 500 ? TeamRefusedError : TeamRemoteError;
		throw new Refusal(`the server at ${this.base} refused (${response.status})${hint}`, response.status);
	}
}
