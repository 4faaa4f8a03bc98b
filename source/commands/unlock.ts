import {type PromptStreams, canPrompt, promptLine} from '../inputs/prompt.js';
import {VaultLockedError} from '../vault/errors.js';
import {LockedVault, type Vault} from '../vault/vault.js';

/**
 * Unlock order for every command: HUSH_PASSPHRASE, then a hidden prompt when stdin is a terminal.
 * The vault file is opened first, so a missing vault is reported before anyone is asked anything.
 */
export async function unlockForCommand(streams: PromptStreams & {env: NodeJS.ProcessEnv}, command: string): Promise<Vault> {
	const locked = LockedVault.open({home: streams.env['HUSH_HOME']});
	try {
		const passphrase = streams.env['HUSH_PASSPHRASE'] ?? (await askPassphrase(streams));
		return await locked.unlockWithPassphrase(passphrase, {command});
	} catch (error) {
		locked.close();
		throw error;
	}
}

async function askPassphrase(streams: PromptStreams): Promise<string> {
	if (!canPrompt(streams)) {
		throw new VaultLockedError('the vault is locked: set HUSH_PASSPHRASE, or run hush in a terminal to be asked for the passphrase');
	}

	return promptLine(streams, 'Vault passphrase: ', {hidden: true});
}
