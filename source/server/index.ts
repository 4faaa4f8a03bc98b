import {readFileSync} from 'node:fs';
import {join} from 'node:path';
import {InvalidInputError, HushError, describeError} from '../errors.js';
import {ensurePrivateDirectory, resolveHome} from '../home.js';
import {idPattern} from '../protocol/index.js';
import {buildServer, defaultServerLimits} from './app.js';
import {ApiError} from './errors.js';
export {backupSqlite} from './backup.js';
import {defaultAuditRetentionDays, startAuditRetention} from './retention.js';
import {isPostgresUrl, openStore} from './store.js';
import {createToken, initialAdmin, listTokens, parsePermissions, revokeToken, type TokenInfo} from './tokens.js';

/**
 * `hush serve` and `hush server …`: loaded only by those commands, so Fastify and pg never slow
 * down `hush get`.
 */

export type Output = {out(line: string): void; say(line: string): void};

/** --db, else HUSH_SERVER_DB, else server.db in HUSH_HOME (or the platform data folder). */
export function resolveDb(flag: string | undefined, env: NodeJS.ProcessEnv): string {
	const db = flag ?? env['HUSH_SERVER_DB'];
	if (db) {
		return db;
	}

	const home = resolveHome(env['HUSH_HOME']);
	ensurePrivateDirectory(home);
	return join(home, 'server.db');
}

function describeDb(db: string): string {
	return isPostgresUrl(db) ? `postgres ${new URL(db).host}${new URL(db).pathname}` : `sqlite ${db}`;
}

async function withStore<T>(db: string, work: (store: Awaited<ReturnType<typeof openStore>>) => Promise<T>): Promise<T> {
	let store;
	try {
		store = await openStore(db);
	} catch (error) {
		throw new HushError(`cannot open the server database (${describeDb(db)}): ${describeError(error)}`);
	}

	try {
		return await work(store);
	} finally {
		await store.close();
	}
}

export async function serverInit(db: string, user: string, output: Output): Promise<void> {
	const created = await withStore(db, store => initialAdmin(store, user));
	if (!created) {
		throw new HushError('this server already has an admin token: create more with hush server token create');
	}

	output.say(`Server database ready (${describeDb(db)}). Admin token for ${user}, shown once — keep it safe:`);
	output.out(created.token);
}

export async function tokenCreate(db: string, input: {user: string; perms: string; vaultId?: string}, output: Output): Promise<void> {
	let perms;
	try {
		perms = parsePermissions(input.perms);
	} catch (error) {
		throw new InvalidInputError((error as Error).message);
	}

	if (input.vaultId !== undefined && !new RegExp(idPattern).test(input.vaultId)) {
		throw new InvalidInputError('--vault takes a vault id (see hush status on a device)');
	}

	const created = await withStore(db, store =>
		store.transaction(async tx => {
			try {
				return await createToken(tx, {user: input.user, perms, vaultId: input.vaultId});
			} catch (error) {
				if (error instanceof ApiError) {
					throw new HushError(error.message);
				}

				if (/user name/.test((error as Error).message)) {
					throw new InvalidInputError((error as Error).message);
				}

				throw error;
			}
		}),
	);
	output.say(`Token ${created.info.id} for ${created.info.user} (${perms.join(',')}), shown once:`);
	output.out(created.token);
}

export async function tokenList(db: string): Promise<TokenInfo[]> {
	return withStore(db, store => store.transaction(tx => listTokens(tx)));
}

export async function tokenRevoke(db: string, id: string): Promise<boolean> {
	return withStore(db, store => store.transaction(tx => revokeToken(tx, id)));
}

export type ServeOptions = {
	db: string;
	host: string;
	port: number;
	tlsCert?: string;
	tlsKey?: string;
	bodyLimit?: number;
	rateLimit?: number;
	maxRecords?: number;
	maxHeaderBytes?: number;
	maxVaultsPerUser?: number;
	auditRetentionDays?: number;
};

function listenFailure(error: unknown): string {
	switch ((error as NodeJS.ErrnoException).code) {
		case 'EADDRINUSE': {
			return 'the address is already in use (another hush serve?): pick another --port';
		}

		case 'EACCES': {
			return 'permission denied: ports below 1024 need privileges; pick another --port';
		}

		case 'EADDRNOTAVAIL': {
			return 'this machine has no such address: check --host';
		}

		default: {
			return describeError(error);
		}
	}
}

/** Runs until SIGTERM or SIGINT, then finishes in-flight requests and closes the database. */
export async function serve(options: ServeOptions, output: Output): Promise<number> {
	if ((options.tlsCert === undefined) !== (options.tlsKey === undefined)) {
		throw new InvalidInputError('TLS needs both --tls-cert and --tls-key');
	}

	const https = options.tlsCert && options.tlsKey ? {cert: readFileSync(options.tlsCert), key: readFileSync(options.tlsKey)} : undefined;
	let store;
	try {
		store = await openStore(options.db);
	} catch (error) {
		throw new HushError(`cannot open the server database (${describeDb(options.db)}): ${describeError(error)}`);
	}

	const app = buildServer({
		store,
		bodyLimit: options.bodyLimit ?? defaultServerLimits.bodyLimit,
		rateLimit: options.rateLimit ?? defaultServerLimits.rateLimit,
		maxRecordsPerRequest: options.maxRecords ?? defaultServerLimits.maxRecordsPerRequest,
		maxHeaderBytes: options.maxHeaderBytes ?? defaultServerLimits.maxHeaderBytes,
		maxVaultsPerUser: options.maxVaultsPerUser ?? defaultServerLimits.maxVaultsPerUser,
		...(https ? {https} : {}),
	});
	const stopRetention = await startAuditRetention(store, options.auditRetentionDays ?? defaultAuditRetentionDays, line => output.say(line));
	let address: string;
	try {
		address = await app.listen({host: options.host, port: options.port});
	} catch (error) {
		await stopRetention();
		await store.close();
		throw new HushError(`cannot listen on ${options.host}:${options.port}: ${listenFailure(error)}`);
	}

	const stopped = new Promise<void>(resolve => {
		const stop = () => {
			process.off('SIGTERM', stop);
			process.off('SIGINT', stop);
			resolve();
		};

		process.on('SIGTERM', stop);
		process.on('SIGINT', stop);
	});
	// The ready line: scripts and tests wait for it (and read the port from it).
	output.out(`hush server listening on ${address} (${describeDb(options.db)})`);
	await stopped;
	output.say('hush server: shutting down, finishing requests in flight');
	await app.close();
	await stopRetention();
	await store.close();
	output.say('hush server: stopped');
	return 0;
}
