import {execFile} from 'node:child_process';
import {type KeychainCredential, KeychainEnumerationError, KeychainItemNotFoundError, findKeychainCredentials, readKeychainPassword} from './keychain.js';

/** Every credential of a service, and the items that could not be read (described, never their secret). */
export type KeychainListing = {credentials: KeychainCredential[]; skipped: string[]};

const genericSchema = 'org.freedesktop.Secret.Generic';

/**
 * keytar's listing crashes (in its child) when one item of the service has no `account`. On
 * Linux hush then asks the Secret Service itself, over D-Bus through `busctl`, for the items'
 * attributes only (never their secrets), reads each item that has an account through keytar as
 * usual, and reports the account-less ones as skipped. Elsewhere, or without busctl, the crash is
 * reported as before.
 */
export async function listKeychainService(service: string): Promise<KeychainListing> {
	try {
		return {credentials: await findKeychainCredentials(service), skipped: []};
	} catch (error) {
		if (!(error instanceof KeychainEnumerationError) || process.platform !== 'linux') {
			throw error;
		}

		let items: Array<Record<string, string>>;
		try {
			items = await secretServiceItems(service);
		} catch {
			throw error;
		}

		const credentials: KeychainCredential[] = [];
		const skipped: string[] = [];
		const accounts = new Set<string>();
		for (const attributes of items) {
			const account = attributes['account'];
			if (account === undefined || account === '') {
				const others = Object.entries(attributes)
					.filter(([name]) => name !== 'service' && name !== 'xdg:schema')
					.map(([name, value]) => `${name}=${JSON.stringify(value)}`);
				skipped.push(`an item with no account${others.length > 0 ? ` (${others.join(', ')})` : ''}`);
			} else if (!accounts.has(account)) {
				accounts.add(account);
				try {
					credentials.push({account, password: await readKeychainPassword(service, account)});
				} catch (readError) {
					if (!(readError instanceof KeychainItemNotFoundError)) {
						throw readError;
					}

					skipped.push(`account ${JSON.stringify(account)} (the keychain library cannot read it)`);
				}
			}
		}

		return {credentials, skipped};
	}
}

/** The attributes of every item (unlocked and locked) of the service, from the Secret Service's SearchItems. */
async function secretServiceItems(service: string): Promise<Array<Record<string, string>>> {
	const search = (await busctl(['call', 'org.freedesktop.secrets', '/org/freedesktop/secrets', 'org.freedesktop.Secret.Service', 'SearchItems', 'a{ss}', '2', 'service', service, 'xdg:schema', genericSchema])) as {data?: unknown};
	const lists = Array.isArray(search.data) ? (search.data as unknown[]) : [];
	const paths = lists.flatMap(list => (Array.isArray(list) ? list.filter((path): path is string => typeof path === 'string' && /^\/[\w/]+$/.test(path)) : []));
	const items: Array<Record<string, string>> = [];
	for (const path of paths) {
		const answer = (await busctl(['get-property', 'org.freedesktop.secrets', path, 'org.freedesktop.Secret.Item', 'Attributes'])) as {data?: unknown};
		if (typeof answer.data === 'object' && answer.data !== null) {
			items.push(Object.fromEntries(Object.entries(answer.data).filter((entry): entry is [string, string] => typeof entry[1] === 'string')));
		}
	}

	return items;
}

function busctl(args: readonly string[]): Promise<unknown> {
	return new Promise((resolve, reject) => {
		// Only what finding the session bus needs: none of hush's own secrets (HUSH_PASSPHRASE …).
		const env = Object.fromEntries(['PATH', 'HOME', 'XDG_RUNTIME_DIR', 'DBUS_SESSION_BUS_ADDRESS', 'LANG'].flatMap(name => (process.env[name] === undefined ? [] : [[name, process.env[name]]])));
		execFile('busctl', ['--user', '--json=short', ...args], {env, timeout: 10_000, maxBuffer: 1024 * 1024}, (error, stdout) => {
			if (error) {
				reject(error);
				return;
			}

			try {
				resolve(JSON.parse(stdout));
			} catch (parseError) {
				reject(parseError);
			}
		});
	});
}
