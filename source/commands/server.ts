import {InvalidInputError} from '../errors.js';
import type {CommandContext, CommandSpec} from './spec.js';

/** The server commands. Their code (Fastify, pg) loads only when one of them runs. */

const loadServer = () => import('../server/index.js');

function output(context: CommandContext) {
	return {
		out: (line: string) => context.io.stdout.write(`${line}\n`),
		say: (line: string) => context.say(line),
	};
}

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
	},
	args: {min: 0, max: 0, names: ''},
	async run(context) {
		const {flags} = context;
		const port = (flags['port'] as number | undefined) ?? 8787;
		if (!Number.isInteger(port) || port < 0 || port > 65_535) {
			throw new InvalidInputError('--port takes a port number (0–65535)');
		}

		const server = await loadServer();
		return server.serve(
			{
				db: server.resolveDb(flags['db'] as string | undefined, context.io.env),
				host: (flags['host'] as string | undefined) ?? '127.0.0.1',
				port,
				tlsCert: flags['tlsCert'] as string | undefined,
				tlsKey: flags['tlsKey'] as string | undefined,
				bodyLimit: flags['maxBody'] as number | undefined,
				maxRecords: flags['maxRecords'] as number | undefined,
				rateLimit: flags['rateLimit'] as number | undefined,
			},
			output(context),
		);
	},
};

export const server: CommandSpec = {
	name: 'server',
	summary: 'Manage the sync server’s database: init, token create|list|revoke',
	usage: 'hush server init | hush server token create --user U --perm P | token list | token revoke ID',
	help: `Operator commands, run on the server machine against its database (--db as for hush serve).

  hush server init [--user admin]        create the schema and the first admin token
  hush server token create --user U --perm secrets:read[,secrets:write][,admin] [--vault ID]
  hush server token list [--json]
  hush server token revoke ID

A new token is printed once, alone on the last line of stdout; only its hash is stored.
--vault limits a token to one vault and gives its user access to that vault (to let a
teammate sync a vault someone else created).

Examples:
  hush server init --db /srv/hush/server.db
  TOKEN=$(hush server token create --user alice --perm secrets:read,secrets:write | tail -n 1)
  hush server token revoke 3f9a0c2b7d1e4a56`,
	flags: {db: {type: 'string'}, user: {type: 'string'}, perm: {type: 'string'}, vault: {type: 'string'}, json: {type: 'boolean'}},
	args: {min: 1, max: 3, names: 'init | token create|list|revoke [ID]'},
	async run(context) {
		const [sub, action, id] = context.args;
		const {flags} = context;
		const server = await loadServer();
		const db = server.resolveDb(flags['db'] as string | undefined, context.io.env);
		if (sub === 'init' && action === undefined) {
			await server.serverInit(db, (flags['user'] as string | undefined) ?? 'admin', output(context));
			return;
		}

		if (sub === 'token' && action === 'create' && id === undefined) {
			const user = flags['user'] as string | undefined;
			const perms = flags['perm'] as string | undefined;
			if (!user || !perms) {
				throw new InvalidInputError('hush server token create needs --user U and --perm secrets:read[,secrets:write][,admin]');
			}

			await server.tokenCreate(db, {user, perms, vaultId: flags['vault'] as string | undefined}, output(context));
			return;
		}

		if (sub === 'token' && action === 'list' && id === undefined) {
			const tokens = await server.tokenList(db);
			if (flags['json']) {
				context.printJson(tokens);
			} else {
				for (const token of tokens) {
					context.io.stdout.write(
						`${token.id}  ${token.user}  ${token.perms.join(',')}  ${token.vaultId ?? 'any vault'}  created ${token.createdAt}${token.revokedAt ? `  revoked ${token.revokedAt}` : ''}\n`,
					);
				}
			}

			return;
		}

		if (sub === 'token' && action === 'revoke' && id !== undefined) {
			if (!(await server.tokenRevoke(db, id))) {
				context.say(`no live token with id ${id}: see hush server token list`);
				return 1;
			}

			context.say(`Token ${id} revoked`);
			return;
		}

		throw new InvalidInputError('usage: hush server init | hush server token create|list|revoke (see hush server --help)');
	},
};
