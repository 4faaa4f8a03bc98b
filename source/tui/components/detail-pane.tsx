import {Box, Text} from 'ink';
import type {ReactNode} from 'react';
import type {SecretSummary} from '../../vault/model.js';
import type {Revealed} from '../state/browser.js';
import {fit, formatAge} from '../state/list-view.js';
import {exposedTo, useTeamContext} from '../hooks/team-context.js';
import {useTheme} from '../theme.js';

export type DetailPaneProps = {
	readonly secret: SecretSummary | undefined;
	readonly keyIndex: number;
	readonly revealed: Revealed | null;
	readonly width: number;
	readonly height: number;
	readonly focused: boolean;
	readonly now: number;
};

/** What a value looks like when it is not revealed: always the same, so it gives away no length. */
export const mask = '••••••••';

/** A revealed value on one line: line breaks shown as ↵, cut to the width. */
function oneLine(value: string, width: number): string {
	return fit(value.replaceAll(/\r?\n/g, '↵'), width);
}

/**
 * When the secret expires, as a date and how far off: "expires 2027-01-31 · in 62d", or
 * "EXPIRED 2026-01-01 · 3d ago" once past; undefined when it never does.
 */
export function expiryText(expiresAt: string | null, now: number): string | undefined {
	if (expiresAt === null) {
		return undefined;
	}

	const at = Date.parse(expiresAt);
	if (Number.isNaN(at)) {
		return `expires ${expiresAt}`;
	}

	const day = new Date(at).toISOString().slice(0, 10);
	return at <= now ? `EXPIRED ${day} · ${formatAge(expiresAt, now)} ago` : `expires ${day} · in ${formatAge(new Date(now).toISOString(), at)}`;
}

/** Metadata and every key of the selected secret, values masked unless one is revealed. */
export function DetailPane({secret, keyIndex, revealed, width, height, focused, now}: DetailPaneProps) {
	const theme = useTheme();
	const {exposure} = useTeamContext();
	const inner = width - 2;
	const rows = Math.max(0, height - 2);
	const box = (children: ReactNode) => (
		<Box flexDirection="column" width={width} height={height} borderStyle="round" borderColor={focused ? theme.accent : theme.border} overflow="hidden">
			{children}
		</Box>
	);
	if (!secret) {
		return box(<Text color={theme.muted}>{fit(' no secret selected', inner)}</Text>);
	}

	const flags = [secret.private ? 'private' : 'public', ...(secret.writeOnly ? ['write-only'] : []), ...(secret.createdByAgent ? ['agent-made'] : [])].join(', ');
	const expiry = expiryText(secret.expiresAt, now);
	const exposed = exposedTo(exposure, secret);
	const meta = [
		`type ${secret.type}${secret.integration ? ` · integration ${secret.integration}` : ''}${secret.expiresAt === null ? ' · no expiry' : ''}`,
		...(expiry ? [expiry] : []),
		...(exposed.length > 0 ? [`EXPOSED to removed ${exposed.join(', ')}: rotate it`] : []),
		...(secret.description ? [secret.description] : []),
		...(secret.createdByAgent ? ['* created by an AI agent through hush mcp'] : []),
		`updated ${formatAge(secret.updatedAt, now)} ago · used ${secret.lastUsedAt ? `${formatAge(secret.lastUsedAt, now)} ago` : 'never'} · by ${secret.createdBy}`,
	];
	const headerLines = 1 + meta.length + 1;
	const keyRows = Math.max(0, rows - headerLines - 1);
	const keyWidth = Math.min(Math.max(...secret.keys.map(key => key.length), 3), Math.floor(inner / 2));
	const start = Math.max(0, Math.min(keyIndex - keyRows + 1, secret.keys.length - keyRows));
	const keys = secret.keys.slice(Math.max(0, start), Math.max(0, start) + keyRows);
	const hint = secret.writeOnly ? 'write-only: never shown or copied' : focused ? '↑↓ key · r reveal · c copy · Esc list' : 'Enter keys · r reveal · c copy';
	return box(
		<>
			<Text wrap="truncate" bold>
				{fit(` ${secret.name} (${flags})`, inner)}
			</Text>
			{meta.map(line => (
				<Text key={line} wrap="truncate" color={line.startsWith('EXPIRED') || line.startsWith('EXPOSED') ? theme.error : theme.muted}>
					{fit(` ${line}`, inner)}
				</Text>
			))}
			<Text> </Text>
			{keys.map((key, index) => {
				const selected = Math.max(0, start) + index === keyIndex;
				const shown = revealed && revealed.secretId === secret.id && revealed.key === key ? revealed.value : null;
				const valueWidth = inner - keyWidth - 4;
				return (
					<Text key={key} wrap="truncate">
						<Text bold={selected} inverse={selected && focused}>
							{selected ? '›' : ' '} {fit(key, keyWidth)}
						</Text>
						{'  '}
						{shown === null ? <Text color={theme.muted}>{fit(mask, valueWidth)}</Text> : <Text color={theme.secret}>{oneLine(shown, valueWidth)}</Text>}
					</Text>
				);
			})}
			<Box flexGrow={1} />
			<Text wrap="truncate" color={theme.muted}>
				{fit(` ${hint}`, inner)}
			</Text>
		</>,
	);
}
