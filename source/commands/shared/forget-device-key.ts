import {HushError} from '../../errors.js';
import {forgetDevice} from '../../keychain/device-key.js';
import type {CommandContext} from '../spec.js';

/**
 * Deletes a remembered device's key from the OS keychain after its key slot is gone. The slot was
 * what let the key open the vault, so a keychain that refuses only leaves an item that opens
 * nothing: a warning, not a failure.
 */
export async function forgetDeviceKey(context: CommandContext, vaultId: string): Promise<void> {
	try {
		await forgetDevice(vaultId);
	} catch (error) {
		if (!(error instanceof HushError)) {
			throw error;
		}

		context.say(`hush: warning: the device key slot is removed, but its keychain item could not be deleted: ${error.message}`);
	}
}
