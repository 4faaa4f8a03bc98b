import {metadataHelp, privateFlag, valueHelp} from './shared/secret-flags.js';
import {prepareWrite, reportWrite, writeFlags} from './shared/write-secret.js';
import type {CommandSpec} from './spec.js';

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
		const {name, metadata, values, fromArgv, vault} = await prepareWrite(context);
		const secret = vault.updateSecret(name, {
			...metadata,
			values,
			remove: (context.flags['remove'] as string[] | undefined) ?? [],
			private: privateFlag(context.flags),
		});
		reportWrite(context, 'Updated', secret, fromArgv, values);
	},
};
