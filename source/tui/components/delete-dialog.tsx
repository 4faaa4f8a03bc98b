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

/**
 * The dialog's lines for `rows` inner rows and `inner` columns: the question and the warning
 * wrapped (never cut at the side), the name field and the keys always shown. When rows run
 * short, the warning gives way first, then the question (cut with an ellipsis) to the error.
 */
export function deleteLines(name: string, error: string | null, inner: number, rows: number): {title: string[]; warning: string[]; errors: string[]} {
	const width = Math.max(1, inner - 1);
	const title = wrapLines(`Delete ${name}?`, width);
	const errors = error ? wrapLines(error, Math.max(1, inner - 2)) : [];
	const room = Math.max(1, rows - 2);
	const titleRows = Math.max(1, Math.min(title.length, room - errors.length));
	const shownTitle = titleRows < title.length ? [...title.slice(0, titleRows - 1), `${[...title[titleRows - 1]!].slice(0, width - 1).join('')}…`] : title;
	const shownErrors = errors.slice(0, Math.max(0, room - titleRows));
	const warning = wrapLines('Its values are gone for good. Type its name to confirm.', width).slice(0, Math.max(0, room - titleRows - shownErrors.length));
	return {title: shownTitle, warning, errors: shownErrors};
}

/** Asks for the secret's name before deleting it. */
export function DeleteDialog({name, typed, error, width, height}: DeleteDialogProps) {
	const theme = useTheme();
	const inner = width - 2;
	const {title, warning, errors} = deleteLines(name, error, inner, height - 2);
	return (
		<Box flexDirection="column" width={width} height={height} borderStyle="round" borderColor={theme.error} overflow="hidden">
			{title.map((line, index) => (
				<Text key={`title-${index}`} bold color={theme.error} wrap="truncate">
					{fit(` ${line}`, inner)}
				</Text>
			))}
			{warning.map((line, index) => (
				<Text key={`warning-${index}`} wrap="truncate">
					{fit(` ${line}`, inner)}
				</Text>
			))}
			<TextField label="Name" value={typed} focused width={inner} />
			{errors.map((line, index) => (
				<Text key={`error-${index}`} color={theme.error} wrap="truncate">
					{fit(`  ${line}`, inner)}
				</Text>
			))}
			<Text color={theme.muted} wrap="truncate">
				{fit(' Enter deletes · Esc keeps it', inner)}
			</Text>
		</Box>
	);
}
