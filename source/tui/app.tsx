import {Box, Text} from 'ink';
import {useEffect, useState} from 'react';
import {HushError, VaultNotFoundError} from '../errors.js';
import {LockedVault, Vault} from '../vault/vault.js';
import {vaultPath, resolveHome} from '../vault/paths.js';
import {KeyRouter} from './hooks/key-router.js';
import {FailedScreen} from './screens/failed-screen.js';
import {MainScreen} from './screens/main-screen.js';
import {PassphraseScreen} from './screens/passphrase-screen.js';
import type {TuiServices} from './services.js';
import {ThemeContext, themeFor} from './theme.js';

export type AppProps = {
	readonly env: NodeJS.ProcessEnv;
	readonly services: TuiServices;
	/** Called once when the user quits (q, Esc on the unlock screen, Ctrl-C). */
	readonly onExit: () => void;
	/** How a new vault is made; tests pass one with cheap KDF settings. */
	readonly initVault?: (home: string | undefined, passphrase: string) => Promise<Vault>;
};

type Phase =
	| {kind: 'starting'}
	| {kind: 'create'}
	| {kind: 'failed'; error: string}
	| {kind: 'unlock'; locked: LockedVault; error: string | null}
	| {kind: 'open'; vault: Vault};

const defaultInit = (home: string | undefined, passphrase: string) => Vault.init({home, passphrase, command: 'tui'});

function describe(error: unknown): string {
	return error instanceof HushError ? error.message : `unexpected error: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`;
}

/**
 * The root: finds the vault, then shows the create-vault screen, the unlock screen or the main
 * screen. HUSH_PASSPHRASE unlocks without asking, as it does for every command. Owns the vault
 * and closes it (wiping its keys) on the way out.
 */
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

			setPhase({kind: 'failed', error: describe(error)});
			return;
		}

		const passphrase = env['HUSH_PASSPHRASE'];
		if (passphrase === undefined) {
			setPhase({kind: 'unlock', locked, error: null});
			return;
		}

		locked.unlockWithPassphrase(passphrase, {command: 'tui'}).then(
			vault => setPhase({kind: 'open', vault}),
			(error: unknown) => setPhase({kind: 'unlock', locked, error: `HUSH_PASSPHRASE did not unlock the vault: ${describe(error)}`}),
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
						setPhase({kind: 'open', vault});
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
						setPhase({kind: 'open', vault});
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
