import {visible} from '../text/visible.js';
import {metadataHelp, privateFlag, valueHelp} from './shared/secret-flags.js';
import {prepareWrite, reportWrite, writeFlags} from './shared/write-secret.js';
import type {CommandSpec} from './spec.js';

export const set: CommandSpec = {
	name: 'set',
	summary: 'Create a secret, or update the given keys of an existing one',
	usage: 'hush set NAME [VALUES] [--private] [metadata flags]',
	help: `If NAME exists (private first, then public), the given keys and metadata are updated and its
visibility stays as it is, even with --private (a note on stderr says so; hush update
--private=true|false moves a secret, hush create --private makes a private twin). Otherwise the
secret is created, public unless --private.

${valueHelp}

${metadataHelp}
  --private[=true|false] create as private (an existing secret keeps its visibility)

Examples:
  hush set openai-creds --OPENAI_API_KEY=@key.txt --type token
  pbpaste | hush set github --stdin GITHUB_TOKEN --integration github
  hush set db --values @db.yaml --private`,
	flags: writeFlags,
	args: {min: 1, max: 1, names: 'NAME'},
	takesValues: true,
	async run(context) {
		const {name, metadata, values, fromArgv, vault} = await prepareWrite(context);
		const wanted = privateFlag(context.flags);
		const {secret, created} = vault.setSecret(name, values, {...metadata, private: wanted});
		if (!created && wanted !== undefined && wanted !== secret.private) {
			const now = secret.private ? 'private' : 'public';
			context.say(`hush: note: secret ${visible(name)} is ${now} and stays ${now}: set never moves a secret (hush update ${visible(name)} --private=${String(wanted)} does)`);
		}

		reportWrite(context, created ? 'Created' : 'Updated', secret, fromArgv, values);
	},
};
