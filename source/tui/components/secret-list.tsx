import {Box, Text} from 'ink';
import type {SecretSummary} from '../../vault/model.js';
import {fit, formatAge} from '../state/list-view.js';
import {type SyncStates, syncColumnWidth, syncStateOf} from '../state/sync-state.js';
import {useTheme} from '../theme.js';

export type SecretListProps = {
	/** Every row after filtering; only the visible window is drawn. */
	readonly secrets: readonly SecretSummary[];
	readonly cursor: number;
	readonly offset: number;
	readonly width: number;
	readonly height: number;
	readonly focused: boolean;
	readonly now: number;
	readonly emptyText: string;
	/** Sync state per secret; null when the vault has no remote. */
	readonly syncStates?: SyncStates;
};

const fixed = [
	{title: 'VIS', width: 5},
	{title: 'TYPE', width: 11},
	{title: 'KEYS', width: 4},
	{title: 'INTEGRATION', width: 12},
	{title: 'AGE', width: 5},
	{title: 'SYNC', width: syncColumnWidth},
] as const;

/** Columns after the name, as one string of exactly the fixed width. */
function tail(secret: SecretSummary, now: number, syncStates: SyncStates): string {
	const cells = [
		// '*' marks a secret an AI agent created (hush mcp); the detail pane spells it out.
		(secret.private ? 'priv' : 'pub') + (secret.createdByAgent ? '*' : ''),
		secret.type,
		String(secret.keys.length).padStart(3),
		secret.integration || '-',
		formatAge(secret.updatedAt, now),
		syncStateOf(secret, syncStates),
	];
	return cells.map((cell, index) => fit(cell, fixed[index]!.width)).join(' ');
}

const tailWidth = fixed.reduce((sum, column) => sum + column.width + 1, 0);

/**
 * The list pane: a bordered box of exactly `height` rows. Virtualised: only the rows between
 * `offset` and `offset + rows` become elements, so 10,000 secrets cost what 20 do.
 */
export function SecretList({secrets, cursor, offset, width, height, focused, now, emptyText, syncStates = null}: SecretListProps) {
	const theme = useTheme();
	const inner = width - 2;
	const rows = Math.max(0, height - 3);
	const nameWidth = Math.max(6, inner - 2 - tailWidth);
	const header = `  ${fit('NAME', nameWidth)} ${fixed.map(column => fit(column.title, column.width)).join(' ')}`;
	const windowed = secrets.slice(offset, offset + rows);
	return (
		<Box flexDirection="column" width={width} height={height} borderStyle="round" borderColor={focused ? theme.accent : theme.border} overflow="hidden">
			<Text wrap="truncate" bold color={theme.muted}>
				{fit(header, inner)}
			</Text>
			{secrets.length === 0 ? (
				<Text wrap="truncate" color={theme.muted}>
					{fit(`  ${emptyText}`, inner)}
				</Text>
			) : null}
			{windowed.map((secret, index) => {
				const selected = offset + index === cursor;
				const line = fit(`${selected ? '›' : ' '} ${fit(secret.name, nameWidth)} ${tail(secret, now, syncStates)}`, inner);
				return (
					<Text key={secret.id} wrap="truncate" inverse={selected && focused} bold={selected} color={selected && !focused ? theme.accent : undefined}>
						{line}
					</Text>
				);
			})}
		</Box>
	);
}
