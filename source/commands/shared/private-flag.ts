/**
 * `--private=true|false` as an optional choice. On its own, away from secret-flags.ts, so a command
 * that only reads (`hush get`) does not load the value collectors (stdin, files, the keychain).
 */
export function privateFlag(flags: Record<string, unknown>): boolean | undefined {
	return flags['private'] === undefined ? undefined : flags['private'] === true;
}
