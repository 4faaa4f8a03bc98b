import {render} from 'ink';
import type {ReactElement} from 'react';
import {firstLine} from '../errors.js';
import {App} from './app.js';
import {readPreferences} from '../preferences/read.js';
import {defaultServices} from './services.js';
import type {UnlockStart} from './start-unlock.js';
import {restoreTerminal} from './terminal.js';
import {visible, visibleLines} from '../text/visible.js';

export type TuiIo = {
	stdin: NodeJS.ReadStream;
	stdout: NodeJS.WriteStream;
	stderr: NodeJS.WriteStream;
	env: NodeJS.ProcessEnv;
};

/**
 * Runs `hush`'s full-screen app until the user quits; returns the exit status. Preferences are read
 * once here; a warning about them is written before the alternate screen, so it is still on the
 * terminal after hush quits. `started` is the unlock chain begun while this module loaded
 * (start-unlock.ts); without it the app starts the chain itself.
 */
export async function runTui(io: TuiIo, started?: Promise<UnlockStart>): Promise<number> {
	const preferences = readPreferences(io.env, message => io.stderr.write(`hush: warning: ${visible(message)}\n`));
	const services = defaultServices(io.env, io.stdout, preferences);
	let idle = false;
	const code = await runFullScreen(
		quit => (
			<App
				env={io.env}
				services={services}
				started={started}
				onExit={reason => {
					idle = reason === 'idle';
					quit();
				}}
			/>
		),
		io,
	);
	if (idle) {
		const minutes = preferences['tui.idleLockMinutes'];
		io.stderr.write(`hush: locked after ${minutes} min without a key (tui.idleLockMinutes)\n`);
	}

	return code;
}

/**
 * The terminal's lifecycle around any full-screen element, on the alternate screen. The terminal
 * is restored on quit and Ctrl-C (the app unmounts), on SIGTERM and SIGHUP (unmount, then exit
 * 128+n), and on an uncaught error (unmount if possible, restore by hand, one line on stderr,
 * exit 1).
 */
export async function runFullScreen(element: (quit: () => void) => ReactElement, io: TuiIo): Promise<number> {
	let exited = false;
	const quit = (): void => {
		if (!exited) {
			exited = true;
			instance.unmount();
		}
	};

	const instance = render(element(() => quit()), {
		stdin: io.stdin,
		stdout: io.stdout,
		stderr: io.stderr,
		alternateScreen: true,
		exitOnCtrlC: false,
		maxFps: 60,
	});

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
		io.stderr.write(`hush: unexpected error in the TUI: ${visible(firstLine(error))}${io.env['HUSH_DEBUG'] ? '' : ' (set HUSH_DEBUG=1 for details)'}\n`);
		if (io.env['HUSH_DEBUG'] && error instanceof Error && error.stack) {
			io.stderr.write(`${visibleLines(error.stack)}\n`);
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
