import {spawn} from 'node:child_process';
import {constants} from 'node:os';
import {HushError, InvalidInputError} from '../errors.js';
import {MaskingStream, shortValueLength} from '../runtime/masking.js';
import {childEnvironment, injectedEnvironment} from '../runtime/environment.js';
import {visible} from '../text/visible.js';
import type {CommandSpec} from './spec.js';

const forwardedSignals = ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGQUIT'] as const;

export const run: CommandSpec = {
	name: 'run',
	summary: 'Run a command with secrets in its environment, values masked in its output',
	usage: 'hush run [--secret NAME]... [--all] [--allow-env NAME]... [--keep-hush-env] [--no-masking] -- CMD [ARGS...]',
	help: `Starts CMD with every key of the named secrets as an environment variable (write-only secrets
included). Values go only into the child's environment, never into any command line. Each injection
is logged in the audit log.

Keys that change how programs load or start (NODE_OPTIONS, LD_PRELOAD, DYLD_*, BASH_ENV, PATH,
PYTHONPATH, JAVA_TOOL_OPTIONS, GIT_SSH_COMMAND, ...) are refused, and CMD is not started, unless
this command names each one with --allow-env: whoever can change a shared secret could otherwise
run their code on your machine.

hush's own secrets (HUSH_PASSPHRASE, HUSH_NEW_PASSPHRASE, HUSH_SESSION, HUSH_SERVER_DB) are removed
from CMD's environment unless --keep-hush-env is given (for a CMD that runs hush itself).

CMD's exit status is hush's exit status (127 if CMD cannot be started; 128+N if it dies of signal
N, which hush then re-raises). SIGTERM, SIGHUP, SIGINT and SIGQUIT sent to hush are passed to CMD
(on a terminal, Ctrl-C and Ctrl-\\ already reach CMD directly, so they are not sent twice).

Masking (on by default): any injected value that appears in CMD's standard output or error is
replaced with ***, even when it arrives split across writes, and so is its base64, base64url, hex,
percent-encoded or JSON-escaped form. A value under ${shortValueLength} characters is masked only where it
stands alone (not inside a word): masking every "x" would wreck the output and give the value away.
CMD's output goes through a pipe, so CMD does not see a terminal there; --no-masking hands CMD the
terminal directly.

Options:
  --secret NAME      inject every key of secret NAME; repeatable
                     (private:NAME or public:NAME picks one of two that share a name)
  --all              inject every secret in the vault
  --allow-env NAME   inject key NAME even though it changes how programs load or start; repeatable
  --keep-hush-env    pass HUSH_PASSPHRASE, HUSH_SESSION and hush's other secrets on to CMD
  --no-masking       do not filter CMD's output (CMD gets the terminal)

Two secrets with the same key name are refused, naming both.

Examples:
  hush run --secret openai-creds -- python app.py
  hush run --secret db --secret stripe -- npm start
  hush run --all --no-masking -- bash
  hush run --secret node-debug --allow-env NODE_OPTIONS -- node server.js`,
	flags: {
		secret: {type: 'string', isMultiple: true},
		all: {type: 'boolean'},
		allowEnv: {type: 'string', isMultiple: true},
		keepHushEnv: {type: 'boolean'},
		masking: {type: 'boolean'},
	},
	args: {min: 0, max: 0, names: ''},
	async run(context) {
		const names = (context.flags['secret'] as string[] | undefined) ?? [];
		const all = context.flags['all'] === true;
		const masking = context.flags['masking'] !== false;
		const allowEnv = (context.flags['allowEnv'] as string[] | undefined) ?? [];
		const keepHushEnv = context.flags['keepHushEnv'] === true;
		const [command, ...commandArgs] = context.rest;
		if (command === undefined) {
			throw new InvalidInputError("give the command to run after --, e.g. hush run --secret NAME -- npm start (see hush run --help)");
		}

		if (names.length === 0 && !all) {
			throw new InvalidInputError('name at least one --secret NAME, or --all (see hush run --help)');
		}

		if (names.length > 0 && all) {
			throw new InvalidInputError('--all already injects every secret: drop --secret, or drop --all');
		}

		for (const name of allowEnv) {
			if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) {
				throw new InvalidInputError(`--allow-env ${JSON.stringify(name)} is not a variable name: give a key such as NODE_OPTIONS`);
			}
		}

		const vault = await context.vault();
		const {values} = injectedEnvironment(vault, {names, all, allowEnv});
		vault.close();

		let env: NodeJS.ProcessEnv;
		try {
			env = childEnvironment(context.io.env, values, {keepHushEnv});
		} catch (error) {
			values.clear();
			throw error;
		}

		const stdout = masking ? new MaskingStream(values.values()) : undefined;
		const stderr = masking ? new MaskingStream(values.values()) : undefined;
		values.clear();
		let child: ReturnType<typeof spawn>;
		try {
			child = spawn(command, commandArgs, {env, stdio: masking ? ['inherit', 'pipe', 'pipe'] : 'inherit'});
		} catch (error) {
			// node's own message may quote the environment, values included: give only its code.
			stdout?.wipeValues();
			stderr?.wipeValues();
			throw new HushError(startFailure(command, (error as NodeJS.ErrnoException).code));
		}

		// Ctrl-C and Ctrl-\ on a terminal go to the whole foreground process group, the child
		// included: passing them on as well would deliver them twice (and a second Ctrl-C often
		// means "force quit"). Sent by anything else (kill, a CI runner), hush passes them on.
		const fromTerminal = context.io.stdin.isTTY === true;
		const forward = (signal: NodeJS.Signals) => {
			if (!(fromTerminal && (signal === 'SIGINT' || signal === 'SIGQUIT'))) {
				child.kill(signal);
			}
		};

		for (const signal of forwardedSignals) {
			process.on(signal, forward);
		}

		const piped: Array<Promise<void>> = [];
		if (stdout && stderr && child.stdout && child.stderr) {
			piped.push(pipeThrough(child.stdout, stdout, context.io.stdout), pipeThrough(child.stderr, stderr, context.io.stderr));
		}

		try {
			const outcome = await new Promise<{code: number | null; signal: NodeJS.Signals | null} | {error: NodeJS.ErrnoException}>(resolve => {
				child.once('error', error => {
					resolve({error});
				});
				child.once('exit', (code, signal) => {
					resolve({code, signal});
				});
			});
			await Promise.all(piped);
			if ('error' in outcome) {
				context.say(`hush: ${startFailure(command, outcome.error.code)}`);
				return 127;
			}

			if (outcome.signal) {
				for (const signal of forwardedSignals) {
					process.off(signal, forward);
				}

				// Die the way the child died, so a shell or CI runner sees the signal too.
				process.kill(process.pid, outcome.signal);
				return 128 + (constants.signals[outcome.signal] ?? 0);
			}

			return outcome.code ?? 1;
		} finally {
			for (const signal of forwardedSignals) {
				process.off(signal, forward);
			}

			stdout?.wipeValues();
			stderr?.wipeValues();
		}
	},
};

/** Child output → masker → hush's own stream; resolves once everything is written. */
async function pipeThrough(source: NodeJS.ReadableStream, masker: MaskingStream, destination: NodeJS.WritableStream): Promise<void> {
	source.pipe(masker);
	masker.pipe(destination, {end: false});
	await new Promise<void>((resolve, reject) => {
		masker.once('end', resolve);
		masker.once('error', reject);
		source.once('error', reject);
	});
	await new Promise<void>(resolve => {
		destination.write('', () => {
			resolve();
		});
	});
}

/** Why the program did not start, in one line: its error code only (Node's message may quote the environment, values included). */
function startFailure(command: string, code: string | undefined): string {
	const why
		= code === 'ENOENT'
			? 'command not found'
			: code === 'E2BIG'
				? 'its environment and arguments are over the system\'s limit (E2BIG): inject fewer secrets (--secret NAME) or smaller values'
				: (code ?? 'unknown error');
	return `cannot start ${visible(command)}: ${why}`;
}
