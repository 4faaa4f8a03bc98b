import {gzipSync} from 'node:zlib';
import {HushError, InvalidInputError} from '../errors.js';
import {type Answer, UnreachableError, answerJson, exchangeFailure, isSuccess, transport} from './http.js';
import {type PulledPage, parsePulledPage} from './pulled-page.js';
import {
	type ChangesPage,
	type PushRecord,
	type PushResult,
	type VaultHeader,
	type VaultSummary,
	type WireRecord,
	ProtocolError,
	bearerHeader,
	clean,
	parseChangesPage,
	parseErrorBody,
	parseHeaderResponse,
	parseHealth,
	parsePushResponse,
	parsePutHeaderResult,
	parseVaultHeader,
	parseVaultList,
} from '../protocol/index.js';

/**
 * The HTTP client of the sync API (http.ts). Errors become one line that names the server's
 * origin and what to do; the token never appears in any message. Every answer is parsed with the
 * protocol's parsers before anything uses it: a server is not trusted to send well-formed data.
 */


export class SyncError extends HushError {}

/** The server refused a request body as too large (its --max-body): a push sends fewer records at once. */
export class RequestTooLargeError extends SyncError {}

/** The server served something older than it served before. */
export class ServerRollbackError extends SyncError {}

const loopbackHosts = new Set(['localhost', '127.0.0.1', '[::1]', '::1']);

/** Parses a remote URL; plain http only to loopback unless `insecure`. Returns the normalised base. */
export function checkRemoteUrl(text: string, insecure: boolean): string {
	let url: URL;
	try {
		url = new URL(text);
	} catch {
		throw new InvalidInputError(`not a URL: ${JSON.stringify(text)} (e.g. https://hush.example.com)`);
	}

	if (url.protocol !== 'https:' && url.protocol !== 'http:') {
		throw new InvalidInputError(`the remote URL must start with https:// (or http:// for loopback), not ${url.protocol}`);
	}

	if (url.username || url.password) {
		throw new InvalidInputError('put no credentials in the URL: the token is given with --token-stdin or at the prompt');
	}

	if (url.protocol === 'http:' && !isLoopback(url) && !insecure) {
		throw new InvalidInputError(`refusing plain http:// to ${url.hostname}: tokens and ciphertext would cross the network unprotected; use https://, or --insecure if you must`);
	}

	return url.origin + url.pathname.replace(/\/+$/, '');
}

function isLoopback(url: URL): boolean {
	return loopbackHosts.has(url.hostname) || /^127\.\d+\.\d+\.\d+$/.test(url.hostname);
}

export type RemoteClientOptions = {
	/**
	 * Ask the server for gzip-encoded answers: about a third fewer bytes for a pull. By default only
	 * for a server beyond this machine: on loopback there is no bandwidth to save, only CPU to spend.
	 */
	compressedAnswers?: boolean;
};

export class RemoteClient {
	/** Request and response body bytes so far, as they crossed the wire (what the bench reports). */
	bytes = {sent: 0, received: 0};
	readonly #compressedAnswers: boolean;

	constructor(
		readonly base: string,
		private readonly token: string,
		options: RemoteClientOptions = {},
	) {
		this.#compressedAnswers = options.compressedAnswers ?? !isLoopback(new URL(base));
	}

	async health(): Promise<void> {
		this.#parse(parseHealth, (await this.#request('GET', '/v1/health')).body);
	}

	async listVaults(): Promise<VaultSummary[]> {
		return this.#parse(parseVaultList, (await this.#request('GET', '/v1/vaults')).body).vaults;
	}

	/** Uploads the vault header, parsed first: a header that clone would refuse is never stored. */
	async putHeader(vaultId: string, header: VaultHeader | Record<string, unknown>): Promise<void> {
		let checked: VaultHeader;
		try {
			checked = parseVaultHeader(header);
		} catch (error) {
			throw new SyncError(`this vault's header cannot be uploaded: ${(error as Error).message}`);
		}

		if (checked.vaultId !== vaultId) {
			throw new SyncError(`this vault's header names vault ${checked.vaultId}, not ${vaultId}`);
		}

		const result = this.#parse(parsePutHeaderResult, (await this.#request('PUT', `/v1/vaults/${vaultId}`, {header: checked})).body);
		if (result.id !== vaultId) {
			this.#malformed(`the answer names vault ${result.id}, not ${vaultId}`);
		}
	}

	/** The vault's header, every field checked (protocol/header.ts), and for this very vault. */
	async getHeader(vaultId: string): Promise<VaultHeader> {
		const response = this.#parse(parseHeaderResponse, (await this.#request('GET', `/v1/vaults/${vaultId}`)).body);
		if (response.id !== vaultId) {
			this.#malformed(`the answer names vault ${response.id}, not ${vaultId}`);
		}

		return response.header;
	}

	async changes(vaultId: string, since: number): Promise<ChangesPage> {
		return this.#parse(parseChangesPage, (await this.#request('GET', `/v1/vaults/${vaultId}/changes?since=${since}`)).body);
	}

	/**
	 * A page of changes where one malformed record does not spoil the page: the page itself (list,
	 * cursor, more) must be well formed, each record is parsed alone, and those that fail come back
	 * as `malformed` for the caller to quarantine.
	 */
	async pulledPage(vaultId: string, since: number): Promise<PulledPage> {
		return this.#parse(parsePulledPage, (await this.#request('GET', `/v1/vaults/${vaultId}/changes?since=${since}`)).body);
	}

	async push(vaultId: string, records: PushRecord[]): Promise<PushResult[]> {
		const {body} = await this.#request('POST', `/v1/vaults/${vaultId}/records`, {records}, [409]);
		return this.#parse(value => parsePushResponse(value, records.map(record => record.id)), body).results;
	}

	#malformed(why: string): never {
		throw new SyncError(`the sync server at ${this.base} sent a malformed answer: ${why}`);
	}

	#parse<T>(parser: (value: unknown) => T, body: unknown): T {
		try {
			return parser(body);
		} catch (error) {
			if (error instanceof ProtocolError) {
				this.#malformed(error.message);
			}

			throw error;
		}
	}

	async #request(method: string, path: string, body?: unknown, accept: number[] = []): Promise<{status: number; body: unknown}> {
		const json = body === undefined ? undefined : JSON.stringify(body);
		// Large bodies (pushes) go gzip-encoded: base64 ciphertext shrinks by about a quarter.
		const compress = json !== undefined && json.length > 1024;
		const payload = json === undefined ? undefined : compress ? gzipSync(json) : json;
		this.bytes.sent += payload === undefined ? 0 : Buffer.byteLength(payload);
		let response: Answer;
		try {
			response = await transport.exchange(this.base + path, {
				method,
				headers: {
					authorization: bearerHeader(this.token),
					...(payload === undefined ? {} : {'content-type': 'application/json'}),
					...(compress ? {'content-encoding': 'gzip'} : {}),
				},
				body: payload,
				timeoutMs: 120_000,
				acceptGzip: this.#compressedAnswers,
			});
		} catch (error) {
			// Unreachable: nothing was lost, and the next sync picks up from the same cursor.
			const hint = error instanceof UnreachableError ? ' (local work is safe; try again later)' : '';
			throw new SyncError(exchangeFailure(`the sync server at ${this.base}`, error) + hint);
		}

		this.bytes.received += response.bodyBytes;
		const answered = answerJson(response);
		if (!answered) {
			throw new SyncError(`the sync server at ${this.base} answered ${response.status} with something that is not JSON: is this a hush server?`);
		}

		const parsed = answered.value;
		if (isSuccess(response.status) || accept.includes(response.status)) {
			return {status: response.status, body: parsed};
		}

		const error = parseErrorBody(parsed);
		const said = error?.message ? `: ${error.message}` : '';
		switch (response.status) {
			case 401: {
				throw new SyncError(`the sync server at ${this.base} refused the token (401)${said}; set a valid one with hush remote add`);
			}

			case 403: {
				throw new SyncError(`the sync server at ${this.base} does not allow this (403)${said}`);
			}

			case 404: {
				throw new SyncError(`the sync server at ${this.base} has no such vault for this token (404)${said}`);
			}

			case 413: {
				throw new RequestTooLargeError(`the sync server at ${this.base} takes no request this large (413)${said}`);
			}

			default: {
				throw new SyncError(`the sync server at ${this.base} answered ${response.status}${said}`);
			}
		}
	}
}
