import {Box, Text} from 'ink';
import type {ConflictView} from '../state/conflict.js';
import {fit, wrapLines} from '../state/list-view.js';
import type {ConflictDetail} from '../sync-service.js';
import {useTheme} from '../theme.js';

export type ConflictPanelProps = {
	readonly view: ConflictView;
	readonly width: number;
	readonly height: number;
};

type Masked = ConflictDetail['keys'][number]['local'];

/** A value as the screen may show it: its length and the start of its keyed fingerprint. */
export function maskedText(masked: Masked, deleted: boolean): string {
	if (deleted) {
		return 'deleted';
	}

	return masked ? `${masked.length} B · #${masked.fingerprint}` : 'absent';
}

/** Both sides of one conflict label, as cell texts. */
export function conflictCells(detail: ConflictDetail, label: string): [string, string] {
	if (label.startsWith('key ')) {
		const entry = detail.keys.find(candidate => candidate.key === label.slice(4));
		return [maskedText(entry?.local ?? null, detail.local.deleted), maskedText(entry?.remote ?? null, detail.remote.deleted)];
	}

	const field = detail.fields.find(candidate => candidate.field === label);
	if (field) {
		return [field.local, field.remote];
	}

	const side = (deleted: boolean, revision: number) => (deleted ? 'deleted' : `edited (rev ${revision})`);
	return [side(detail.local.deleted, detail.local.revision), side(detail.remote.deleted, detail.remote.revision)];
}

/** A conflict label short enough for the label column (the cells say which side did what). */
export function labelText(label: string): string {
	return label.includes('deleted') && label.includes('edited') ? 'edit vs delete' : label;
}

/**
 * Both versions of a conflicted secret, side by side: each conflict with the side picked for it,
 * then what differs without conflict. Values appear only masked (length + fingerprint).
 */
export function ConflictPanel({view, width, height}: ConflictPanelProps) {
	const theme = useTheme();
	const {detail} = view;
	const inner = width - 2;
	const labelWidth = Math.min(24, Math.floor(inner * 0.3));
	const cellWidth = Math.floor((inner - labelWidth - 1) / 2);
	const row = (label: string, local: string, remote: string, marks: [string, string] = [' ', ' ']) =>
		`${fit(` ${label}`, labelWidth)} ${fit(`${marks[0]} ${local}`, cellWidth)}${fit(`${marks[1]} ${remote}`, cellWidth)}`;
	const others = [
		...detail.keys.filter(entry => !entry.conflict).map(entry => row(`key ${entry.key}`, maskedText(entry.local, detail.local.deleted), maskedText(entry.remote, detail.remote.deleted))),
		...detail.fields.filter(field => !field.conflict).map(field => row(field.field, field.local, field.remote)),
	];
	const errorLines = view.error ? wrapLines(view.error, inner - 2) : [];
	// Title, header, conflicts, "also differs" + others, error, hints; borders take two rows.
	const room = Math.max(0, height - 2 - 3 - detail.conflicts.length - errorLines.length - 1);
	const shownOthers = others.length > 0 && room > 1 ? others.slice(0, room - 1) : [];
	return (
		<Box flexDirection="column" width={width} height={height} borderStyle="round" borderColor={theme.error} overflow="hidden">
			<Text bold color={theme.error} wrap="truncate">
				{fit(` Conflict: ${detail.name} · pick a side for each line`, inner)}
			</Text>
			<Text bold color={theme.muted} wrap="truncate">
				{row('CONFLICT', `LOCAL (rev ${detail.local.revision})`, `SERVER (rev ${detail.remote.revision})`)}
			</Text>
			{detail.conflicts.map((label, index) => {
				const [local, remote] = conflictCells(detail, label);
				const choice = view.choices[label];
				const selected = index === view.row;
				const line = row(`${selected ? '›' : ' '} ${labelText(label)}`, local, remote, [choice === 'local' ? '▶' : ' ', choice === 'remote' ? '▶' : ' ']);
				return (
					<Text key={label} wrap="truncate" inverse={selected} bold={selected}>
						{fit(line, inner)}
					</Text>
				);
			})}
			{shownOthers.length > 0 ? (
				<Text color={theme.muted} wrap="truncate">
					{fit(' also differs (merges by itself):', inner)}
				</Text>
			) : null}
			{shownOthers.map(line => (
				<Text key={line} color={theme.muted} wrap="truncate">
					{fit(line, inner)}
				</Text>
			))}
			<Box flexGrow={1} />
			{errorLines.map(line => (
				<Text key={line} color={theme.error} wrap="truncate">
					{fit(` ${line}`, inner)}
				</Text>
			))}
			<Text color={theme.muted} wrap="truncate">
				{fit(' l ← local · r → server · L R all · Enter resolves · Esc back', inner)}
			</Text>
		</Box>
	);
}
