import {Box, Text} from 'ink';
import type {Message} from '../state/browser.js';
import type {Loading} from '../state/listing.js';
import {fit} from '../state/list-view.js';
import {count as formatCount, loadingFact} from '../state/loading-text.js';
import {spinnerFrames} from '../state/sync-state.js';
import {useTheme} from '../theme.js';

export type StatusBarProps = {
	readonly width: number;
	readonly path: string;
	readonly locked: boolean;
	readonly count: number | null;
	/** The vault's pages still being read: said in place of the count. */
	readonly loading?: Loading;
	/** Secrets in conflict; named with the keys that jump to them when there are any. */
	readonly conflicts?: number;
	readonly message: Message | null;
	/** A sync in flight: shown with a turning spinner, before any message said since it started. */
	readonly syncing?: {remote: string; frame: number} | null;
};

export function conflictsLabel(count: number): string {
	return `${formatCount(count)} conflict${count === 1 ? '' : 's'}`;
}

/** The bottom line: vault path, lock state, secret count, and the last message. */
export function StatusBar({width, path, locked, count, loading = null, conflicts = 0, message: lastMessage, syncing = null}: StatusBarProps) {
	const theme = useTheme();
	// Conflicts first: the message on the right may leave room for only the start of the line.
	const facts = [
		...(conflicts > 0 ? [`${conflictsLabel(conflicts)}: ] [ jump`] : []),
		locked ? 'locked' : 'unlocked',
		...(count === null ? [] : [loading ? loadingFact(loading) : `${formatCount(count)} secret${count === 1 ? '' : 's'}`]),
		path,
	].join(' · ');
	const message: Message | null = syncing
		? {
				text: `${spinnerFrames[syncing.frame % spinnerFrames.length]} syncing with ${new URL(syncing.remote).host}…${lastMessage ? ` · ${lastMessage.text}` : ''}`,
				tone: lastMessage?.tone ?? 'info',
			}
		: lastMessage;
	const messageText = message ? ` ${message.text}` : '';
	const messageWidth = Math.min([...messageText].length, Math.max(0, width - 24));
	return (
		<Box height={1} width={width}>
			<Text wrap="truncate" color={theme.muted}>
				{fit(` ${facts}`, width - messageWidth)}
			</Text>
			{message ? (
				<Text wrap="truncate" color={message.tone === 'error' ? theme.error : theme.success}>
					{fit(messageText, messageWidth)}
				</Text>
			) : null}
		</Box>
	);
}
