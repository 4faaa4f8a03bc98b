import {HushError} from '../vault/errors.js';

/**
 * The only module that touches the OS keychain (macOS Keychain, Windows Credential Manager, Linux
 * Secret Service). Everything else in hush asks through these functions, so a missing or hung
 * keychain is one clear error here and never a crash elsewhere.
 */

/** No keychain can be reached (no native module, no Secret Service, locked). */
export class KeychainUnavailableError extends HushError {}

/** Reads one password (SERVICE:ACCOUNT) from the OS keychain. */
export async function readKeychainPassword(service: string, account: string): Promise<string> {
	throw new KeychainUnavailableError(`cannot read ${service}:${account}: OS keychain support is not built into this hush yet`);
}
