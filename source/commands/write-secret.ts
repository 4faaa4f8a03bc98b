import {visibility} from './shared/format.js';
import {argvWarning, metadataFlags, metadataFromFlags, metadataHelp, privateFlag, valueFlags, valueHelp, valuesFromFlags} from './shared/secret-flags.js';
import type {CommandContext, CommandSpec} from './spec.js';
import {type SecretSummary, assertValidName} from '../vault/model.js';

const writeFlags = {...valueFlags, ...metadataFlags, private: {type: 'boolean'}} as const;

/** Checks the name and gathers values before unlocking, so a mistake costs no passphrase prompt. */
async function prepare(context: CommandContext) {
	assertValidName(context.args[0]!);
	const metadata = metadataFromFlags(context.flags);
	const {values, fromArgv} = await valuesFromFlags(context);
	return {name: context.args[0]!, metadata, values, fromArgv, vault: await context.vault()};
}

function report(context: CommandContext, verb: string, secret: SecretSummary, fromArgv: boolean): void {
	if (fromArgv) {
		context.say(argvWarning);
	}

	if (context.flags['json'] === true) {
		context.printJson(secret);
	}

	context.say(`${verb} ${visibility(secret)} secret ${secret.name} (${secret.keys.length} ${secret.keys.length === 1 ? 'key' : 'keys'})`);
}

export const set: CommandSpec = {
	name: 'set',
	summary: 'Create a secret, or update the given keys of an existing one',
	usage: 'hush set NAME [VALUES] [--private] [metadata flags]',
	help: `If NAME exists (private first, then public, unless --private=true|false picks one), the given
keys and metadata are updated and its visibility stays as it is. Otherwise the secret is created,
public unless --private.

${valueHelp}

${metadataHelp}
  --private[=true|false] create as private; or pick which existing secret to update

Examples:
  hush set openai-creds --OPENAI_API_KEY=@key.txt --type token
  pbpaste | hush set github --stdin GITHUB_TOKEN --integration github
  hush set db --values @db.yaml --private`,
	flags: writeFlags,
	args: {min: 1, max: 1, names: 'NAME'},
	takesValues: true,
	async run(context) {
		const {name, metadata, values, fromArgv, vault} = await prepare(context);
		const {secret, created} = vault.setSecret(name, values, {...metadata, private: privateFlag(context.flags)});
		report(context, created ? 'Created' : 'Updated', secret, fromArgv);
	},
};

export const create: CommandSpec = {
	name: 'create',
	summary: 'Create a new secret; fails if the name is taken',
	usage: 'hush create NAME VALUES [--private] [metadata flags]',
	help: `Creates NAME in the public namespace, or the private one with --private. Fails if a secret of
that name already exists there.

${valueHelp}

${metadataHelp}
  --private             create it as a private secret

Examples:
  hush create stripe --STRIPE_SECRET_KEY=@stripe.key --type token --integration stripe
  hush create deploy-cert --TLS_CERT=@cert.pem --TLS_KEY=@key.pem --type certificate --private`,
	flags: writeFlags,
	args: {min: 1, max: 1, names: 'NAME'},
	takesValues: true,
	async run(context) {
		const {name, metadata, values, fromArgv, vault} = await prepare(context);
		const secret = vault.createSecret(name, values, {...metadata, private: privateFlag(context.flags) ?? false});
		report(context, 'Created', secret, fromArgv);
	},
};

export const update: CommandSpec = {
	name: 'update',
	summary: 'Change keys, metadata or visibility of an existing secret',
	usage: 'hush update NAME [VALUES] [--remove KEY]... [--private=true|false] [metadata flags]',
	help: `Updates an existing secret (private first, then public). Fails if it does not exist.

${valueHelp}

  --remove KEY          drop KEY from the secret; repeatable
  --private=true|false  move the secret to the private or public namespace

${metadataHelp}

Examples:
  hush update openai-creds --stdin OPENAI_API_KEY < new-key.txt
  hush update openai-creds --remove ORG_ID --description "personal account"
  hush update staging-db --private=false`,
	flags: {...writeFlags, remove: {type: 'string', isMultiple: true}},
	args: {min: 1, max: 1, names: 'NAME'},
	takesValues: true,
	async run(context) {
		const {name, metadata, values, fromArgv, vault} = await prepare(context);
		const secret = vault.updateSecret(name, {
			...metadata,
			values,
			remove: (context.flags['remove'] as string[] | undefined) ?? [],
			private: privateFlag(context.flags),
		});
		report(context, 'Updated', secret, fromArgv);
	},
};
