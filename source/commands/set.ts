import {metadataHelp, privateFlag, valueHelp} from './shared/secret-flags.js';
import {prepareWrite, reportWrite, writeFlags} from './shared/write-secret.js';
import type {CommandSpec} from './spec.js';

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
		const {name, metadata, values, fromArgv, vault} = await prepareWrite(context);
		const {secret, created} = vault.setSecret(name, values, {...metadata, private: privateFlag(context.flags)});
		reportWrite(context, created ? 'Created' : 'Updated', secret, fromArgv, values);
	},
};
