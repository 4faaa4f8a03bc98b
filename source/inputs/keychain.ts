import {KeychainItemNotFoundError, readKeychainPassword} from '../keychain/keychain.js';
import {InvalidInputError} from '../errors.js';

export type KeychainReference = {key: string; service: string; account: string; spec: string};

/**
 * `--keychain KEY=SERVICE:ACCOUNT`: the service ends at the first colon (accounts may contain
 * colons, e.g. `vault:…`). Every spec is checked before the keychain is asked anything.
 */
export function parseKeychainSpec(spec: string): KeychainReference {
	const equals = spec.indexOf('=');
	const colon = spec.indexOf(':', equals + 1);
	const key = spec.slice(0, Math.max(equals, 0));
	const service = equals === -1 || colon === -1 ? '' : spec.slice(equals + 1, colon);
	const account = colon === -1 ? '' : spec.slice(colon + 1);
	if (equals <= 0 || service === '' || account === '') {
		throw new InvalidInputError(`--keychain ${spec}: expected KEY=SERVICE:ACCOUNT`);
	}

	return {key, service, account, spec};
}

/** Reads each value from the OS keychain. A missing item is bad input (exit 2); no keychain is exit 1. */
export async function readValuesFromKeychain(specs: readonly string[]): Promise<Array<[string, string]>> {
	const references = specs.map(spec => parseKeychainSpec(spec));
	const values: Array<[string, string]> = [];
	for (const {key, service, account, spec} of references) {
		try {
			values.push([key, await readKeychainPassword(service, account)]);
		} catch (error) {
			if (error instanceof KeychainItemNotFoundError) {
				throw new InvalidInputError(`--keychain ${spec}: the OS keychain has no item for service ${JSON.stringify(service)} and account ${JSON.stringify(account)}`);
			}

			throw error;
		}
	}

	return values;
}
