import {Box, Text} from 'ink';
import {useKeyHandler} from '../hooks/key-router.js';
import {useLayout} from '../hooks/use-layout.js';
import {wrapLines} from '../state/list-view.js';
import {useTheme} from '../theme.js';

/** The vault file could not be opened (damaged, from a newer hush…): say why; any key quits. */
export function FailedScreen({error, onQuit}: {readonly error: string; readonly onQuit: () => void}) {
	const theme = useTheme();
	const layout = useLayout();
	useKeyHandler(() => onQuit());
	return (
		<Box flexDirection="column" width={layout.columns} height={layout.rows} paddingX={1} overflow="hidden">
			{wrapLines(`hush: ${error}`, layout.columns - 2).map(line => (
				<Text key={line} color={theme.error}>
					{line}
				</Text>
			))}
			<Text color={theme.muted}>press any key to quit</Text>
		</Box>
	);
}
