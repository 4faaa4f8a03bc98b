import {Box, Text} from 'ink';
import {useEffect, useState} from 'react';
import {describeError} from '../errors.js';
import {LockedVault, Vault} from '../vault/vault.js';
import {vaultPath, resolveHome} from '../vault/paths.js';
import {KeyRouter} from './hooks/key-router.js';
import {useIdleLock} from './hooks/use-idle-lock.js';
import {FailedScreen} from './screens/failed-screen.js';
import {OpenScreens} from './screens/open-screens.js';
import {PassphraseScreen} from './screens/passphrase-screen.js';
import type {TuiServices} from './services.js';
import {ThemeContext, themeFor} from './theme.js';
import {type UnlockStart, startUnlock} from './start-unlock.js';

export type AppProps = {
	readonly env: NodeJS.ProcessEnv;
	readonly services: TuiServices;
	/**
	 * Called once when the app ends: the user quit (q, Esc on the unlock screen, Ctrl-C), or 'idle'
	 * when a vault the unlock chain opened locked itself (the caller says so after the screen is gone).
	 */
	readonly onExit: (reason?: 'idle') => void;
	/** The unlock chain's non-interactive steps, started before the TUI loaded (start-unlock.ts); started here when absent. */
	readonly started?: Promise<UnlockStart>;
	/** How a new vault is made; tests pass one with cheap KDF settings. */
	readonly initVault?: (home: string | undefined, passphrase: string) => Promise<Vault>;
};

type Phase =
	| {kind: 'starting'}
	| {kind: 'create'}
	| {kind: 'failed'; error: string}
	| {kind: 'unlock'; locked: LockedVault; error: string | null}
	| {kind: 'open'; vault: Vault; typed: boolean};

const defaultInit = (home: string | undefined, passphrase: string) => Vault.init({home, passphrase, command: 'tui'});

/**
 * The root: finds the vault, then shows the create-vault screen, the unlock screen or the main
 * screen. The unlock chain runs first, as for every command: a session (HUSH_SESSION), a
 * remembered device in the OS keychain or HUSH_PASSPHRASE opens straight to the list; the unlock
 * screen is the chain's last step, asking the person. A step that applies but fails (an expired
 * session, a wrong HUSH_PASSPHRASE) is shown on the unlock screen. Owns the vault and closes it
 * (wiping its keys) on the way out.
 */
export function App({env, services, onExit, started, initVault = defaultInit}: AppProps) {
	const home = env['HUSH_HOME'];
	const path = vaultPath(resolveHome(home));
	const [phase, setPhase] = useState<Phase>({kind: 'starting'});

	useEffect(() => {
		void (started ?? startUnlock(env)).then(start => {
			setPhase(start.kind === 'open' ? {kind: 'open', vault: start.vault, typed: false} : start);
		});
	}, []);

	useEffect(() => {
		if (phase.kind === 'open') {
			return () => phase.vault.close();
		}

		return undefined;
	}, [phase]);

	const quit = () => {
		if (phase.kind === 'unlock') {
			phase.locked.close();
		}

		onExit();
	};

	/**
	 * No key for tui.idleLockMinutes: the open vault is dropped (closing it wipes its keys; the main
	 * screen, with any revealed value, unmounts). Opened with a typed passphrase, hush goes back to
	 * the unlock screen, as a password manager locks to its own. Opened by the chain (a session,
	 * the keychain, HUSH_PASSPHRASE) an unlock screen would guard nothing — starting hush again
	 * reopens it without asking — so hush quits instead and says why.
	 */
	const lockWhenIdle = () => {
		if (phase.kind !== 'open') {
			return;
		}

		if (!phase.typed) {
			onExit('idle');
			return;
		}

		try {
			setPhase({kind: 'unlock', locked: LockedVault.open({home}), error: 'locked after the idle time (tui.idleLockMinutes in hush config): type the passphrase'});
		} catch (error) {
			setPhase({kind: 'failed', error: describeError(error)});
		}
	};

	useIdleLock(services.idleLockMs, phase.kind === 'open', lockWhenIdle);

	let screen;
	switch (phase.kind) {
		case 'starting': {
			screen = <Text>opening {path}…</Text>;
			break;
		}

		case 'failed': {
			screen = <FailedScreen error={phase.error} onQuit={quit} />;
			break;
		}

		case 'create': {
			screen = (
				<PassphraseScreen
					mode="create"
					path={path}
					onQuit={quit}
					onSubmit={async passphrase => {
						const vault = await initVault(home, passphrase);
						setPhase({kind: 'open', vault, typed: true});
					}}
				/>
			);
			break;
		}

		case 'unlock': {
			screen = (
				<PassphraseScreen
					mode="unlock"
					path={path}
					initialError={phase.error}
					onQuit={quit}
					onSubmit={async passphrase => {
						const vault = await phase.locked.unlockWithPassphrase(passphrase, {command: 'tui'});
						setPhase({kind: 'open', vault, typed: true});
					}}
				/>
			);
			break;
		}

		case 'open': {
			screen = <OpenScreens vault={phase.vault} services={services} onQuit={quit} />;
			break;
		}
	}

	return (
		<ThemeContext value={themeFor(env)}>
			<KeyRouter onInterrupt={quit}>
				<Box flexDirection="column">{screen}</Box>
			</KeyRouter>
		</ThemeContext>
	);
}
