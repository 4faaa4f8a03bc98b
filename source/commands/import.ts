import {type KeychainCredential, KeychainItemNotFoundError, findKeychainCredentials, readKeychainPassword} from '../keychain/keychain.js';
import {decodeUtf8} from '../inputs/value-file.js';
import {parseDotenv} from '../runtime/dotenv.js';
import {readPipedInput, readTextFile} from '../runtime/read-input.js';
import {HushError, InvalidInputError} from '../errors.js';
import {type SecretValues, assertValidName, assertValidValues} from '../vault/model.js';
import {visibility} from './shared/format.js';
import {metadataFlags, metadataFromFlags, metadataHelp, privateFlag} from './shared/secret-flags.js';
import type {CommandContext, CommandSpec} from './spec.js';

/** `hush import SOURCE …`: each source is one function, so more sources slot in beside these. */
const sources: Record<string, (context: CommandContext) => Promise<void>> = {dotenv: importDotenv, keychain: importKeychain};

export const importCommand: CommandSpec = {
	name: 'import',
	summary: 'Create or fill a secret from a .env file or the OS keychain',
	usage: 'hush import dotenv FILE|- --name NAME | hush import keychain --service S [--account A] --name NAME',
	help: `dotenv: reads KEY=value lines (export prefixes, # comments, single- and double-quoted values,
multi-line quoted values) from FILE, or standard input with -, and creates secret NAME with every
key. Fails if NAME exists, or if any line or key name is invalid (the message names the line, never
a value). The type defaults to env_var.

keychain: copies the OS keychain items of service S (every account, or only --account A) into
secret NAME, one key per account. Account names become env-var-safe keys (bob@example.com →
BOB_EXAMPLE_COM); each mapping is reported. NAME is created, or its keys are updated (like set).

Options:
  --name NAME           the secret to create (dotenv) or copy into (keychain)
  --service S           keychain: the service to copy from
  --account A           keychain: only this account
  --private[=true|false] create as private; keychain: or pick which existing secret to update

${metadataHelp}

Examples:
  hush import dotenv .env --name myapp-dev
  cat .env.production | hush import dotenv - --name myapp-prod --private --write-only
  hush import keychain --service github.com --name github
  hush import keychain --service aws --account ci-deploy --name aws-ci --private`,
	flags: {service: {type: 'string'}, account: {type: 'string'}, name: {type: 'string'}, private: {type: 'boolean'}, ...metadataFlags},
	args: {min: 1, max: 2, names: 'SOURCE'},
	async run(context) {
		const source = context.args[0]!;
		const run = sources[source];
		if (!run) {
			throw new InvalidInputError(`unknown import source ${JSON.stringify(source)}: use ${Object.keys(sources).join(', ')} (see hush import --help)`);
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

async function importDotenv(context: CommandContext): Promise<void> {
	const source = context.args[1];
	if (source === undefined) {
		throw new InvalidInputError(`'hush import dotenv' needs a FILE, or - for standard input (see hush import --help)`);
	}

	const name = context.flags['name'] as string | undefined;
	if (name === undefined) {
		throw new InvalidInputError('give the secret to create with --name NAME (see hush import --help)');
	}

	assertValidName(name);
	const metadata = metadataFromFlags(context.flags);
	let text: string;
	if (source === '-') {
		try {
			text = decodeUtf8(await readPipedInput(context.io.stdin, 'a .env file'));
		} catch (error) {
			throw error instanceof InvalidInputError ? error : new InvalidInputError('standard input is not UTF-8 text');
		}
	} else {
		text = readTextFile(source, '.env file');
	}

	const values: Record<string, string> = {};
	for (const [key, value] of parseDotenv(text)) {
		if (key in values) {
			throw new InvalidInputError(`key ${key} appears twice in ${source === '-' ? 'standard input' : source}`);
		}

		values[key] = value;
	}

	if (Object.keys(values).length === 0) {
		throw new InvalidInputError(`${source === '-' ? 'standard input' : source} holds no KEY=value lines`);
	}

	assertValidValues(values);
	const vault = await context.vault();
	const secret = vault.createSecret(name, values, {type: 'env_var', ...metadata, private: privateFlag(context.flags) ?? false});
	if (context.flags['json'] === true) {
		context.printJson(secret);
	}

	context.say(`Imported ${secret.keys.length} ${secret.keys.length === 1 ? 'key' : 'keys'} into ${visibility(secret)} secret ${secret.name}`);
}
