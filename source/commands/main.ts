import {ExitCode, HushError, InvalidInputError, describeError} from '../errors.js';
import type {UnlockedBy} from '../unlock/index.js';
import type {Vault} from '../vault/vault.js';
import {parseArgs} from './parse-args.js';
import {jsonText} from './shared/format.js';
import {nearestName} from './shared/nearest-name.js';
import {commandNames, loadCommand, loadCommands} from './registry.js';
import type {CommandContext, CommandSpec, Io} from './spec.js';
import {releaseAbandonedKeychainCalls} from '../keychain/abandoned-calls.js';
import {visible, visibleLines} from '../text/visible.js';
import {version} from '../version.js';

export {version};

function globalHelp(commands: readonly CommandSpec[]): string {
	const width = Math.max(...commands.map(command => command.name.length));
	return `hush ${version} — secrets in an encrypted local vault

Usage
  hush                      the full-screen TUI (in a terminal; press ? there for its keys)
  hush COMMAND [ARGS] [FLAGS]
  hush COMMAND --help       options and examples for one command

Commands
${commands.map(command => `  ${command.name.padEnd(width)}  ${command.summary}`).join('\n')}

Environment
  HUSH_HOME        where the vault lives (default: your platform's data folder)
  HUSH_PASSPHRASE  unlocks without a prompt (for scripts and CI)
  HUSH_SESSION     a session from 'hush unlock': unlocks until it ends (tried first)
  HUSH_SECRET_VALIDATION_LEVEL  default level for hush check (NONE, SECRET_EXISTS, SECRET_AND_KEY_EXISTS)

Exit status: 0 success, 1 failure (not found, refused, integrity), 2 usage error.
`;
}

function commandHelp(command: CommandSpec): string {
	return `Usage: ${command.usage}\n\n${command.summary}.\n\n${command.help}\n`;
}

/** Runs one hush invocation and returns its exit status; never throws for user mistakes. */
export async function main(argv: readonly string[], io: Io): Promise<number> {
	let vault: Vault | undefined;
	let unlockedBy: UnlockedBy | undefined;
	try {
		const [name, ...rest] = argv;
		if (name === undefined) {
			return await openTui(io);
		}

		if (name === '--help' || name === '-h' || name === 'help') {
			const topic = name === 'help' && rest[0] ? await loadCommand(rest[0]) : undefined;
			io.stdout.write(topic ? commandHelp(topic) : globalHelp(await loadCommands()));
			return ExitCode.ok;
		}

		if (name === '__complete') {
			return await printCompletions(rest, io);
		}

		if (name === '--version' || name === '-v') {
			io.stdout.write(`${version}\n`);
			return ExitCode.ok;
		}

		const command = await loadCommand(name);
		if (!command) {
			const nearest = nearestName(name, commandNames);
			throw new InvalidInputError(`unknown command ${JSON.stringify(name)}${nearest ? ` — did you mean ${nearest}?` : ': see hush --help'}`);
		}

		const beforeDashes = rest.indexOf('--') === -1 ? rest : rest.slice(0, rest.indexOf('--'));
		if (beforeDashes.includes('--help') || beforeDashes.includes('-h')) {
			io.stdout.write(commandHelp(command));
			return ExitCode.ok;
		}

		const {args, flags, assignments, rest: afterDashes} = parseArgs(command.name, rest, command.flags, command.takesValues ?? false);
		const {min, max, names} = command.args;
		if (args.length < min || args.length > max) {
			const expected = max === 0 ? 'no arguments' : names;
			throw new InvalidInputError(`'hush ${command.name}' takes ${expected}${args.length > max ? `, but got ${args.length}` : ''} (see hush ${command.name} --help)`);
		}

		const context: CommandContext = {
			args,
			flags,
			assignments,
			rest: afterDashes,
			io,
			async vault(methods) {
				if (vault === undefined) {
					// The vault's modules load here, not at start-up, so `hush --version`, help and
					// usage errors never pay for them.
					const {askOnTerminal, unlockVault} = await import('../unlock/index.js');
					const unlocked = await unlockVault({
						env: io.env,
						command: command.name,
						methods,
						// Read only when no session, keychain or HUSH_PASSPHRASE opened the vault: both
						// look at stdin, which Node makes on first use (cli.tsx).
						get ask() {
							return askOnTerminal(io);
						},
						get lockedHint() {
							return lockedHint(io);
						},
						warn: message => io.stderr.write(`hush: warning: ${visible(message)}\n`),
					});
					({vault, by: unlockedBy} = unlocked);
				}

				return vault;
			},
			unlockedBy: () => unlockedBy,
			print(text) {
				io.stdout.write(visibleLines(text));
			},
			say(message) {
				io.stderr.write(`${visible(message)}\n`);
			},
			printJson(value) {
				io.stdout.write(jsonText(value, io.stdout.isTTY === true));
			},
		};
		return (await command.run(context)) ?? ExitCode.ok;
	} catch (error) {
		return reportError(error, io);
	} finally {
		vault?.close();
		releaseAbandonedKeychainCalls();
	}
}

/**
 * `hush __complete -- WORDS…`, called by the scripts of `hush completion`: candidates on stdout,
 * one a line. Silent and exit 0 whatever happens, and never longer than a TAB should take.
 */
async function printCompletions(argv: readonly string[], io: Io): Promise<number> {
	const words = argv[0] === '--' ? argv.slice(1) : argv;
	const {completeWords, vaultWithoutAsking} = await import('./shared/complete-words.js');
	const lookup = vaultWithoutAsking(io.env);
	let timer: NodeJS.Timeout | undefined;
	try {
		const candidates = await Promise.race([
			loadCommands().then(async commands => completeWords(words.length === 0 ? [''] : words, commands, lookup)),
			new Promise<string[]>(resolve => {
				timer = setTimeout(resolve, completionTimeout, []);
			}),
		]);
		if (candidates.length > 0) {
			io.stdout.write(`${candidates.join('\n')}\n`);
		}
	} catch {
		// A completion that fails offers nothing; it must not print over the prompt line.
	} finally {
		clearTimeout(timer);
		lookup.close();
	}

	return ExitCode.ok;
}

const completionTimeout = 1500;

/**
 * `hush` alone opens the full-screen TUI. It is loaded on demand, so Ink and React stay off the
 * start-up path of every other command; without a terminal, say which commands to use instead.
 */
async function openTui(io: Io): Promise<number> {
	if (!io.stdin.isTTY || !io.stdout.isTTY) {
		throw new InvalidInputError(
			"the full-screen TUI needs a terminal on stdin and stdout: in scripts use 'hush list', 'hush show NAME' or 'hush get NAME KEY' (see hush --help)",
		);
	}

	// The unlock chain starts before Ink and React load. import() reads and compiles the TUI's
	// modules before it returns, on this thread, so only work already handed elsewhere overlaps
	// them: argon2id for HUSH_PASSPHRASE, on libuv's thread pool. A session's unwrap is synchronous
	// and done by the time the import begins; the keychain's lookup starts once it returns.
	const {abandonStart, startUnlock} = await import('../tui/start-unlock.js');
	const started = startUnlock(io.env);
	const loading = import('../tui/run.js');
	let runTui: Awaited<typeof loading>['runTui'];
	try {
		({runTui} = await loading);
	} catch (error) {
		await abandonStart(started);
		throw error;
	}

	return runTui(io, started);
}

/** One line on stderr. A stack trace only for hush's own bugs, and only with HUSH_DEBUG=1. */
function reportError(error: unknown, io: Io): number {
	if (error instanceof HushError) {
		io.stderr.write(`hush: ${visible(error.message)}\n`);
		return error.exitCode;
	}

	io.stderr.write(`hush: ${visible(describeError(error))}${io.env['HUSH_DEBUG'] ? '' : ' (set HUSH_DEBUG=1 for details)'}\n`);
	if (io.env['HUSH_DEBUG'] && error instanceof Error && error.stack) {
		io.stderr.write(`${visibleLines(error.stack)}\n`);
	}

	return ExitCode.failure;
}

/** What a command says when the vault is locked and nobody can be asked (no terminal anywhere). */
function lockedHint(io: Io): string {
	const why = io.stdin.isTTY ? '' : ' (standard input is a pipe or file, and there is no terminal to ask on)';
	return `set HUSH_PASSPHRASE, or run hush in a terminal to be asked for the passphrase${why}, or set HUSH_SESSION from 'hush unlock', or run 'hush unlock --remember' once`;
}
