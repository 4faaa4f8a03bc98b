import {metadataHelp, privateFlag, valueHelp} from './shared/secret-flags.js';
import {prepareWrite, reportWrite, writeFlags} from './shared/write-secret.js';
import type {CommandSpec} from './spec.js';

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
		const {name, metadata, values, fromArgv, vault} = await prepareWrite(context);
		const secret = vault.createSecret(name, values, {...metadata, private: privateFlag(context.flags) ?? false});
		reportWrite(context, 'Created', secret, fromArgv, values);
	},
};
