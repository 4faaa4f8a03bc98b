/**
 * Raw HTTP against a real `hush serve`, for the server suites that play a hostile client: any
 * method, body bytes, content type and encoding, with the answer kept as text (a 500 or a non-JSON
 * body must show up as such, not as a parse error in the test). And dumps of a server's whole store
 * (SQLite or PostgreSQL), to show that what was refused changed nothing.
 */
import {request} from 'node:http';
import {DatabaseSync} from 'node:sqlite';
import pg from 'pg';

export type Answer = {status: number; text: string};

export type Call = {
	method: string;
	path: string;
	token?: string;
	/** The body bytes as sent (a string is sent as UTF-8). */
	body?: string | Buffer;
	contentType?: string;
	headers?: Record<string, string>;
	/**
	 * Send the headers (with the body's Content-Length) but hold the body back until the server
	 * answers. For a body over the server's limit: the server answers 413 from the declared length
	 * and closes; sending megabytes meanwhile would race that close (EPIPE, and no answer to read).
	 */
	declareOnly?: boolean;
};

export async function call(base: string, input: Call): Promise<Answer> {
	const body = typeof input.body === 'string' ? Buffer.from(input.body) : input.body;
	return new Promise((resolve, reject) => {
		const outgoing = request(`${base}${input.path}`, {
			method: input.method,
			headers: {
				...(input.token === undefined ? {} : {authorization: `Bearer ${input.token}`}),
				...(input.contentType === undefined ? {} : {'content-type': input.contentType}),
				...(body === undefined ? {} : {'content-length': String(body.length)}),
				...input.headers,
			},
		});
		outgoing.on('response', reply => {
			const chunks: Buffer[] = [];
			reply.on('data', (chunk: Buffer) => chunks.push(chunk));
			reply.on('end', () => {
				resolve({status: reply.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8')});
				if (input.declareOnly) {
					outgoing.destroy();
				}
			});
			reply.on('error', reject);
		});
		// The server may answer (413) and close before it has read a large body: that answer counts,
		// so a write error fails the call only if no answer came before the connection closed.
		let failure: Error | undefined;
		outgoing.on('error', error => {
			failure = error;
		});
		outgoing.on('close', () => {
			if (failure) {
				reject(failure);
			}
		});
		if (input.declareOnly) {
			outgoing.flushHeaders();
		} else {
			outgoing.end(body);
		}
	});
}

export const vaultA = '00000000-0000-4000-8000-00000000000a';
export const recordA = '00000000-0000-4000-8000-0000000000a1';

/** A push record the server accepts (16 zero bytes as nonce and ciphertext). */
export function validRecord(overrides: Record<string, unknown> = {}): Record<string, unknown> {
	const sealed = {nonce: 'AAAAAAAAAAAAAAAA', ciphertext: 'AAAAAAAAAAAAAAAAAAAAAA=='};
	return {id: recordA, rev: 1, baseRev: 0, deleted: false, private: false, keyGeneration: 1, meta: {...sealed}, values: {...sealed}, ...overrides};
}

/** A header as a device uploads it (the server only bounds it; clients parse it). */
export function validHeader(vaultId = vaultA): Record<string, unknown> {
	return {
		format: 1,
		vaultId,
		createdAt: '2026-01-01T00:00:00.000Z',
		keyGeneration: 1,
		keyslot: {
			slot: 1,
			kind: 'passphrase',
			kdf: '{"name":"argon2id","memory":65536,"iterations":3,"parallelism":1}',
			salt: 'AAAAAAAAAAAAAAAAAAAAAA==',
			nonce: 'AAAAAAAAAAAAAAAA',
			wrappedKey: 'A'.repeat(64),
			createdAt: '2026-01-01T00:00:00.000Z',
			expiresAt: null,
		},
	};
}

const tables = ['tokens', 'vaults', 'vault_members', 'records', 'audit', 'server_meta'];
const order: Record<string, string> = {tokens: 'id', vaults: 'id', vault_members: 'vault_id, user_name', records: 'vault_id, id', audit: 'seq', server_meta: 'key'};

/** Every row of every table of a SQLite server database, as JSON text. */
export function dumpSqlite(db: string): string {
	const handle = new DatabaseSync(db, {readOnly: true});
	try {
		return JSON.stringify(tables.map(table => handle.prepare(`SELECT * FROM ${table} ORDER BY ${order[table]}`).all()));
	} finally {
		handle.close();
	}
}

/** Every row of every table of a PostgreSQL server database, as JSON text. */
export async function dumpPostgres(url: string): Promise<string> {
	const client = new pg.Client({connectionString: url});
	await client.connect();
	try {
		const dump = [];
		for (const table of tables) {
			dump.push((await client.query(`SELECT * FROM ${table} ORDER BY ${order[table]}`)).rows);
		}

		return JSON.stringify(dump);
	} finally {
		await client.end();
	}
}

/** Runs one SQL statement on a PostgreSQL database (to read or plant rows). */
export async function pgQuery(url: string, sql: string, params: unknown[] = []): Promise<Array<Record<string, unknown>>> {
	const client = new pg.Client({connectionString: url});
	await client.connect();
	try {
		return (await client.query(sql, params)).rows as Array<Record<string, unknown>>;
	} finally {
		await client.end();
	}
}
