import {HushError, VaultLockedError} from '../errors.js';
import {deviceSlot} from '../vault/keyslots.js';
import {LockedVault, type Vault} from '../vault/vault.js';

/**
 * The one unlock chain. Every way into the vault — each CLI command, the TUI, `hush mcp` and the
 * SDK — goes through here, in one order:
 *
 *   1. a session token (`HUSH_SESSION`, from `hush unlock`): set but wrong or expired is refused,
 *      never skipped, so a stale session is noticed rather than silently bypassed;
 *   2. the device key in the OS keychain (`hush unlock --remember`), tried only when the vault
 *      has a remembered device, so nothing loads the keychain otherwise (its module is imported
 *      then, not at start-up: a session's `hush get` never pays for it); a keychain that fails
 *      falls through to the passphrase with a warning;
 *   3. `HUSH_PASSPHRASE`;
 *   4. asking a person (the CLI's hidden prompt, the TUI's unlock screen), where one can answer.
 *
 * It knows nothing of terminals: the caller says how to ask, or that nobody can be asked.
 */

/** A step of the chain a caller allows; `passphrase` covers HUSH_PASSPHRASE and asking. */
export type UnlockMethod = 'session' | 'keychain' | 'passphrase';

export const allUnlockMethods: readonly UnlockMethod[] = ['session', 'keychain', 'passphrase'];

/** How the vault was opened, for `hush status` and messages. */
export type UnlockedBy = 'session' | 'keychain' | 'HUSH_PASSPHRASE' | 'passphrase' | 'prompt';

export type Unlocked = {vault: Vault; by: UnlockedBy};

export type UnlockRequest = {
	/** The vault's folder; default HUSH_HOME from `env`, else the platform's data folder. */
	home?: string;
	env: NodeJS.ProcessEnv;
	/** Recorded in the audit log as the command that opened the vault. */
	command: string;
	/** Recorded in the audit log as who acted (default: the OS user). */
	actor?: string;
	/** The steps this caller accepts (e.g. `hush passwd` insists on the passphrase). */
	methods?: readonly UnlockMethod[];
	/** An explicit passphrase (the SDK's option): used instead of anything from the environment. */
	passphrase?: string;
	/** An explicit session token (the SDK's option): used instead of HUSH_SESSION. */
	session?: string;
	/** Asks a person for the passphrase; absent where nobody can answer (MCP, pipes, the SDK). */
	ask?: () => Promise<string>;
	/** What to tell the user when nothing could unlock and nobody can be asked. */
	lockedHint?: string;
	/** A non-fatal problem on the way (a keychain that did not answer). */
	warn?: (message: string) => void;
};

/** What {@link unlockWithoutAsking} found when no step opened the vault. */
export type NotUnlocked = {vault: undefined; keychainProblem?: string};

const defaultHint =
	"set HUSH_SESSION from 'hush unlock', run 'hush unlock --remember' once to use the OS keychain, or set HUSH_PASSPHRASE";

/** Opens the vault file and runs the whole chain; the file is closed again if unlocking fails. */
export async function unlockVault(request: UnlockRequest): Promise<Unlocked> {
	const locked = LockedVault.open({home: request.home ?? request.env['HUSH_HOME']});
	try {
		return await unlockLocked(locked, request);
	} catch (error) {
		locked.close();
		throw error;
	}
}

/** Runs the chain on a vault file that is already open (the TUI opens it first to know it exists). */
export async function unlockLocked(locked: LockedVault, request: UnlockRequest): Promise<Unlocked> {
	const found = await unlockWithoutAsking(locked, request);
	if (found.vault) {
		return found;
	}

	const methods = request.methods ?? allUnlockMethods;
	if (!methods.includes('passphrase') || request.ask === undefined) {
		const because = found.keychainProblem === undefined ? '' : ` (its remembered device key could not be used: ${found.keychainProblem})`;
		throw new VaultLockedError(`the vault is locked${because}: ${request.lockedHint ?? defaultHint}`);
	}

	if (found.keychainProblem !== undefined) {
		request.warn?.(`the remembered device key could not be used (${found.keychainProblem}); unlocking with the passphrase`);
	}

	const passphrase = await request.ask();
	return {vault: await locked.unlockWithPassphrase(passphrase, {command: request.command, actor: request.actor}), by: 'prompt'};
}

/**
 * Every step that needs nobody at the keyboard. Resolves with no vault when none applies; throws
 * when a step that applies fails (a wrong session, a wrong HUSH_PASSPHRASE).
 */
export async function unlockWithoutAsking(locked: LockedVault, request: UnlockRequest): Promise<Unlocked | NotUnlocked> {
	const methods = request.methods ?? allUnlockMethods;
	const context = {command: request.command, actor: request.actor};
	if (request.passphrase !== undefined) {
		return {vault: await locked.unlockWithPassphrase(request.passphrase, context), by: 'passphrase'};
	}

	const session = request.session ?? request.env['HUSH_SESSION'];
	if (methods.includes('session') && session !== undefined && session !== '') {
		return {vault: locked.unlockWithSession(session, context), by: 'session'};
	}

	let keychainProblem: string | undefined;
	if (methods.includes('keychain') && locked.hasKeyslot(deviceSlot)) {
		try {
			const {readDeviceKey} = await import('../keychain/device-key.js');
			const key = await readDeviceKey(locked.id);
			try {
				return {vault: locked.unlockWithDeviceKey(key, context), by: 'keychain'};
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

	const fromEnv = request.env['HUSH_PASSPHRASE'];
	if (methods.includes('passphrase') && fromEnv !== undefined) {
		if (keychainProblem !== undefined) {
			request.warn?.(`the remembered device key could not be used (${keychainProblem}); unlocking with the passphrase`);
		}

		return {vault: await locked.unlockWithPassphrase(fromEnv, context), by: 'HUSH_PASSPHRASE'};
	}

	return {vault: undefined, keychainProblem};
}
