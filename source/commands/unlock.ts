import {type PromptStreams, canPrompt, promptLine} from '../inputs/prompt.js';
import {readDeviceKey} from '../keychain/device-key.js';
import {HushError, VaultLockedError} from '../errors.js';
import {deviceSlot} from '../vault/keyslots.js';
import {LockedVault, type Vault} from '../vault/vault.js';

/** The ways a command may unlock, in the order they are tried. */
export type UnlockMethod = 'session' | 'keychain' | 'passphrase';

export const allUnlockMethods: readonly UnlockMethod[] = ['session', 'keychain', 'passphrase'];

/**
 * Unlock order for every command: HUSH_SESSION (a token from `hush unlock`), then the device key in
 * the OS keychain (only when the vault has a remembered device, so nothing loads the keychain
 * otherwise), then HUSH_PASSPHRASE, then a hidden prompt when stdin is a terminal. A session that
 * is set but wrong or expired is refused, not skipped. A keychain that fails falls through to the
 * passphrase with a warning. The vault file is opened first, so a missing vault is reported before
 * anyone is asked anything.
 */
export async function unlockForCommand(
	streams: PromptStreams & {env: NodeJS.ProcessEnv},
	command: string,
	methods: readonly UnlockMethod[] = allUnlockMethods,
): Promise<Vault> {
	const locked = LockedVault.open({home: streams.env['HUSH_HOME']});
	try {
		const session = streams.env['HUSH_SESSION'];
		if (methods.includes('session') && session !== undefined && session !== '') {
			return locked.unlockWithSession(session, {command});
		}

		let keychainProblem: string | undefined;
		if (methods.includes('keychain') && locked.hasKeyslot(deviceSlot)) {
			try {
				const key = await readDeviceKey(locked.id);
				try {
					return locked.unlockWithDeviceKey(key, {command});
				} finally {
					key.fill(0);
				}
			} catch (error) {
				if (!(error instanceof HushError)) {
					throw error;
				}

				keychainProblem = error.message;
			}
		}

		const fromEnv = streams.env['HUSH_PASSPHRASE'];
		if (fromEnv === undefined && keychainProblem !== undefined && !canPrompt(streams)) {
			throw new VaultLockedError(`the vault is locked: its remembered device key could not be used (${keychainProblem}); or set HUSH_PASSPHRASE`);
		}

		if (keychainProblem !== undefined) {
			streams.stderr.write(`hush: warning: the remembered device key could not be used (${keychainProblem}); unlocking with the passphrase\n`);
		}

		const passphrase = fromEnv ?? (await askPassphrase(streams));
		return await locked.unlockWithPassphrase(passphrase, {command});
	} catch (error) {
		locked.close();
		throw error;
	}
}

async function askPassphrase(streams: PromptStreams): Promise<string> {
	if (!canPrompt(streams)) {
		throw new VaultLockedError(
			"the vault is locked: set HUSH_PASSPHRASE, or run hush in a terminal to be asked for the passphrase (or set HUSH_SESSION from 'hush unlock', or run 'hush unlock --remember' once)",
		);
	}

	return promptLine(streams, 'Vault passphrase: ', {hidden: true});
}
