import {HushError, InvalidInputError} from '../../errors.js';
import {type KeychainCredential, KeychainItemNotFoundError, readKeychainPassword} from '../../keychain/keychain.js';
import {listKeychainService} from '../../keychain/list-service.js';
import {type SecretValues, assertValidName} from '../../vault/model.js';
import {visibility} from '../shared/format.js';
import {metadataFromFlags, privateFlag} from '../shared/secret-flags.js';
import type {CommandContext} from '../spec.js';
import {envKey} from './env-key.js';

/**
 * `hush import keychain --service S [--account A] --name NAME`: one key per account. An item the
 * keychain library cannot list (no account attribute) is skipped and named in a warning; the rest
 * is imported (exit 0), as long as there is a rest.
 */
export async function importKeychain(context: CommandContext): Promise<void> {
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
		const listing = await listKeychainService(service);
		credentials = listing.credentials;
		for (const skipped of listing.skipped) {
			context.say(`hush: warning: keychain service ${JSON.stringify(service)}: skipped ${skipped}; give it an "account" attribute to import it`);
		}

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
		const base = envKey(credential.account, 'ACCOUNT');
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
