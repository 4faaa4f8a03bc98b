import type {IncomingMessage} from 'node:http';

/**
 * One HTTP exchange with a hush server, on Node's own http/https modules rather than fetch: fetch
 * loads undici (and its WebAssembly parser) on first use, about 40 ms of every sync command's
 * start, and passes large answers through web streams. The answer is read whole, up to a cap (on
 * what arrives, and again on what it inflates to when gzip was asked for), and decoded as UTF-8 for
 * the caller's JSON parse; nothing here trusts it further.
 */

/** The most an answer may hold: a pull's page is a few MB, and a hostile server must not make a client buffer without end. */
export const maxAnswerBytes = 256 * 1024 * 1024;

export type Exchange = {
	method: string;
	headers: Record<string, string>;
	body?: string | Uint8Array;
	timeoutMs: number;
	/** The most the answer may hold, once inflated; {@link maxAnswerBytes} unless smaller. */
	maxBytes?: number;
	/** Ask for a gzip-encoded answer (accept-encoding: gzip); otherwise an encoded answer is refused. */
	acceptGzip?: boolean;
};

/** `bodyBytes`: the body as it crossed the wire (before inflating). */
export type Answer = {status: number; text: string; bodyBytes: number};

/** The server could not be reached or did not answer in full; `why` is a short code or phrase (never the token). */
export class UnreachableError extends Error {
	constructor(readonly why: string) {
		super(why);
	}
}

/** The server answered, but with a body hush will not read: too large, broken gzip, or encoded when none was asked for. */
export class UnreadableAnswerError extends Error {}

/**
 * A failed exchange as the start of a one-line error about `server` ("the sync server at URL");
 * anything else is rethrown. Nothing the server sent is quoted: the reasons are hush's own words.
 */
export function exchangeFailure(server: string, error: unknown): string {
	if (error instanceof UnreachableError) {
		return `cannot reach ${server}: ${error.why}`;
	}

	if (error instanceof UnreadableAnswerError) {
		return `${server} sent an answer hush will not read: ${error.message}`;
	}

	throw error;
}

/** What the clients call, replaceable in tests that simulate a server going away mid-operation. */
export const transport = {exchange};

async function exchange(url: string, request: Exchange): Promise<Answer> {
	const target = new URL(url);
	const {request: send} = target.protocol === 'https:' ? await import('node:https') : await import('node:http');
	const signal = AbortSignal.timeout(request.timeoutMs);
	return new Promise<Answer>((resolve, reject) => {
		const fail = (error: unknown) => {
			reject(error instanceof UnreadableAnswerError ? error : new UnreachableError(reason(error, signal)));
		};

		// Without acceptGzip no accept-encoding is sent, so a server answers with the body as it is.
		const headers = request.acceptGzip ? {...request.headers, 'accept-encoding': 'gzip'} : request.headers;
		const outgoing = send(target, {method: request.method, headers, signal}, response => {
			readAnswer(response, Math.min(request.maxBytes ?? maxAnswerBytes, maxAnswerBytes), Boolean(request.acceptGzip)).then(body => {
				resolve({status: response.statusCode ?? 0, ...body});
			}, fail);
		});
		outgoing.on('error', fail);
		outgoing.end(request.body);
	});
}

async function readAnswer(response: IncomingMessage, maxBytes: number, acceptGzip: boolean): Promise<{text: string; bodyBytes: number}> {
	const encoding = response.headers['content-encoding'];
	const gzipped = acceptGzip && encoding === 'gzip';
	if (encoding !== undefined && encoding !== 'identity' && !gzipped) {
		response.resume();
		throw new UnreadableAnswerError('a compressed or otherwise encoded body, which hush did not ask for');
	}

	const declared = Number(response.headers['content-length'] ?? 0);
	if (declared > maxBytes) {
		response.destroy();
		throw new UnreadableAnswerError(`it is larger than ${maxBytes} bytes`);
	}

	const chunks: Buffer[] = [];
	let total = 0;
	for await (const chunk of response as AsyncIterable<Buffer>) {
		total += chunk.length;
		if (total > maxBytes) {
			response.destroy();
			throw new UnreadableAnswerError(`it is larger than ${maxBytes} bytes`);
		}

		chunks.push(chunk);
	}

	const body = Buffer.concat(chunks, total);
	return {text: (gzipped ? await inflate(body, maxBytes) : body).toString('utf8'), bodyBytes: total};
}

/** A gzip body inflated, never past `maxBytes` (zlib stops there: a small bomb cannot fill memory). */
async function inflate(body: Buffer, maxBytes: number): Promise<Buffer> {
	const {gunzip} = await import('node:zlib');
	return new Promise((resolve, reject) => {
		gunzip(body, {maxOutputLength: maxBytes}, (error, inflated) => {
			if (!error) {
				resolve(inflated);
			} else if ((error as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') {
				reject(new UnreadableAnswerError(`it is larger than ${maxBytes} bytes once inflated`));
			} else {
				reject(new UnreadableAnswerError('its gzip encoding is broken'));
			}
		});
	});
}

/** A network failure in a few words of hush's own (an error code, never a message a peer could shape). */
function reason(error: unknown, signal: AbortSignal): string {
	if (signal.aborted) {
		return 'timed out';
	}

	const {code} = error as {code?: unknown};
	if (typeof code !== 'string' || !/^[A-Z0-9_]{1,64}$/.test(code)) {
		return 'the connection failed';
	}

	if (code === 'ECONNREFUSED') {
		return 'connection refused';
	}

	if (untrustedCertificate.has(code)) {
		return `its TLS certificate is not trusted here (${code}); for a private CA, point NODE_EXTRA_CA_CERTS at the CA's certificate`;
	}

	if (code === 'CERT_HAS_EXPIRED' || code === 'CERT_NOT_YET_VALID') {
		return `its TLS certificate is outside its dates (${code})`;
	}

	return code === 'ERR_TLS_CERT_ALTNAME_INVALID' ? `its TLS certificate is for another name (${code})` : code;
}

/** OpenSSL's verdicts on a chain that ends at no CA this process trusts (Node's `error.code`). */
const untrustedCertificate = new Set([
	'UNABLE_TO_GET_ISSUER_CERT',
	'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
	'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
	'SELF_SIGNED_CERT_IN_CHAIN',
	'DEPTH_ZERO_SELF_SIGNED_CERT',
	'CERT_UNTRUSTED',
]);

/** fetch's `ok`: a 2xx status. */
export function isSuccess(status: number): boolean {
	return status >= 200 && status < 300;
}

/** An answer's JSON (an empty body counts as `{}`), or undefined when it is not JSON at all. */
export function answerJson(answer: Answer): {value: unknown} | undefined {
	try {
		return {value: answer.text === '' ? {} : JSON.parse(answer.text)};
	} catch {
		return undefined;
	}
}
