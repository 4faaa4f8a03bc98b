import {Box, Text} from 'ink';
import {visible} from '../../text/visible.js';
import {MembersPanel} from '../components/members-panel.js';
import {useKeyHandler} from '../hooks/key-router.js';
import {useLayout} from '../hooks/use-layout.js';
import {useMembers} from '../hooks/use-members.js';
import type {TuiServices} from '../services.js';
import {type MembersState, notAdmin} from '../state/members.js';
import type {ExposureMark} from '../team-service.js';
import {useTheme} from '../theme.js';
import type {Vault} from '../../vault/vault.js';

export type MembersScreenProps = {
	readonly vault: Vault;
	readonly services: TuiServices;
	readonly onClose: () => void;
	readonly onExposure: (marks: ExposureMark[]) => void;
};

/** The keys line: an admin's actions, or why they are not yours. */
export function membersHint(state: MembersState): string {
	if (state.team.kind !== 'loaded') {
		return 'u reload · Esc back';
	}

	const {role} = state.team.data;
	return notAdmin(state, '') ? `list only: i a r x are for admins (you are ${role ?? 'not a member'}) · u reload · Esc back` : 'i invite · a approve · r role · x remove · ↑↓ move · u reload · Esc back';
}

/** `m`: who you are, and the team as its verified membership log says, with an admin's actions. */
export function MembersScreen({vault, services, onClose, onExposure}: MembersScreenProps) {
	const theme = useTheme();
	const layout = useLayout();
	const {state, onKey} = useMembers({vault, services, onClose, onExposure});
	useKeyHandler(onKey);

	const {team, me, panel, busy, message} = state;
	const width = layout.columns;
	const panelRows = panel.kind === 'none' ? 0 : Math.min(layout.rows - 8, panel.kind === 'report' || panel.kind === 'code' ? layout.rows : 7);
	const listRows = Math.max(2, layout.rows - 4 - panelRows - 2);
	const data = team.kind === 'loaded' ? team.data : undefined;
	const title = data ? `team ${visible(data.teamName)} · you are ${data.role ?? 'not a member'}` : 'team';
	const perMember = 2;
	const shown = Math.max(1, Math.floor(listRows / perMember));
	const start = Math.max(0, Math.min(state.cursor - shown + 1, (data?.members.length ?? 0) - shown));
	const nameWidth = Math.min(24, Math.max(4, ...(data?.members.map(member => visible(member.name).length) ?? [0])));

	let list;
	if (team.kind === 'loading') {
		list = <Text color={theme.muted}> loading…</Text>;
	} else if (team.kind === 'failed') {
		list = (
			<Text color={theme.error} wrap="truncate">
				{` ${visible(team.error)}`}
			</Text>
		);
	} else {
		list = team.data.members.slice(Math.max(0, start), Math.max(0, start) + shown).map((member, index) => {
			const selected = Math.max(0, start) + index === state.cursor;
			const notes = [member.founder ? 'founder' : '', member.you ? 'you' : ''].filter(Boolean).join(', ');
			return (
				<Box key={member.digits} flexDirection="column">
					<Text wrap="truncate" bold={selected} inverse={selected && panel.kind === 'none'}>
						{`${selected ? '›' : ' '} ${visible(member.name).padEnd(nameWidth)}  ${visible(member.role).padEnd(5)}  added ${member.addedAt.slice(0, 16).replace('T', ' ')}${notes ? ` (${notes})` : ''}`}
					</Text>
					<Text wrap="truncate" color={theme.muted}>{`    ${member.digits}`}</Text>
				</Box>
			);
		});
	}

	return (
		<Box flexDirection="column" width={width} height={layout.rows} overflow="hidden">
			<Text bold color={theme.accent} wrap="truncate">{` hush · members · ${title}`}</Text>
			<Text wrap="truncate">{me ? ` you  ${visible(me.name)}  ${me.digits}` : ' you  …'}</Text>
			<Box flexDirection="column" width={width} height={listRows + 2} borderStyle="round" borderColor={theme.border} overflow="hidden">
				{list}
			</Box>
			<MembersPanel panel={panel} width={width} height={panelRows} busy={busy} />
			<Box flexGrow={1} />
			<Text wrap="truncate" color={message?.tone === 'error' ? theme.error : theme.success}>
				{message ? ` ${visible(message.text)}` : busy ? ` ${busy}` : ' '}
			</Text>
			<Text wrap="truncate" color={theme.muted}>{` ${membersHint(state)}`}</Text>
		</Box>
	);
}
