import {VaultNotFoundError, describeError} from '../errors.js';
import {unlockWithoutAsking} from '../unlock/index.js';
import {LockedVault, type Vault} from '../vault/vault.js';

/**
 * The TUI's first step, without Ink or React: find the vault and run the unlock chain's
 * non-interactive steps (a session, the OS keychain, HUSH_PASSPHRASE). `hush` starts it before it
 * loads the TUI's modules (commands/main.ts), so the unwrap (or argon2id, or the keychain's D-Bus
 * round trip) runs while they load; the app then shows whatever it settled to.
 */
export type UnlockStart =
	| {kind: 'create'}
	| {kind: 'failed'; error: string}
	| {kind: 'unlock'; locked: LockedVault; error: string | null}
	| {kind: 'open'; vault: Vault};

/** Which non-interactive step the chain tried, to name it when it failed. */
function unlockFailure(env: NodeJS.ProcessEnv): string {
	return env['HUSH_SESSION'] ? 'HUSH_SESSION' : env['HUSH_PASSPHRASE'] === undefined ? 'the OS keychain' : 'HUSH_PASSPHRASE';
}

/** Never rejects: every failure is a phase to show. */
export async function startUnlock(env: NodeJS.ProcessEnv): Promise<UnlockStart> {
	let locked: LockedVault;
	try {
		locked = LockedVault.open({home: env['HUSH_HOME']});
	} catch (error) {
		return error instanceof VaultNotFoundError ? {kind: 'create'} : {kind: 'failed', error: describeError(error)};
	}

	try {
		const found = await unlockWithoutAsking(locked, {env, command: 'tui'});
		if (found.vault) {
			return {kind: 'open', vault: found.vault};
		}

		const keychain = found.keychainProblem === undefined ? null : `the remembered device key could not be used (${found.keychainProblem}): type the passphrase`;
		return {kind: 'unlock', locked, error: keychain};
	} catch (error) {
		return {kind: 'unlock', locked, error: `${unlockFailure(env)} did not unlock the vault: ${describeError(error)}`};
	}
}

/** Closes what a start left open, when the TUI never got to show it (its modules failed to load). */
export async function abandonStart(started: Promise<UnlockStart>): Promise<void> {
	const start = await started;
	if (start.kind === 'open') {
		start.vault.close();
	} else if (start.kind === 'unlock') {
		start.locked.close();
	}
}
