import {InvalidInputError} from '../errors.js';
import {readPreferences} from '../preferences/read.js';
import {secretTypes} from '../vault/model.js';
import type {ListFilter} from '../vault/vault.js';
import {clockNow} from './shared/clock.js';
import {age, table, visibility, writeJsonArray} from './shared/format.js';
import {privateFlag} from './shared/secret-flags.js';
import type {CommandSpec} from './spec.js';

const sorts = ['name', 'updated', 'used'] as const;

export const list: CommandSpec = {
	name: 'list',
	summary: 'List secrets (metadata only)',
	usage: 'hush list [--json] [--type T] [--integration I] [--private=true|false] [--sort name|updated|used]',
	help: `Lists every secret with its visibility ("w/o" marks write-only, "agent" one an AI agent created
through hush mcp), type, key count, integration, age since its values last changed, and last use.
Never decrypts a value.

Options:
  --type T              only secrets of type T
  --integration I       only secrets for integration I
  --private=true|false  only private, or only public, secrets
  --sort name|updated|used
                        by name (default), most recently changed, or most recently used
  --json                an array of SecretSummary objects

Examples:
  hush list
  hush list --type token --sort updated
  hush list --json | jq -r '.[].name'`,
	flags: {json: {type: 'boolean'}, type: {type: 'string'}, integration: {type: 'string'}, private: {type: 'boolean'}, sort: {type: 'string'}},
	args: {min: 0, max: 0, names: ''},
	async run(context) {
		const {flags} = context;
		const now = clockNow(context.io.env);
		const filter: ListFilter = {private: privateFlag(flags)};
		if (flags['type'] !== undefined) {
			const type = String(flags['type']);
			if (!(secretTypes as readonly string[]).includes(type)) {
				throw new InvalidInputError(`--type ${JSON.stringify(type)}: use one of ${secretTypes.join(', ')}`);
			}

			filter.type = type as ListFilter['type'];
		}

		if (flags['integration'] !== undefined) {
			filter.integration = String(flags['integration']);
		}

		if (flags['sort'] !== undefined) {
			const sort = String(flags['sort']);
			if (!(sorts as readonly string[]).includes(sort)) {
				throw new InvalidInputError(`--sort ${JSON.stringify(sort)}: use name, updated or used`);
			}

			filter.sort = sort as ListFilter['sort'];
		} else {
			filter.sort = readPreferences(context.io.env, message => context.say(`hush: warning: ${message}`))['list.sort'];
		}

		const vault = await context.vault();
		const secrets = vault.listSecrets(filter);
		if (flags['json'] === true) {
			await writeJsonArray(context.io.stdout, secrets);
			return;
		}

		if (secrets.length === 0) {
			context.say('no secrets yet: add one with hush set NAME --KEY=@FILE');
			return;
		}

		context.print(
			table(
				['NAME', 'VISIBILITY', 'TYPE', 'KEYS', 'INTEGRATION', 'UPDATED', 'USED'],
				secrets.map(secret => [
					secret.name,
					visibility(secret) + (secret.writeOnly ? ' w/o' : '') + (secret.createdByAgent ? ' agent' : ''),
					secret.type,
					String(secret.keys.length),
					secret.integration || '—',
					age(secret.updatedAt, now),
					age(secret.lastUsedAt, now),
				]),
			),
		);
	},
};
