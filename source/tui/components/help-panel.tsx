import {Box, Text} from 'ink';
import {helpSections} from '../help.js';
import {fit} from '../state/list-view.js';
import {useTheme} from '../theme.js';

/** Every key, in columns that fit 80×24. */
export function HelpPanel({width, height}: {readonly width: number; readonly height: number}) {
	const theme = useTheme();
	const columnWidth = Math.floor((width - 2) / helpSections.length);
	const keyWidth = 16;
	const rows = Math.max(0, height - 3);
	return (
		<Box flexDirection="column" width={width} height={height} borderStyle="round" borderColor={theme.accent} overflow="hidden">
			<Box height={rows}>
				{helpSections.map(section => (
					<Box key={section.title} flexDirection="column" width={columnWidth}>
						<Text bold color={theme.accent} wrap="truncate">
							{fit(` ${section.title}`, columnWidth)}
						</Text>
						{section.keys.slice(0, Math.max(0, rows - 1)).map(([keys, what]) => (
							<Text key={keys} wrap="truncate">
								<Text bold>{fit(` ${keys}`, keyWidth)}</Text>
								{fit(what, columnWidth - keyWidth)}
							</Text>
						))}
					</Box>
				))}
			</Box>
			<Text color={theme.muted} wrap="truncate">
				{fit(' Esc, ? or q closes this help', width - 2)}
			</Text>
		</Box>
	);
}
