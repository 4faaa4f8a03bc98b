import {Box, Text} from 'ink';
import {fit, wrapLines} from '../state/list-view.js';
import {useTheme} from '../theme.js';
import {TextField} from './text-field.js';

export type DeleteDialogProps = {
	readonly name: string;
	readonly typed: string;
	readonly error: string | null;
	readonly width: number;
	readonly height: number;
};

/** Asks for the secret's name before deleting it. */
export function DeleteDialog({name, typed, error, width, height}: DeleteDialogProps) {
	const theme = useTheme();
	const inner = width - 2;
	const errorLines = error ? wrapLines(error, inner - 2).slice(0, Math.max(0, height - 7)) : [];
	return (
		<Box flexDirection="column" width={width} height={height} borderStyle="round" borderColor={theme.error} overflow="hidden">
			<Text bold color={theme.error} wrap="truncate">
				{fit(` Delete ${name}?`, inner)}
			</Text>
			<Text wrap="truncate">{fit(' Its values are gone for good. Type its name to confirm.', inner)}</Text>
			<TextField label="Name" value={typed} focused width={inner} />
			{errorLines.map(line => (
				<Text key={line} color={theme.error} wrap="truncate">
					{fit(`  ${line}`, inner)}
				</Text>
			))}
			<Text color={theme.muted} wrap="truncate">
				{fit(' Enter deletes · Esc keeps it', inner)}
			</Text>
		</Box>
	);
}
