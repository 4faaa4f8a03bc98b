import type {Assignment} from '../inputs/assignments.js';
import type {UnlockMethod, UnlockedBy} from '../unlock/index.js';
import type {Vault} from '../vault/vault.js';

export type FlagSpec = {
	type: 'string' | 'boolean' | 'number';
	isMultiple?: boolean;
	shortFlag?: string;
};

export type FlagSpecs = Record<string, FlagSpec>;

export type Io = {
	stdin: NodeJS.ReadStream;
	stdout: NodeJS.WriteStream;
	stderr: NodeJS.WriteStream;
	env: NodeJS.ProcessEnv;
};

export type CommandContext = {
	/** Positional arguments after the command name. */
	args: string[];
	/** Parsed flags by camel-case name (`--show-values` → `showValues`). */
	flags: Record<string, unknown>;
	/** `--KEY=VALUE` pairs, for commands that take values; key names exactly as typed. */
	assignments: Assignment[];
	/** Everything after a bare `--`, untouched (the command `hush run` starts). */
	rest: string[];
	io: Io;
	/**
	 * Unlocks the vault once, on first use, through the one chain (source/unlock): session,
	 * keychain, HUSH_PASSPHRASE, then a prompt on a terminal. `methods` narrows the chain.
	 */
	vault(methods?: readonly UnlockMethod[]): Promise<Vault>;
	/** How {@link vault} opened the vault; undefined before it has. */
	unlockedBy(): UnlockedBy | undefined;
	/**
	 * Human-readable output on stdout. Control characters that reach it (from a planted record, say)
	 * are shown as visible escapes (source/text/visible.ts); newlines stay. Data that must stay exact
	 * (`get`, `export`, a session token) is written to `io.stdout` directly, and JSON via printJson.
	 */
	print(text: string): void;
	/** One line for the person at the terminal, on stderr; control characters (line breaks too) escaped. */
	say(message: string): void;
	/** Structured output on stdout. */
	printJson(value: unknown): void;
};

export type CommandSpec = {
	name: string;
	/** One line for `hush --help`. */
	summary: string;
	/** e.g. `hush get NAME KEY`. */
	usage: string;
	/** Options and examples for `hush CMD --help`. */
	help: string;
	flags: FlagSpecs;
	args: {min: number; max: number; names: string};
	/** Whether unknown `--KEY=VALUE` flags are secret values (set, create, update). */
	takesValues?: boolean;
	run(context: CommandContext): Promise<number | void>;
};
