import {Box, Text} from 'ink';
import {describeError} from '../../errors.js';
import {StatusBar} from '../components/status-bar.js';
import {TextField} from '../components/text-field.js';
import {useKeyHandler} from '../hooks/key-router.js';
import {useLayout} from '../hooks/use-layout.js';
import {useLatestReducer} from '../hooks/use-latest-reducer.js';
import {fit, wrapLines} from '../state/list-view.js';
import {type PassphraseState, passphraseCommand, passphraseState} from '../state/passphrase.js';
import {useTheme} from '../theme.js';

export type PassphraseScreenProps = {
	readonly mode: 'unlock' | 'create';
	readonly path: string;
	/** Unlocks or creates the vault; a thrown HushError is shown under the field. */
	readonly onSubmit: (passphrase: string) => Promise<void>;
	readonly onQuit: () => void;
	/** Shown on arrival, e.g. why HUSH_PASSPHRASE did not unlock. */
	readonly initialError?: string | null;
};

/** Unlock (one hidden passphrase) or create a vault (the passphrase twice). */
export function PassphraseScreen({mode, path, onSubmit, onQuit, initialError = null}: PassphraseScreenProps) {
	const theme = useTheme();
	const layout = useLayout();
	const [state, setState, readState] = useLatestReducer(
		(_previous: PassphraseState, next: PassphraseState) => next,
		() => ({...passphraseState(mode === 'create' ? 2 : 1), error: initialError}),
	);

	useKeyHandler(key => {
		const state = readState();
		const command = passphraseCommand(state, key);
		if (command.kind === 'edit') {
			setState(command.state);
		} else if (command.kind === 'quit') {
			onQuit();
		} else if (command.kind === 'submit') {
			setState({...state, busy: true, error: null});
			onSubmit(command.passphrase).catch((error: unknown) => {
				setState({...passphraseState(state.fields), error: describeError(error)});
			});
		}
	});

	const width = Math.min(layout.columns, 72);
	const inner = width - 4;
	const title = mode === 'create' ? 'Create a vault' : 'Unlock the vault';
	const intro =
		mode === 'create'
			? `No vault yet. Choose a passphrase (at least 8 characters): it is the only way in, and hush cannot recover it.`
			: 'Type the vault passphrase.';
	const errorLines = state.error ? wrapLines(state.error, inner - 2) : [];
	return (
		<Box flexDirection="column" width={layout.columns} height={layout.rows}>
			<Box flexGrow={1} alignItems="center" justifyContent="center" overflow="hidden">
				<Box flexDirection="column" width={width} borderStyle="round" borderColor={theme.accent} paddingX={1}>
					<Text bold color={theme.accent}>
						{fit(`hush · ${title}`, inner)}
					</Text>
					{wrapLines(intro, inner).map(line => (
						<Text key={line}>{line}</Text>
					))}
					<Text> </Text>
					<TextField label="Passphrase" value={state.values[0]} hidden focused={!state.busy && state.focus === 0} labelWidth={10} width={inner} />
					{state.fields === 2 ? (
						<TextField label="Again" value={state.values[1]} hidden focused={!state.busy && state.focus === 1} labelWidth={10} width={inner} />
					) : null}
					{errorLines.map(line => (
						<Text key={line} color={theme.error}>
							{line}
						</Text>
					))}
					<Text color={theme.muted}>{fit(state.busy ? (mode === 'create' ? 'creating the vault…' : 'unlocking…') : 'Enter to continue · Esc to quit', inner)}</Text>
				</Box>
			</Box>
			<StatusBar width={layout.columns} path={path} locked count={null} message={null} />
		</Box>
	);
}
