import {type KeychainCredential, KeychainItemNotFoundError, findKeychainCredentials, readKeychainPassword} from '../keychain/keychain.js';
import {HushError, InvalidInputError} from '../vault/errors.js';
import {type SecretValues, assertValidName} from '../vault/model.js';
import {visibility} from './format.js';
import {metadataFlags, metadataFromFlags, metadataHelp, privateFlag} from './secret-flags.js';
import type {CommandContext, CommandSpec} from './spec.js';

/** `hush import SOURCE …`: each source is one function, so more sources slot in beside keychain. */
const sources: Record<string, (context: CommandContext) => Promise<void>> = {keychain: importKeychain};

export const importCommand: CommandSpec = {
	name: 'import',
	summary: 'Copy credentials from another store into one secret',
	usage: 'hush import keychain --service S [--account A] --name NAME [--private] [metadata flags]',
	help: `keychain: copies the OS keychain items of service S (every account, or only --account A) into
secret NAME, one key per account. Account names become env-var-safe keys (bob@example.com →
BOB_EXAMPLE_COM); each mapping is reported. NAME is created, or its keys are updated (like set).

Options:
  --service S           the keychain service to copy from
  --account A           only this account
  --name NAME           the secret to copy into
  --private[=true|false] create as private; or pick which existing secret to update

${metadataHelp}

Examples:
  hush import keychain --service github.com --name github
  hush import keychain --service aws --account ci-deploy --name aws-ci --private`,
	flags: {service: {type: 'string'}, account: {type: 'string'}, name: {type: 'string'}, private: {type: 'boolean'}, ...metadataFlags},
	args: {min: 1, max: 2, names: 'SOURCE'},
	async run(context) {
		const source = context.args[0]!;
		const run = sources[source];
		if (!run) {
			throw new InvalidInputError(`hush import ${source}: unknown source; this hush imports from: ${Object.keys(sources).join(', ')}`);
		}

		await run(context);
	},
};

async function importKeychain(context: CommandContext): Promise<void> {
	const {flags} = context;
	if (context.args.length > 1) {
		throw new InvalidInputError(`'hush import keychain' takes no file: pass --service S (see hush import --help)`);
	}

	const service = flags['service'] as string | undefined;
	const account = flags['account'] as string | undefined;
	const name = flags['name'] as string | undefined;
	if (!service || !name || account === '') {
		throw new InvalidInputError(`'hush import keychain' needs --service S and --name NAME${account === '' ? ', and a non-empty --account' : ''} (see hush import --help)`);
	}

	assertValidName(name);
	const metadata = metadataFromFlags(flags);

	// Read the keychain before unlocking, so a missing item costs no passphrase prompt.
	let credentials: KeychainCredential[];
	if (account === undefined) {
		credentials = await findKeychainCredentials(service);
		if (credentials.length === 0) {
			throw new HushError(`the OS keychain has no items for service ${JSON.stringify(service)} (with an account attribute): nothing imported`);
		}
	} else {
		try {
			credentials = [{account, password: await readKeychainPassword(service, account)}];
		} catch (error) {
			if (error instanceof KeychainItemNotFoundError) {
				throw new HushError(`${error.message}: nothing imported`);
			}

			throw error;
		}
	}

	const values: SecretValues = {};
	const mapping: Array<[string, string]> = [];
	for (const credential of [...credentials].sort((a, b) => (a.account < b.account ? -1 : a.account > b.account ? 1 : 0))) {
		const base = envKey(credential.account);
		let key = base;
		for (let suffix = 2; key in values; suffix++) {
			key = `${base}_${suffix}`;
		}

		values[key] = credential.password;
		mapping.push([credential.account, key]);
	}

	const vault = await context.vault();
	const {secret, created} = vault.setSecret(name, values, {...metadata, private: privateFlag(flags)});
	for (const [from, key] of mapping) {
		context.say(`  account ${JSON.stringify(from)} → ${key}`);
	}

	if (flags['json'] === true) {
		context.printJson(secret);
	}

	context.say(
		`Imported ${mapping.length} ${mapping.length === 1 ? 'credential' : 'credentials'} from keychain service ${JSON.stringify(service)} into ${created ? 'new' : 'existing'} ${visibility(secret)} secret ${secret.name}`,
	);
}

/** An account name as an env-var-style key: upper case, anything else becomes `_`, never a leading digit. */
export function envKey(account: string): string {
	const key = account
		.toUpperCase()
		.replace(/[^A-Z0-9_]+/g, '_')
		.replace(/^_+|_+$/g, '');
	if (key === '') {
		return 'ACCOUNT';
	}

	return /^[0-9]/.test(key) ? `_${key}` : key;
}
