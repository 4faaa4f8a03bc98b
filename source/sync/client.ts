import {gzipSync} from 'node:zlib';
import {HushError, InvalidInputError} from '../errors.js';
import type {PushRecord, PushResult, WireRecord} from '../server/app.js';

/**
 * The HTTP client of the sync API (Node's fetch). Errors become one line that names the server's
 * origin and what to do; the token never appears in any message.
 */

export type {PushRecord, PushResult, WireRecord};

export class SyncError extends HushError {}

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

	const loopback = loopbackHosts.has(url.hostname) || /^127\.\d+\.\d+\.\d+$/.test(url.hostname);
	if (url.protocol === 'http:' && !loopback && !insecure) {
		throw new InvalidInputError(`refusing plain http:// to ${url.hostname}: tokens and ciphertext would cross the network unprotected; use https://, or --insecure if you must`);
	}

	return url.origin + url.pathname.replace(/\/+$/, '');
}

function clean(text: unknown): string {
	return String(text).replace(/[\u0000-\u001f\u007f]/g, ' ').slice(0, 200);
}

export type VaultHeader = Record<string, unknown>;

export class RemoteClient {
	/** Request and response body bytes so far (what the bench reports as bytes on the wire). */
	bytes = {sent: 0, received: 0};

	constructor(
		readonly base: string,
		private readonly token: string,
	) {}

	async health(): Promise<void> {
		await this.#request('GET', '/v1/health');
	}

	async listVaults(): Promise<Array<{id: string}>> {
		return ((await this.#request('GET', '/v1/vaults')).body as {vaults: Array<{id: string}>}).vaults;
	}

	async putHeader(vaultId: string, header: VaultHeader): Promise<void> {
		await this.#request('PUT', `/v1/vaults/${vaultId}`, {header});
	}

	async getHeader(vaultId: string): Promise<VaultHeader> {
		return ((await this.#request('GET', `/v1/vaults/${vaultId}`)).body as {header: VaultHeader}).header;
	}

	async changes(vaultId: string, since: number): Promise<{records: WireRecord[]; cursor: number; more: boolean}> {
		return (await this.#request('GET', `/v1/vaults/${vaultId}/changes?since=${since}`)).body as {records: WireRecord[]; cursor: number; more: boolean};
	}

	async push(vaultId: string, records: PushRecord[]): Promise<PushResult[]> {
		return ((await this.#request('POST', `/v1/vaults/${vaultId}/records`, {records}, [409])).body as {results: PushResult[]}).results;
	}

	async #request(method: string, path: string, body?: unknown, accept: number[] = []): Promise<{status: number; body: unknown}> {
		const json = body === undefined ? undefined : JSON.stringify(body);
		// Large bodies (pushes) go gzip-encoded: base64 ciphertext shrinks by about a quarter.
		const compress = json !== undefined && json.length > 1024;
		const payload = json === undefined ? undefined : compress ? gzipSync(json) : json;
		this.bytes.sent += payload === undefined ? 0 : Buffer.byteLength(payload);
		let response: Response;
		try {
			response = await fetch(this.base + path, {
				method,
				headers: {
					authorization: `Bearer ${this.token}`,
					...(payload === undefined ? {} : {'content-type': 'application/json'}),
					...(compress ? {'content-encoding': 'gzip'} : {}),
				},
				body: payload,
				signal: AbortSignal.timeout(120_000),
			});
		} catch (error) {
			const cause = (error as {cause?: {code?: string; message?: string}}).cause;
			const why = cause?.code === 'ECONNREFUSED' ? 'connection refused' : clean(cause?.code ?? cause?.message ?? (error as Error).message);
			throw new SyncError(`cannot reach the sync server at ${this.base}: ${why} (local work is safe; try again later)`);
		}

		const text = await response.text().catch(() => '');
		this.bytes.received += Buffer.byteLength(text);
		let parsed: unknown;
		try {
			parsed = text === '' ? {} : JSON.parse(text);
		} catch {
			throw new SyncError(`the sync server at ${this.base} answered ${response.status} with something that is not JSON: is this a hush server?`);
		}

		if (response.ok || accept.includes(response.status)) {
			return {status: response.status, body: parsed};
		}

		const error = (parsed as {error?: {code?: string; message?: string}}).error;
		const said = error?.message ? `: ${clean(error.message)}` : '';
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

			default: {
				throw new SyncError(`the sync server at ${this.base} answered ${response.status}${said}`);
			}
		}
	}
}
