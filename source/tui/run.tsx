import {render} from 'ink';
import {App} from './app.js';
import {defaultServices} from './services.js';
import {restoreTerminal} from './terminal.js';

export type TuiIo = {
	stdin: NodeJS.ReadStream;
	stdout: NodeJS.WriteStream;
	stderr: NodeJS.WriteStream;
	env: NodeJS.ProcessEnv;
};

/**
 * Runs the full-screen app on the alternate screen until the user quits, and returns the exit
 * status. The terminal is restored on q and Ctrl-C (the app unmounts), on SIGTERM and SIGHUP (we
 * unmount, then exit), and on an uncaught error (unmount if possible, restore by hand, one line on
 * stderr, exit 1).
 */
export async function runTui(io: TuiIo): Promise<number> {
	const services = defaultServices(io.env, io.stdout);
	let exited = false;
	const instance = render(<App env={io.env} services={services} onExit={() => quit()} />, {
		stdin: io.stdin,
		stdout: io.stdout,
		stderr: io.stderr,
		alternateScreen: true,
		exitOnCtrlC: false,
		maxFps: 60,
	});

	function quit(): void {
		if (!exited) {
			exited = true;
			instance.unmount();
		}
	}

	const onSignal = (signal: NodeJS.Signals) => {
		quit();
		process.exit(128 + (signal === 'SIGTERM' ? 15 : 1));
	};

	const onFatal = (error: unknown) => {
		try {
			quit();
		} catch {
			// Ink itself may be what broke: restore by hand below.
		}

		restoreTerminal(io.stdin, io.stdout);
		const message = error instanceof Error ? error.message.split('\n')[0] : String(error);
		io.stderr.write(`hush: unexpected error in the TUI: ${message}${io.env['HUSH_DEBUG'] ? '' : ' (set HUSH_DEBUG=1 for details)'}\n`);
		if (io.env['HUSH_DEBUG'] && error instanceof Error && error.stack) {
			io.stderr.write(`${error.stack}\n`);
		}

		process.exit(1);
	};

	process.on('SIGTERM', onSignal);
	process.on('SIGHUP', onSignal);
	process.on('uncaughtException', onFatal);
	process.on('unhandledRejection', onFatal);
	try {
		await instance.waitUntilExit();
		return 0;
	} catch (error) {
		onFatal(error);
		return 1;
	} finally {
		process.off('SIGTERM', onSignal);
		process.off('SIGHUP', onSignal);
		process.off('uncaughtException', onFatal);
		process.off('unhandledRejection', onFatal);
	}
}
