import {Box, Text} from 'ink';
import type {ReactNode} from 'react';
import {type FieldId, type FormState, type KeyRow, focusedField, sourceLabels} from '../state/form.js';
import {fit, wrapLines} from '../state/list-view.js';
import {type Theme, useTheme} from '../theme.js';
import {TextField} from './text-field.js';

type Line = {key: string; field: FieldId | null; node: ReactNode};

const labelWidth = 13;

function choice(label: string, value: string, focused: boolean, theme: Theme, width: number): ReactNode {
	return (
		<Text wrap="truncate">
			<Text color={focused ? theme.accent : undefined} bold={focused}>
				{focused ? '›' : ' '} {label.padEnd(labelWidth)}{' '}
			</Text>
			{fit(focused ? `‹ ${value} ›` : `  ${value}`, width - labelWidth - 3)}
		</Text>
	);
}

function rowLines(row: KeyRow, focus: FieldId, width: number, theme: Theme): Array<Omit<Line, 'key'>> {
	const id = (part: string) => `row:${row.rowId}:${part}` as FieldId;
	const text = (part: 'key' | 'typed' | 'variable' | 'path' | 'service' | 'account', label: string, placeholder: string, hidden = false) => ({
		field: id(part),
		node: <TextField label={label} value={row[part]} hidden={hidden} focused={focus === id(part)} labelWidth={labelWidth} width={width} placeholder={placeholder} />,
	});
	const lines = [
		text('key', 'Key', 'API_TOKEN'),
		{field: id('source'), node: choice('  value from', sourceLabels[row.source], focus === id('source'), theme, width)},
	];
	switch (row.source) {
		case 'typed': {
			return [...lines, text('typed', '  value', 'type it: it stays hidden', true)];
		}

		case 'env': {
			return [...lines, text('variable', '  variable', 'GITHUB_TOKEN')];
		}

		case 'file': {
			return [...lines, text('path', '  path', '~/keys/api.txt')];
		}

		case 'keychain': {
			return [...lines, text('service', '  service', 'github.com'), text('account', '  account', 'me')];
		}

		case 'keep': {
			return lines;
		}
	}
}

/**
 * The first line to draw so the focused field and its error lines are on screen, scrolling no
 * further than needed; and whether lines are hidden above or below the window.
 */
export function formWindow(lines: ReadonlyArray<{field: FieldId | null}>, focus: FieldId, rows: number): {start: number; above: boolean; below: boolean} {
	const focusLine = Math.max(0, lines.findIndex(line => line.field === focus));
	const nextField = lines.findIndex((line, index) => index > focusLine && line.field !== null);
	const end = nextField === -1 ? lines.length : nextField;
	const start = Math.max(0, Math.min(focusLine, end - rows));
	return {start, above: start > 0, below: start + rows < lines.length};
}

/**
 * The create/edit form, drawn as a list of one-line rows (fields, inline errors, buttons) of
 * which only a window around the focused field is shown, so it fits any height.
 */
export function FormView({form, width, height}: {readonly form: FormState; readonly width: number; readonly height: number}) {
	const theme = useTheme();
	const inner = width - 2;
	const focus = focusedField(form);
	const text = (field: 'name' | 'description' | 'integration' | 'expires', label: string, placeholder: string) => ({
		field,
		node: <TextField label={label} value={form[field]} focused={focus === field} labelWidth={labelWidth} width={inner} placeholder={placeholder} />,
	});
	const fields: Array<Omit<Line, 'key'>> = [
		text('name', 'Name', 'openai-creds'),
		{field: 'private', node: choice('Visibility', form.private ? 'private' : 'public', focus === 'private', theme, inner)},
		{field: 'type', node: choice('Type', form.type, focus === 'type', theme, inner)},
		text('description', 'Description', 'optional'),
		text('integration', 'Integration', 'optional, e.g. github'),
		text('expires', 'Expires', 'never, or 30d, 12w, 48h, 2027-01-31'),
		{field: 'writeOnly', node: choice('Write-only', form.writeOnly ? 'yes: usable by run/inject, never shown' : 'no', focus === 'writeOnly', theme, inner)},
		{field: null, node: <Text bold>{fit(' Keys', inner)}</Text>},
		...form.rows.flatMap(row => rowLines(row, focus, inner, theme)),
		{field: 'addKey', node: <Text bold={focus === 'addKey'} color={focus === 'addKey' ? theme.accent : undefined}>{`${focus === 'addKey' ? '›' : ' '} + add a key`}</Text>},
		{field: 'save', node: <Text bold inverse={focus === 'save'}>{`${focus === 'save' ? '›' : ' '} [ Save ]`}</Text>},
	];
	const lines: Line[] = [];
	for (const [index, line] of fields.entries()) {
		lines.push({...line, key: `${line.field ?? 'heading'}-${index}`});
		const error = line.field ? form.errors[line.field] : undefined;
		if (error) {
			for (const [part, errorLine] of wrapLines(error, inner - 6).entries()) {
				lines.push({key: `${line.field}-error-${part}`, field: null, node: <Text color={theme.error}>{`    ${part === 0 ? '✗' : ' '} ${errorLine}`}</Text>});
			}
		}
	}

	const title = form.mode === 'create' ? ' New secret' : ` Edit ${form.target?.name ?? ''}`;
	const footer = form.confirmDiscard
		? ' discard changes? y/n'
		: form.saving
			? ' saving…'
			: (form.errors.form ?? ' Tab next · ←→ choose · ^N add key · ^X remove key · ^S save · Esc cancel');
	const rows = Math.max(1, height - 4);
	const {start, above, below} = formWindow(lines, focus, rows);
	const shown = lines.slice(start, start + rows);
	const fieldIds = lines.flatMap(line => (line.field ? [line.field] : []));
	// Where the window is: the focused field's place, and arrows when fields lie out of sight.
	const position = `${above ? '↑ ' : ''}${fieldIds.indexOf(focus) + 1}/${fieldIds.length}${below ? ' ↓ more' : ''} `;
	const titleWidth = Math.max(0, inner - [...position].length);
	return (
		<Box flexDirection="column" width={width} height={height} borderStyle="round" borderColor={theme.accent} overflow="hidden">
			<Text wrap="truncate">
				<Text bold color={theme.accent}>
					{fit(title, titleWidth)}
				</Text>
				<Text color={theme.muted}>{fit(position, inner - titleWidth)}</Text>
			</Text>
			<Box flexDirection="column" height={rows}>
				{shown.map(line => (
					<Box key={line.key} height={1}>
						{line.node}
					</Box>
				))}
			</Box>
			<Text wrap="truncate" bold={form.confirmDiscard} color={form.confirmDiscard ? theme.accent : form.errors.form ? theme.error : theme.muted}>
				{fit(form.errors.form && !form.confirmDiscard && !form.saving ? ` ${footer}` : footer, inner)}
			</Text>
		</Box>
	);
}
