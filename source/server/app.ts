import {createGunzip} from 'node:zlib';
import Fastify, {type FastifyInstance, type FastifyReply, type FastifyRequest} from 'fastify';
import {authenticate, grantVault, type Permission, type TokenInfo} from './tokens.js';
import type {Row, Store, Tx} from './store.js';

/**
 * The HTTP JSON API. The server stores what clients send — ids, revisions, a deleted flag, a
 * private flag, key generations and ciphertexts — and never anything it could decrypt: no
 * passphrase, no key, no name, no value. Every read and write of a vault appends an audit entry
 * in the same transaction as the change, so a failed audit write fails the request.
 */

export type ServerOptions = {
	store: Store;
	/** Largest request body in bytes. */
	bodyLimit?: number;
	/** Most records one push may carry. */
	maxRecordsPerRequest?: number;
	/** Requests per minute per token; 0 turns the limit off. */
	rateLimit?: number;
	/** Most records one pull returns. */
	pageSize?: number;
	/** Serve HTTPS with this certificate and key. */
	https?: {cert: Buffer; key: Buffer};
};

export const defaultServerLimits = {bodyLimit: 8 * 1024 * 1024, maxRecordsPerRequest: 1000, rateLimit: 6000, pageSize: 2000};

const b64 = {type: 'string', pattern: '^[A-Za-z0-9+/]*={0,2}$', maxLength: 262_144} as const;
const sealed = {type: 'object', required: ['nonce', 'ciphertext'], additionalProperties: false, properties: {nonce: b64, ciphertext: b64}} as const;
const recordId = {type: 'string', pattern: '^[0-9a-f-]{36}$'} as const;
const vaultParams = {type: 'object', required: ['vaultId'], properties: {vaultId: {type: 'string', pattern: '^[0-9a-f-]{36}$'}}} as const;

export type WireRecord = {
	id: string;
	rev: number;
	deleted: boolean;
	private: boolean;
	keyGeneration: number;
	meta: {nonce: string; ciphertext: string};
	values: {nonce: string; ciphertext: string} | null;
};

export type PushRecord = WireRecord & {baseRev: number};

export type PushResult =
	| {id: string; status: 'ok'; rev: number; seq: number}
	| {id: string; status: 'conflict'; current: WireRecord | null}
	| {id: string; status: 'not_found'};

class ApiError extends Error {
	constructor(
		readonly statusCode: number,
		readonly code: string,
		message: string,
	) {
		super(message);
	}
}

function toWire(row: Row): WireRecord {
	return {
		id: String(row['id']),
		rev: Number(row['rev']),
		deleted: Number(row['deleted']) === 1,
		private: row['owner'] !== null && row['owner'] !== undefined,
		keyGeneration: Number(row['key_generation']),
		meta: {nonce: String(row['meta_nonce']), ciphertext: String(row['meta_ct'])},
		values: row['values_ct'] === null || row['values_ct'] === undefined ? null : {nonce: String(row['values_nonce']), ciphertext: String(row['values_ct'])},
	};
}

class RateLimiter {
	readonly #buckets = new Map<string, {tokens: number; at: number}>();
	constructor(private readonly perMinute: number) {}

	take(key: string): boolean {
		if (this.perMinute <= 0) {
			return true;
		}

		const now = Date.now();
		const bucket = this.#buckets.get(key) ?? {tokens: this.perMinute, at: now};
		bucket.tokens = Math.min(this.perMinute, bucket.tokens + ((now - bucket.at) / 60_000) * this.perMinute);
		bucket.at = now;
		if (bucket.tokens < 1) {
			this.#buckets.set(key, bucket);
			return false;
		}

		bucket.tokens -= 1;
		this.#buckets.set(key, bucket);
		return true;
	}
}

type AuditInput = {vaultId: string | null; recordId: string | null; action: string};

async function appendAudit(tx: Tx, request: FastifyRequest, token: TokenInfo, entries: readonly AuditInput[]): Promise<void> {
	const at = new Date().toISOString();
	for (let start = 0; start < entries.length; start += 200) {
		const chunk = entries.slice(start, start + 200);
		await tx.run(
			`INSERT INTO audit (at, user_name, token_id, vault_id, record_id, action, client) VALUES ${chunk.map(() => '(?, ?, ?, ?, ?, ?, ?)').join(', ')}`,
			chunk.flatMap(entry => [at, token.user, token.id, entry.vaultId, entry.recordId, entry.action, request.ip]),
		);
	}
}

export function buildServer(options: ServerOptions): FastifyInstance {
	const limits = {
		bodyLimit: options.bodyLimit ?? defaultServerLimits.bodyLimit,
		maxRecordsPerRequest: options.maxRecordsPerRequest ?? defaultServerLimits.maxRecordsPerRequest,
		rateLimit: options.rateLimit ?? defaultServerLimits.rateLimit,
		pageSize: options.pageSize ?? defaultServerLimits.pageSize,
	};
	const {store} = options;
	const app = Fastify({
		bodyLimit: limits.bodyLimit,
		logger: false,
		return503OnClosing: true,
		forceCloseConnections: 'idle',
		...(options.https ? {https: options.https} : {}),
	}) as unknown as FastifyInstance;
	const limiter = new RateLimiter(limits.rateLimit);

	app.setErrorHandler((error: Error & {statusCode?: number; code?: string; validation?: unknown}, _request, reply) => {
		if (error instanceof ApiError) {
			return reply.status(error.statusCode).send({error: {code: error.code, message: error.message}});
		}

		const status = error.statusCode ?? 500;
		if (status === 413) {
			return reply.status(413).send({error: {code: 'body_too_large', message: `the request body is larger than ${limits.bodyLimit} bytes`}});
		}

		if (typeof error.code === 'string' && error.code.startsWith('Z_')) {
			return reply.status(400).send({error: {code: 'invalid_request', message: 'the request body is not valid gzip'}});
		}

		if (error.validation) {
			return reply.status(400).send({error: {code: 'invalid_request', message: `invalid request: ${error.message}`}});
		}

		if (status >= 400 && status < 500) {
			return reply.status(status).send({error: {code: 'bad_request', message: error.message.split('\n')[0]}});
		}

		// One line for the operator: method, path and the error, never headers (tokens) or bodies.
		process.stderr.write(`hush server: internal error on ${_request.method} ${_request.routeOptions.url ?? '?'}: ${error.message.split('\n')[0]}\n`);
		return reply.status(500).send({error: {code: 'internal', message: 'the server failed to handle this request'}});
	});
	// Clients gzip large request bodies (ciphertext travels as base64, which gzip shrinks by about a
	// quarter). The body limit applies to the decompressed body, so a small bomb is still refused.
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
	app.setNotFoundHandler((_request, reply) => reply.status(404).send({error: {code: 'not_found', message: 'no such endpoint'}}));

	async function require(request: FastifyRequest, perm: Permission): Promise<TokenInfo> {
		const header = request.headers.authorization;
		const presented = header?.startsWith('Bearer ') ? header.slice(7) : undefined;
		const token = await authenticate(store, presented);
		if (!token) {
			throw new ApiError(401, 'unauthorized', presented === undefined ? 'this request needs a token (Authorization: Bearer …)' : 'the token is not valid');
		}

		if (!limiter.take(token.id)) {
			throw new ApiError(429, 'rate_limited', 'too many requests for this token: slow down');
		}

		if (!token.perms.includes(perm)) {
			throw new ApiError(403, 'forbidden', `this token lacks the ${perm} permission`);
		}

		return token;
	}

	/** Whether `token` reaches vault `vaultId`; a vault it does not reach is reported as absent. */
	async function assertVaultAccess(tx: Tx, token: TokenInfo, vaultId: string, lock = false): Promise<Row> {
		const rows = await tx.all(`SELECT id, header, last_seq FROM vaults WHERE id = ?${lock ? store.forUpdate : ''}`, [vaultId]);
		const member = await tx.all('SELECT 1 FROM vault_members WHERE vault_id = ? AND user_name = ?', [vaultId, token.user]);
		if (rows.length === 0 || member.length === 0 || (token.vaultId !== null && token.vaultId !== vaultId)) {
			throw new ApiError(404, 'vault_not_found', 'no such vault for this token');
		}

		return rows[0]!;
	}

	app.get('/v1/health', async () => ({ok: true}));

	app.get('/v1/vaults', async request => {
		const token = await require(request, 'secrets:read');
		return store.transaction(async tx => {
			const rows = await tx.all(
				'SELECT v.id, v.created_at FROM vaults v JOIN vault_members m ON m.vault_id = v.id WHERE m.user_name = ? ORDER BY v.created_at',
				[token.user],
			);
			const vaults = rows.filter(row => token.vaultId === null || row['id'] === token.vaultId).map(row => ({id: String(row['id']), createdAt: String(row['created_at'])}));
			await appendAudit(tx, request, token, [{vaultId: null, recordId: null, action: 'list_vaults'}]);
			return {vaults};
		});
	});

	app.put<{Params: {vaultId: string}; Body: {header: Record<string, unknown>}}>(
		'/v1/vaults/:vaultId',
		{
			schema: {
				params: vaultParams,
				body: {type: 'object', required: ['header'], additionalProperties: false, properties: {header: {type: 'object', maxProperties: 32}}},
			},
		},
		async (request, reply) => {
			const token = await require(request, 'secrets:write');
			const {vaultId} = request.params;
			if (token.vaultId !== null && token.vaultId !== vaultId) {
				throw new ApiError(404, 'vault_not_found', 'no such vault for this token');
			}

			const created = await store.transaction(async tx => {
				const existing = await tx.all(`SELECT id FROM vaults WHERE id = ?${store.forUpdate}`, [vaultId]);
				if (existing.length > 0) {
					await assertVaultAccess(tx, token, vaultId);
					await tx.run('UPDATE vaults SET header = ? WHERE id = ?', [JSON.stringify(request.body.header), vaultId]);
					await appendAudit(tx, request, token, [{vaultId, recordId: null, action: 'update_header'}]);
					return false;
				}

				await tx.run('INSERT INTO vaults (id, header, last_seq, created_by, created_at) VALUES (?, ?, 0, ?, ?)', [
					vaultId,
					JSON.stringify(request.body.header),
					token.user,
					new Date().toISOString(),
				]);
				await grantVault(tx, vaultId, token.user);
				await appendAudit(tx, request, token, [{vaultId, recordId: null, action: 'create_vault'}]);
				return true;
			});
			return reply.status(created ? 201 : 200).send({id: vaultId, created});
		},
	);

	app.get<{Params: {vaultId: string}}>('/v1/vaults/:vaultId', {schema: {params: vaultParams}}, async request => {
		const token = await require(request, 'secrets:read');
		return store.transaction(async tx => {
			const vault = await assertVaultAccess(tx, token, request.params.vaultId);
			await appendAudit(tx, request, token, [{vaultId: request.params.vaultId, recordId: null, action: 'read_header'}]);
			return {id: request.params.vaultId, header: JSON.parse(String(vault['header'])) as unknown, lastSeq: Number(vault['last_seq'])};
		});
	});

	app.get<{Params: {vaultId: string}; Querystring: {since?: number; limit?: number}}>(
		'/v1/vaults/:vaultId/changes',
		{
			schema: {
				params: vaultParams,
				querystring: {
					type: 'object',
					additionalProperties: false,
					properties: {since: {type: 'integer', minimum: 0}, limit: {type: 'integer', minimum: 1, maximum: limits.pageSize}},
				},
			},
		},
		async request => {
			const token = await require(request, 'secrets:read');
			const since = request.query.since ?? 0;
			const limit = request.query.limit ?? limits.pageSize;
			const {vaultId} = request.params;
			return store.transaction(async tx => {
				const vault = await assertVaultAccess(tx, token, vaultId);
				// Private records of other users are filtered in SQL: they never leave the database.
				const rows = await tx.all(
					'SELECT * FROM records WHERE vault_id = ? AND seq > ? AND seq <= ? AND (owner IS NULL OR owner = ?) ORDER BY seq LIMIT ?',
					[vaultId, since, Number(vault['last_seq']), token.user, limit],
				);
				const lastSeq = Number(vault['last_seq']);
				const more = rows.length === limit;
				// The cursor covers everything up to the vault's sequence at this read when the page is not
				// full. It is never raised to `since`: a client whose cursor is ahead of the server's sequence
				// learns that the server has gone back in time.
				const cursor = more ? Number(rows.at(-1)!['seq']) : lastSeq;
				await appendAudit(
					tx,
					request,
					token,
					rows.length === 0 ? [{vaultId, recordId: null, action: 'pull'}] : rows.map(row => ({vaultId, recordId: String(row['id']), action: 'pull'})),
				);
				return {records: rows.map(toWire), cursor, more};
			});
		},
	);

	app.post<{Params: {vaultId: string}; Body: {records: PushRecord[]}}>(
		'/v1/vaults/:vaultId/records',
		{
			schema: {
				params: vaultParams,
				body: {
					type: 'object',
					required: ['records'],
					additionalProperties: false,
					properties: {
						records: {
							type: 'array',
							minItems: 1,
							maxItems: limits.maxRecordsPerRequest,
							items: {
								type: 'object',
								required: ['id', 'rev', 'baseRev', 'deleted', 'private', 'keyGeneration', 'meta', 'values'],
								additionalProperties: false,
								properties: {
									id: recordId,
									rev: {type: 'integer', minimum: 1},
									baseRev: {type: 'integer', minimum: 0},
									deleted: {type: 'boolean'},
									private: {type: 'boolean'},
									keyGeneration: {type: 'integer', minimum: 1},
									meta: sealed,
									values: {anyOf: [sealed, {type: 'null'}]},
								},
							},
						},
					},
				},
			},
		},
		async (request, reply) => {
			const token = await require(request, 'secrets:write');
			const {vaultId} = request.params;
			const ids = new Set(request.body.records.map(record => record.id));
			if (ids.size !== request.body.records.length) {
				throw new ApiError(400, 'invalid_request', 'a record appears twice in one push');
			}

			for (const record of request.body.records) {
				if (record.deleted !== (record.values === null)) {
					throw new ApiError(400, 'invalid_request', `record ${record.id}: a deleted record has no values, and a live one has them`);
				}
			}

			const results = await store.transaction(async tx => {
				// Locking the vault's row serialises writers per vault, so sequence numbers are handed out
				// in commit order and a reader's cursor never skips a write that commits later.
				const vault = await assertVaultAccess(tx, token, vaultId, true);
				let seq = Number(vault['last_seq']);
				const results: PushResult[] = [];
				const audit: AuditInput[] = [];
				const now = new Date().toISOString();
				for (const record of request.body.records) {
					const rows = await tx.all('SELECT * FROM records WHERE vault_id = ? AND id = ?', [vaultId, record.id]);
					const current = rows[0];
					if (current && current['owner'] !== null && current['owner'] !== token.user) {
						results.push({id: record.id, status: 'not_found'});
						audit.push({vaultId, recordId: record.id, action: 'push_refused'});
						continue;
					}

					const currentRev = current ? Number(current['rev']) : 0;
					if (record.baseRev !== currentRev || record.rev <= currentRev) {
						results.push({id: record.id, status: 'conflict', current: current ? toWire(current) : null});
						audit.push({vaultId, recordId: record.id, action: 'push_conflict'});
						continue;
					}

					seq += 1;
					const values = [
						record.rev,
						seq,
						record.private ? token.user : null,
						record.deleted ? 1 : 0,
						record.keyGeneration,
						record.meta.nonce,
						record.meta.ciphertext,
						record.values?.nonce ?? null,
						record.values?.ciphertext ?? null,
						now,
					];
					if (current) {
						await tx.run(
							'UPDATE records SET rev = ?, seq = ?, owner = ?, deleted = ?, key_generation = ?, meta_nonce = ?, meta_ct = ?, values_nonce = ?, values_ct = ?, updated_at = ? WHERE vault_id = ? AND id = ?',
							[...values, vaultId, record.id],
						);
					} else {
						await tx.run(
							'INSERT INTO records (rev, seq, owner, deleted, key_generation, meta_nonce, meta_ct, values_nonce, values_ct, updated_at, vault_id, id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
							[...values, vaultId, record.id],
						);
					}

					results.push({id: record.id, status: 'ok', rev: record.rev, seq});
					audit.push({vaultId, recordId: record.id, action: record.deleted ? 'delete' : current ? 'update' : 'create'});
				}

				await tx.run('UPDATE vaults SET last_seq = ? WHERE id = ?', [seq, vaultId]);
				await appendAudit(tx, request, token, audit);
				return results;
			});
			const conflict = results.some(result => result.status === 'conflict');
			return reply.status(conflict ? 409 : 200).send({results});
		},
	);

	app.get<{Querystring: {limit?: number}}>(
		'/v1/audit',
		{schema: {querystring: {type: 'object', additionalProperties: false, properties: {limit: {type: 'integer', minimum: 1, maximum: 10_000}}}}},
		async request => {
			const token = await require(request, 'admin');
			return store.transaction(async tx => {
				const rows = await tx.all('SELECT * FROM audit ORDER BY seq DESC LIMIT ?', [request.query.limit ?? 100]);
				await appendAudit(tx, request, token, [{vaultId: null, recordId: null, action: 'read_audit'}]);
				return {
					entries: rows.map(row => ({
						seq: Number(row['seq']),
						at: row['at'],
						user: row['user_name'],
						tokenId: row['token_id'],
						vaultId: row['vault_id'],
						recordId: row['record_id'],
						action: row['action'],
						client: row['client'],
					})),
				};
			});
		},
	);

	return app;
}

export type {FastifyReply};
