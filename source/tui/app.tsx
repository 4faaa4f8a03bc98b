import {Box, Text} from 'ink';
import {useEffect, useState} from 'react';
import {VaultNotFoundError, describeError} from '../errors.js';
import {unlockWithoutAsking} from '../unlock/index.js';
import {LockedVault, Vault} from '../vault/vault.js';
import {vaultPath, resolveHome} from '../vault/paths.js';
import {KeyRouter} from './hooks/key-router.js';
import {useIdleLock} from './hooks/use-idle-lock.js';
import {FailedScreen} from './screens/failed-screen.js';
import {MainScreen} from './screens/main-screen.js';
import {PassphraseScreen} from './screens/passphrase-screen.js';
import type {TuiServices} from './services.js';
import {ThemeContext, themeFor} from './theme.js';

export type AppProps = {
	readonly env: NodeJS.ProcessEnv;
	readonly services: TuiServices;
	/**
	 * Called once when the app ends: the user quit (q, Esc on the unlock screen, Ctrl-C), or 'idle'
	 * when a vault the unlock chain opened locked itself (the caller says so after the screen is gone).
	 */
	readonly onExit: (reason?: 'idle') => void;
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
/** Which non-interactive step the chain tried, to name it when it failed. */
function unlockFailure(env: NodeJS.ProcessEnv): string {
	return env['HUSH_SESSION'] ? 'HUSH_SESSION' : env['HUSH_PASSPHRASE'] === undefined ? 'the OS keychain' : 'HUSH_PASSPHRASE';
}

export function App({env, services, onExit, initVault = defaultInit}: AppProps) {
	const home = env['HUSH_HOME'];
	const path = vaultPath(resolveHome(home));
	const [phase, setPhase] = useState<Phase>({kind: 'starting'});

	useEffect(() => {
		let locked: LockedVault;
		try {
			locked = LockedVault.open({home});
		} catch (error) {
			if (error instanceof VaultNotFoundError) {
				setPhase({kind: 'create'});
				return;
			}

			setPhase({kind: 'failed', error: describeError(error)});
			return;
		}

		unlockWithoutAsking(locked, {env, command: 'tui'}).then(
			found => {
				if (found.vault) {
					setPhase({kind: 'open', vault: found.vault, typed: false});
					return;
				}

				const keychain = found.keychainProblem === undefined ? null : `the remembered device key could not be used (${found.keychainProblem}): type the passphrase`;
				setPhase({kind: 'unlock', locked, error: keychain});
			},
			(error: unknown) => setPhase({kind: 'unlock', locked, error: `${unlockFailure(env)} did not unlock the vault: ${describeError(error)}`}),
		);
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
			screen = <MainScreen vault={phase.vault} services={services} onQuit={quit} />;
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
