import {InvalidInputError} from '../errors.js';
import {type SecretSummary, secretTypes} from '../vault/model.js';
import type {ListFilter} from '../vault/vault.js';
import {age, mask, table, visibility} from './shared/format.js';
import {privateFlag} from './shared/secret-flags.js';
import type {CommandSpec} from './spec.js';

export const show: CommandSpec = {
	name: 'show',
	summary: 'Show a secret\'s metadata and keys, values masked',
	usage: 'hush show NAME [--show-values] [--private=true|false] [--json]',
	help: `Shows metadata and key names; values stay masked unless --show-values (which is logged in the
audit log). Write-only secrets never show their values.

Options:
  --show-values         print the values too
  --private=true|false  pick the private or public secret of that name
  --json                print a SecretSummary object (with "values" when --show-values)

Examples:
  hush show openai-creds
  hush show openai-creds --show-values --json | jq -r .values.OPENAI_API_KEY`,
	flags: {showValues: {type: 'boolean'}, private: {type: 'boolean'}, json: {type: 'boolean'}},
	args: {min: 1, max: 1, names: 'NAME'},
	async run(context) {
		const vault = await context.vault();
		const lookup = {private: privateFlag(context.flags)};
		const reference = context.args[0]!;
		if (context.flags['showValues'] === true) {
			const revealed = vault.revealSecret(reference, {...lookup, allowWriteOnly: false});
			try {
				const {summary} = revealed;
				if (context.flags['json'] === true) {
					context.printJson({...summary, values: revealed.values});
				} else {
					context.io.stdout.write(describe(summary, key => indent(revealed.get(key))));
				}
			} finally {
				revealed.wipe();
			}

			return;
		}

		const summary = vault.describeSecret(reference, lookup);
		if (context.flags['json'] === true) {
			context.printJson(summary);
		} else {
			context.io.stdout.write(describe(summary, () => (summary.writeOnly ? '(write-only)' : mask)));
		}
	},
};

function describe(summary: SecretSummary, value: (key: string) => string): string {
	const rows: Array<[string, string]> = [
		['id', summary.id],
		['visibility', visibility(summary)],
		['type', summary.type],
		['description', summary.description || '—'],
		['integration', summary.integration || '—'],
		['write-only', summary.writeOnly ? 'yes' : 'no'],
		['created', `${summary.createdAt} by ${summary.createdBy}`],
		['updated', `${summary.updatedAt} (${age(summary.updatedAt)})`],
		['last used', summary.lastUsedAt ? `${summary.lastUsedAt} (${age(summary.lastUsedAt)})` : 'never'],
		['expires', summary.expiresAt ?? 'never'],
	];
	const width = Math.max(...summary.keys.map(key => key.length), 0);
	return [
		summary.name,
		...rows.map(([label, text]) => `  ${label.padEnd(12)} ${text}`),
		'  keys',
		...summary.keys.map(key => `    ${key.padEnd(width)}  ${value(key)}`),
		'',
	].join('\n');
}

/** Multi-line values (certificates) continue under their first line. */
function indent(text: string): string {
	return text.replaceAll('\n', '\n      ');
}

export const get: CommandSpec = {
	name: 'get',
	summary: 'Print one value, raw, for scripts',
	usage: 'hush get NAME KEY',
	help: `Prints the value of KEY in secret NAME on stdout, exactly as stored (a newline is added only
when stdout is a terminal). Refused for write-only secrets. Logged in the audit log.

Options:
  --private=true|false  pick the private or public secret of that name

Examples:
  hush get deploy-cert TLS_CERT > cert.pem
  curl -H "Authorization: Bearer $(hush get openai-creds OPENAI_API_KEY)" …`,
	flags: {private: {type: 'boolean'}},
	args: {min: 2, max: 2, names: 'NAME KEY'},
	async run(context) {
		const vault = await context.vault();
		const [reference, key] = context.args as [string, string];
		const revealed = vault.revealSecret(reference, {private: privateFlag(context.flags), allowWriteOnly: false, requireKeys: [key]});
		try {
			const value = revealed.buffer(key);
			context.io.stdout.write(value);
			if (context.io.stdout.isTTY) {
				context.io.stdout.write('\n');
			}
		} finally {
			revealed.wipe();
		}
	},
};

const sorts = ['name', 'updated', 'used'] as const;

export const list: CommandSpec = {
	name: 'list',
	summary: 'List secrets (metadata only)',
	usage: 'hush list [--json] [--type T] [--integration I] [--private=true|false] [--sort name|updated|used]',
	help: `Lists every secret with its visibility ("w/o" marks write-only), type, key count, integration,
age since its values last changed, and last use. Never decrypts a value.

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
		}

		const vault = await context.vault();
		const secrets = vault.listSecrets(filter);
		if (flags['json'] === true) {
			context.printJson(secrets);
			return;
		}

		if (secrets.length === 0) {
			context.say('no secrets yet: add one with hush set NAME --KEY=@FILE');
			return;
		}

		const now = Date.now();
		context.io.stdout.write(
			table(
				['NAME', 'VISIBILITY', 'TYPE', 'KEYS', 'INTEGRATION', 'UPDATED', 'USED'],
				secrets.map(secret => [
					secret.name,
					visibility(secret) + (secret.writeOnly ? ' w/o' : ''),
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
