import {promisify} from 'node:util';
import {createGunzip, gzip} from 'node:zlib';
import type {FastifyInstance} from 'fastify';
import {ApiError} from './errors.js';

/**
 * gzip both ways. Ciphertext travels as base64 in JSON, which gzip shrinks by about a third: clients
 * gzip large request bodies (pushes), and the server gzips large answers (pulls) for a client that
 * asks for it. Nothing in a body is plaintext a length could betray: names and values are inside
 * the ciphertexts, whose sizes the server sees anyway.
 */

/** Answers smaller than this go as they are: a few hundred bytes gain nothing from gzip. */
export const compressAnswersFrom = 4096;

const gzipAsync = promisify(gzip);

export function installCompression(app: FastifyInstance): void {
	// The body limit applies to the decompressed body, so a small bomb is still refused.
	app.addHook('preParsing', async (request, _reply, payload) => {
		const encoding = request.headers['content-encoding'];
		if (encoding === undefined || encoding === 'identity') {
			return payload;
		}

		if (encoding !== 'gzip') {
			throw new ApiError(415, 'unsupported_encoding', 'request bodies may be gzip-encoded, nothing else');
		}

		const gunzip = createGunzip() as ReturnType<typeof createGunzip> & {receivedEncodedLength: number};
		gunzip.receivedEncodedLength = 0;
		payload.on('data', (chunk: Buffer) => {
			gunzip.receivedEncodedLength += chunk.length;
		});
		payload.on('error', error => gunzip.destroy(error));
		payload.pipe(gunzip);
		return gunzip;
	});

	app.addHook('onSend', async (request, reply, payload) => {
		if (typeof payload !== 'string' || payload.length < compressAnswersFrom || reply.hasHeader('content-encoding') || !acceptsGzip(request.headers['accept-encoding'])) {
			return payload;
		}

		reply.header('content-encoding', 'gzip');
		reply.header('vary', 'accept-encoding');
		reply.removeHeader('content-length');
		// Level 1: within a percent of the default's size on base64 ciphertext, for less of the server's CPU.
		return gzipAsync(payload, {level: 1});
	});
}

/** Whether an accept-encoding header takes gzip: named (or only `*`) without `q=0`. */
export function acceptsGzip(header: string | undefined): boolean {
	let anyCoding = false;
	for (const entry of (header ?? '').split(',')) {
		const [coding = '', ...parameters] = entry.split(';').map(part => part.trim().toLowerCase());
		const quality = parameters.find(parameter => parameter.startsWith('q='));
		const accepted = quality === undefined || Number(quality.slice(2)) > 0;
		if (coding === 'gzip' || coding === 'x-gzip') {
			return accepted;
		}

		anyCoding ||= coding === '*' && accepted;
	}

	return anyCoding;
}
