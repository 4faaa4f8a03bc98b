import type {FastifyError, FastifyInstance} from 'fastify';
import {describeError} from '../errors.js';
import {type ErrorCode, errorBody} from '../protocol/index.js';

/**
 * Errors as the API answers them: always `{"error": {"code", "message"}}` (protocol/errors.ts),
 * one line, never a stack, a header (tokens) or a body.
 */

/** A refusal a route decides on: its status, code and message go to the client as they are. */
export class ApiError extends Error {
	constructor(
		readonly statusCode: number,
		readonly code: ErrorCode,
		message: string,
	) {
		super(message);
	}
}

type RaisedError = Partial<FastifyError> & Error & {validation?: unknown};

/** Installs the error and not-found handlers on `app`. */
export function installErrorHandling(app: FastifyInstance): void {
	app.setErrorHandler((error: RaisedError, request, reply) => {
		if (error instanceof ApiError) {
			return reply.status(error.statusCode).send(errorBody(error.code, error.message));
		}

		const status = error.statusCode ?? 500;
		if (status === 413) {
			// The route's own limit (a header upload has a smaller one than a push).
			return reply.status(413).send(errorBody('body_too_large', `the request body is larger than ${request.routeOptions.bodyLimit ?? app.initialConfig.bodyLimit} bytes`));
		}

		if (typeof error.code === 'string' && error.code.startsWith('Z_')) {
			return reply.status(400).send(errorBody('invalid_request', 'the request body is not valid gzip'));
		}

		if (error.validation) {
			// Ajv lists every branch of an anyOf it tried: one line, cut short.
			return reply.status(400).send(errorBody('invalid_request', `invalid request: ${error.message}`.slice(0, 300)));
		}

		if (status >= 400 && status < 500) {
			// Fastify's own client errors (a bad content type, an empty JSON body): its first line.
			return reply.status(status).send(errorBody('bad_request', error.message.split('\n')[0] ?? ''));
		}

		// One line for the operator: method, path and the error, never headers (tokens) or bodies.
		process.stderr.write(`hush server: internal error on ${request.method} ${request.routeOptions.url ?? '?'}: ${describeError(error)}\n`);
		return reply.status(500).send(errorBody('internal', 'the server failed to handle this request'));
	});
	app.setNotFoundHandler((_request, reply) => reply.status(404).send(errorBody('not_found', 'no such endpoint')));
}

