import {privateFlag} from './shared/private-flag.js';
import type {CommandSpec} from './spec.js';

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
