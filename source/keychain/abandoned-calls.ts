/**
 * Keychain calls that outlived their deadline: the native call may still be holding the event loop.
 * Kept apart from keychain.ts so the CLI can release them at the end of every command without
 * loading the keychain module (and child_process and net with it) for commands that never used it.
 */
let abandonedCalls = 0;

export function noteAbandonedKeychainCall(): void {
	abandonedCalls++;
}

/**
 * For the CLI, once its work is done: a keychain call that outlived its deadline may still hold
 * the event loop inside the native module; stop waiting for its callback. (libsecret gives up on
 * its own D-Bus call after 25 s, and the process ends then; the TUI never calls this.)
 */
export function releaseAbandonedKeychainCalls(): void {
	if (abandonedCalls > 0) {
		setTimeout(() => process.exit(), 0).unref();
	}
}
