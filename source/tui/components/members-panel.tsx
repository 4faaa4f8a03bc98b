import {Box, Text} from 'ink';
import {visible} from '../../text/visible.js';
import type {MembersPanel as Panel} from '../state/members.js';
import {teamRoles} from '../team-service.js';
import {useTheme} from '../theme.js';
import {TextField} from './text-field.js';

const when = (iso: string) => `${iso.slice(0, 16).replace('T', ' ')} UTC`;

/** The lines a panel shows: what is asked, and the keys that answer it. */
export function panelLines(panel: Exclude<Panel, {kind: 'none' | 'invite' | 'approveName'}>): {title: string; lines: string[]; keys: string} {
	switch (panel.kind) {
		case 'code': {
			return {
				title: `invite for ${visible(panel.user)}`,
				lines: [panel.code, `a secret until used: give it to ${visible(panel.user)} alone; it works once, until ${when(panel.expiresAt)}`, `they run hush join CODE; then press a here to approve ${visible(panel.user)}`],
				keys: 'c copy it · Enter or Esc: done (the code is not shown again)',
			};
		}

		case 'approveConfirm': {
			return {
				title: `approve ${visible(panel.name)} (${visible(panel.role)})`,
				lines: [`${visible(panel.name)} joined with your invite. Their fingerprint:`, `  ${visible(panel.digits)}`, `Does ${visible(panel.name)}'s hush whoami show exactly these digits? Compare them out loud.`],
				keys: 'y: they match, approve · n Esc: no',
			};
		}

		case 'role': {
			return {
				title: `role of ${visible(panel.user)} (now ${visible(panel.from)})`,
				lines: [teamRoles.map(role => (role === panel.role ? `[${role}]` : ` ${role} `)).join(' ')],
				keys: '← → choose · Enter apply · Esc cancel',
			};
		}

		case 'removeConfirm': {
			const next = panel.generation === null ? 'a new key generation' : `key generation ${panel.generation + 1}`;
			return {
				title: `remove ${visible(panel.name)} (${visible(panel.role)})`,
				lines: [`Makes ${next}; every team secret here is re-sealed under it.`, `${visible(panel.name)} could read ${panel.exposed} secret(s): the exposure report follows.`, `Remove ${visible(panel.name)} from the team? [y/N]`],
				keys: 'y: remove · n Enter Esc: keep',
			};
		}

		case 'report': {
			return {title: 'removed', lines: panel.lines.map(line => visible(line)), keys: 'Enter or Esc: close'};
		}
	}
}

/**
 * Lines wrapped at `width` kept to `rows` screen rows: a long exposure report is cut here, with
 * the rest left to hush team exposure, which prints it whole.
 */
export function fitRows(lines: readonly string[], width: number, rows: number): string[] {
	const rowsOf = (line: string) => Math.max(1, Math.ceil([...line].length / Math.max(1, width)));
	const kept: string[] = [];
	let used = 0;
	for (const [index, line] of lines.entries()) {
		const last = index === lines.length - 1;
		if (used + rowsOf(line) > (last ? rows : rows - 1)) {
			kept.push(`… ${lines.length - index} more line(s): hush team exposure prints them all`);
			break;
		}

		kept.push(line);
		used += rowsOf(line);
	}

	return kept;
}

/** The panel that holds the keyboard below the member list. */
export function MembersPanel({panel, width, height, busy}: {readonly panel: Panel; readonly width: number; readonly height: number; readonly busy: string | null}) {
	const theme = useTheme();
	if (panel.kind === 'none') {
		return null;
	}

	const inner = width - 2;
	let body;
	if (panel.kind === 'invite' || panel.kind === 'approveName') {
		const invite = panel.kind === 'invite';
		body = {
			title: invite ? 'invite a member' : 'approve a pending join',
			lines: [],
			keys: invite ? 'type a name · ← → role · Enter invite · Esc cancel' : 'type their name · Enter check their join · Esc cancel',
		};
		return (
			<Box flexDirection="column" width={width} borderStyle="round" borderColor={theme.accent}>
				<Text bold wrap="truncate">{` ${body.title}`}</Text>
				<TextField label="user" value={panel.user} focused={busy === null} labelWidth={5} width={inner} />
				{invite ? <Text wrap="truncate">{`  role  ${teamRoles.map(role => (role === panel.role ? `[${role}]` : ` ${role} `)).join(' ')}`}</Text> : null}
				<Text color={theme.muted} wrap="truncate">{` ${busy ?? body.keys}`}</Text>
			</Box>
		);
	}

	body = panelLines(panel);
	const lines = fitRows(body.lines, inner - 1, Math.max(1, height - 4));
	return (
		<Box flexDirection="column" width={width} borderStyle="round" borderColor={panel.kind === 'removeConfirm' ? theme.error : theme.accent}>
			<Text bold wrap="truncate">{` ${body.title}`}</Text>
			{lines.map((line, index) => (
				// eslint-disable-next-line react/no-array-index-key
				<Text key={index} wrap="wrap" color={panel.kind === 'code' && index === 0 ? theme.secret : undefined}>
					{` ${line}`}
				</Text>
			))}
			<Text color={theme.muted} wrap="truncate">{` ${body.keys}`}</Text>
		</Box>
	);
}
