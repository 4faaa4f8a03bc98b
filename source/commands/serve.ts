import {InvalidInputError} from '../errors.js';
import {loadServer, serverOutput} from './shared/server-output.js';
import type {CommandSpec} from './spec.js';

export const serve: CommandSpec = {
	name: 'serve',
	summary: 'Run the sync server (stores only ciphertext)',
	usage: 'hush serve [--db FILE|postgres://…] [--host 127.0.0.1] [--port 8787]',
	help: `Serves the sync API until SIGTERM or Ctrl-C, then finishes requests in flight and stops.
The database is a SQLite file (default: server.db in HUSH_HOME, or HUSH_SERVER_DB) or a
PostgreSQL URL; its schema is created or upgraded on start. Create the first admin token with
'hush server init'. Prints one ready line on stdout once it accepts connections.

Options:
  --db FILE|URL        SQLite file, or postgres://user@host/db (several servers may share one)
  --host ADDR          address to listen on (default 127.0.0.1)
  --port N             port (default 8787; 0 picks a free one)
  --tls-cert F --tls-key F   serve HTTPS
  --max-body BYTES     largest request body (default 8 MiB)
  --max-records N      most records per push (default 1000)
  --rate-limit N       requests per minute per token (default 6000; 0 = no limit)
  --max-header BYTES   largest vault header upload (default 16 KiB; a real one is ~1 KiB)
  --max-vaults N       most vaults one user may create (default 100; 0 = no limit)
  --audit-retention-days N   delete audit entries older than N days, at start and hourly
                       (default 365; 0 = keep them all)

Back up a running server with 'hush server backup FILE' (SQLite) or pg_dump (PostgreSQL);
a plain copy of the database file while it serves can be inconsistent.

Examples:
  hush serve
  hush serve --db postgres://hush@db.internal/hush --host 0.0.0.0 --tls-cert cert.pem --tls-key key.pem`,
	flags: {
		db: {type: 'string'},
		host: {type: 'string'},
		port: {type: 'number'},
		tlsCert: {type: 'string'},
		tlsKey: {type: 'string'},
		maxBody: {type: 'number'},
		maxRecords: {type: 'number'},
		rateLimit: {type: 'number'},
		maxHeader: {type: 'number'},
		maxVaults: {type: 'number'},
		auditRetentionDays: {type: 'number'},
	},
	args: {min: 0, max: 0, names: ''},
	async run(context) {
		const {flags} = context;
		const port = (flags['port'] as number | undefined) ?? 8787;
		if (!Number.isInteger(port) || port < 0 || port > 65_535) {
			throw new InvalidInputError('--port takes a port number (0–65535)');
		}

		const count = (name: string, flag: string, min: number): number | undefined => {
			const value = flags[name] as number | undefined;
			if (value !== undefined && (!Number.isSafeInteger(value) || value < min)) {
				throw new InvalidInputError(`${flag} takes a whole number of at least ${min}`);
			}

			return value;
		};

		const limits = {
			bodyLimit: count('maxBody', '--max-body', 1),
			maxRecords: count('maxRecords', '--max-records', 1),
			rateLimit: count('rateLimit', '--rate-limit', 0),
			maxHeaderBytes: count('maxHeader', '--max-header', 4096),
			maxVaultsPerUser: count('maxVaults', '--max-vaults', 0),
			auditRetentionDays: count('auditRetentionDays', '--audit-retention-days', 0),
		};
		const server = await loadServer();
		return server.serve(
			{
				db: server.resolveDb(flags['db'] as string | undefined, context.io.env),
				host: (flags['host'] as string | undefined) ?? '127.0.0.1',
				port,
				tlsCert: flags['tlsCert'] as string | undefined,
				tlsKey: flags['tlsKey'] as string | undefined,
				...limits,
			},
			serverOutput(context),
		);
	},
};
