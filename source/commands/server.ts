import {InvalidInputError} from '../errors.js';
import {loadServer, serverOutput} from './shared/server-output.js';
import type {CommandSpec} from './spec.js';
import {visible} from '../text/visible.js';

export const server: CommandSpec = {
	name: 'server',
	summary: 'Manage the sync server’s database: init, token create|list|revoke, backup',
	usage: 'hush server init | hush server token create --user U --perm P | token list | token revoke ID | backup FILE',
	help: `Operator commands, run on the server machine against its database (--db as for hush serve).

  hush server init [--user admin]        create the schema and the first admin token
  hush server token create --user U --perm secrets:read[,secrets:write][,admin] [--vault ID]
  hush server token list [--json]
  hush server token revoke ID
  hush server backup FILE                a consistent copy of a SQLite database, safe while
                                         hush serve runs (PostgreSQL: use pg_dump)

A new token is printed once, alone on the last line of stdout; only its hash is stored.
--vault limits a token to one vault and gives its user access to that vault (to let a
teammate sync a vault someone else created).

Examples:
  hush server init --db /srv/hush/server.db
  TOKEN=$(hush server token create --user alice --perm secrets:read,secrets:write | tail -n 1)
  hush server token revoke 3f9a0c2b7d1e4a56
  hush server backup /srv/backups/hush-$(date +%F).db --db /srv/hush/server.db`,
	flags: {db: {type: 'string'}, user: {type: 'string'}, perm: {type: 'string'}, vault: {type: 'string'}, json: {type: 'boolean'}},
	args: {min: 1, max: 3, names: 'init | token create|list|revoke [ID] | backup FILE'},
	async run(context) {
		const [sub, action, id] = context.args;
		const {flags} = context;
		const server = await loadServer();
		const db = server.resolveDb(flags['db'] as string | undefined, context.io.env);
		if (sub === 'init' && action === undefined) {
			await server.serverInit(db, (flags['user'] as string | undefined) ?? 'admin', serverOutput(context));
			return;
		}

		if (sub === 'backup' && action !== undefined && id === undefined) {
			const copy = server.backupSqlite(db, action);
			context.say(`Backed up ${copy.vaults} vaults and ${copy.records} records (${copy.bytes} bytes, integrity checked) to ${visible(copy.file)}`);
			return;
		}

		if (sub === 'token' && action === 'create' && id === undefined) {
			const user = flags['user'] as string | undefined;
			const perms = flags['perm'] as string | undefined;
			if (!user || !perms) {
				throw new InvalidInputError('hush server token create needs --user U and --perm secrets:read[,secrets:write][,admin]');
			}

			await server.tokenCreate(db, {user, perms, vaultId: flags['vault'] as string | undefined}, serverOutput(context));
			return;
		}

		if (sub === 'token' && action === 'list' && id === undefined) {
			const tokens = await server.tokenList(db);
			if (flags['json']) {
				context.printJson(tokens);
			} else {
				for (const token of tokens) {
					const line = `${token.id}  ${token.user}  ${token.perms.join(',')}  ${token.vaultId ?? 'any vault'}  created ${token.createdAt}${token.revokedAt ? `  revoked ${token.revokedAt}` : ''}`;
					context.print(`${visible(line)}\n`);
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

		throw new InvalidInputError('usage: hush server init | hush server token create|list|revoke | hush server backup FILE (see hush server --help)');
	},
};
