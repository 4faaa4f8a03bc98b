import type {Vault} from '../vault/vault.js';
import {unlockVault} from './chain.js';

export type OpenVaultOptions = {
	/** The vault's folder; default HUSH_HOME, else the platform's data folder. */
	home?: string;
	/** Unlocks with this passphrase, skipping everything else. */
	passphrase?: string;
	/** Unlocks with this session token (from `hush unlock --raw`) instead of HUSH_SESSION. */
	session?: string;
	/** Recorded in the audit log as the actor (default: the OS user). */
	actor?: string;
	/** Recorded in the audit log as the command (default `sdk`). */
	command?: string;
};

/**
 * Opens and unlocks the vault for a program, through the same chain as the CLI: an explicit
 * passphrase or session if given, else HUSH_SESSION, the OS keychain (a remembered device), then
 * HUSH_PASSPHRASE. It never prompts: with none of them it throws a VaultLockedError.
 */
export async function openVault(options: OpenVaultOptions = {}): Promise<Vault> {
	const {vault} = await unlockVault({
		home: options.home,
		env: process.env,
		command: options.command ?? 'sdk',
		actor: options.actor,
		passphrase: options.passphrase,
		session: options.session,
		lockedHint: 'pass a passphrase or session to openVault, set HUSH_SESSION or HUSH_PASSPHRASE, or remember this device with hush unlock --remember',
	});
	return vault;
}
