/**
 * Typed errors, so callers (the CLI, the TUI, SDK users) can tell a missing secret from a locked
 * vault from a tampered file. Every message is one line, names what went wrong and, where there is
 * one, the next step. No message ever contains a secret value.
 */

/** Process exit codes shared by every hush command. */
export const ExitCode = {ok: 0, failure: 1, usage: 2} as const;

export class HushError extends Error {
	/** The exit status the CLI uses for this error. */
	readonly exitCode: number = ExitCode.failure;

	constructor(message: string) {
		super(message);
		this.name = new.target.name;
	}
}

/** Bad input from the user: a name, a key, a flag, a file. Exit 2. */
export class InvalidInputError extends HushError {
	override readonly exitCode = ExitCode.usage;
}

/** A passphrase is needed and none could be obtained without prompting. Exit 2. */
export class VaultLockedError extends HushError {
	override readonly exitCode = ExitCode.usage;
}

export class VaultNotFoundError extends HushError {}

export class VaultExistsError extends HushError {}

export class SecretNotFoundError extends HushError {}

export class SecretExistsError extends HushError {}

export class KeyNotFoundError extends HushError {}

/** The secret is write-only: usable at runtime, never shown. */
export class WriteOnlyError extends HushError {}

/**
 * A team record whose key this device does not hold: its team generation has not reached this
 * device yet (no approval, or no sync since a re-key), or this member was removed.
 */
export class TeamKeyMissingError extends HushError {}

/** The caller's team role (list) opens a team record's metadata but never its values. */
export class ValuesUnavailableError extends HushError {}

/** Authentication failed: a tampered byte, a swapped record, or a damaged file. */
export class IntegrityError extends HushError {}

/** The records do not match their rollback digest, or SQL planted in the file would defeat it: the whole vault, not one record. */
export class RollbackError extends IntegrityError {}

/** The passphrase did not open the key slot (or the slot itself was altered). */
export class WrongPassphraseError extends IntegrityError {}

/** The file's KDF parameters are outside hush's floors and ceilings; nothing was derived. */
export class KdfParametersError extends IntegrityError {}

/** The vault file was written by a newer hush, or is not a hush vault at all. */
export class UnsupportedFormatError extends HushError {}

/**
 * The one line a person sees for any error: a HushError's own message (written for them, never
 * holding a value), or the first line of anything else, marked as unexpected. Callers add their
 * prefix ("hush: ", "sync failed: ") and, for unexpected errors, the HUSH_DEBUG hint.
 */
export function describeError(error: unknown): string {
	if (error instanceof HushError) {
		return error.message;
	}

	return `unexpected error: ${firstLine(error)}`;
}

/** The first line of any error's message, for places that always report it as unexpected. */
export function firstLine(error: unknown): string {
	const message = error instanceof Error ? error.message : String(error);
	return message.split('\n')[0] ?? '';
}
