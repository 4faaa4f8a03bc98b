import {type KeyPress, textEditOf} from '../keys.js';
import type {ExposureMark, Me, TeamData, TeamRole} from '../team-service.js';
import {teamRoles} from '../team-service.js';
import {type TextEdit, editText} from './text.js';

/**
 * The members view, decided from its state alone (no Ink): the team as last fetched, the cursor,
 * and the one panel that holds the keyboard (an invite form, the code shown once, a fingerprint to
 * confirm, a role to pick, a removal to confirm, the report after it). The hook (use-members.ts)
 * carries out the commands {@link membersCommand} names.
 */
export type MembersPanel =
	| {kind: 'none'}
	| {kind: 'invite'; user: string; role: TeamRole}
	| {kind: 'code'; user: string; code: string; expiresAt: string}
	| {kind: 'approveName'; user: string}
	| {kind: 'approveConfirm'; name: string; role: string; digits: string}
	| {kind: 'role'; user: string; from: string; role: TeamRole}
	| {kind: 'removeConfirm'; name: string; role: string; exposed: number; generation: number | null}
	| {kind: 'report'; lines: string[]};

export type Tone = 'info' | 'error';

export type MembersState = {
	me: Me | null;
	team: {kind: 'loading'} | {kind: 'failed'; error: string} | {kind: 'loaded'; data: TeamData};
	cursor: number;
	panel: MembersPanel;
	/** What is running against the server ("inviting bob…"); keys wait while it does, except a confirm's answer. */
	busy: string | null;
	message: {text: string; tone: Tone} | null;
	/** Removed members' exposure, for marking secrets on the main screen until they are rotated. */
	exposure: ExposureMark[];
};

export const initialMembersState: MembersState = {me: null, team: {kind: 'loading'}, cursor: 0, panel: {kind: 'none'}, busy: null, message: null, exposure: []};

export type MembersAction =
	| {type: 'me'; me: Me}
	| {type: 'loading'}
	| {type: 'loaded'; data: TeamData}
	| {type: 'failed'; error: string}
	| {type: 'exposure'; marks: ExposureMark[]}
	| {type: 'move'; delta: number}
	| {type: 'open'; panel: MembersPanel}
	| {type: 'close'}
	| {type: 'editName'; edit: TextEdit}
	| {type: 'cycleRole'; delta: 1 | -1}
	| {type: 'busy'; text: string}
	| {type: 'say'; message: {text: string; tone: Tone}}
	| {type: 'done'; message?: {text: string; tone: Tone}; panel?: MembersPanel};

const cycle = (role: TeamRole, delta: number): TeamRole => teamRoles[(teamRoles.indexOf(role) + delta + teamRoles.length) % teamRoles.length]!;

export function membersReducer(state: MembersState, action: MembersAction): MembersState {
	switch (action.type) {
		case 'me': {
			return {...state, me: action.me};
		}

		case 'loading': {
			return {...state, team: {kind: 'loading'}};
		}

		case 'loaded': {
			return {...state, team: {kind: 'loaded', data: action.data}, cursor: Math.min(state.cursor, Math.max(0, action.data.members.length - 1))};
		}

		case 'failed': {
			return {...state, team: {kind: 'failed', error: action.error}};
		}

		case 'exposure': {
			return {...state, exposure: action.marks};
		}

		case 'move': {
			const count = state.team.kind === 'loaded' ? state.team.data.members.length : 0;
			return {...state, cursor: Math.max(0, Math.min(count - 1, state.cursor + action.delta))};
		}

		case 'open': {
			return {...state, panel: action.panel, message: null};
		}

		case 'close': {
			return {...state, panel: {kind: 'none'}};
		}

		case 'editName': {
			const {panel} = state;
			return panel.kind === 'invite' || panel.kind === 'approveName' ? {...state, panel: {...panel, user: editText(panel.user, action.edit).trim()}} : state;
		}

		case 'cycleRole': {
			const {panel} = state;
			return panel.kind === 'invite' || panel.kind === 'role' ? {...state, panel: {...panel, role: cycle(panel.role, action.delta)}} : state;
		}

		case 'busy': {
			return {...state, busy: action.text, message: null};
		}

		case 'say': {
			return {...state, message: action.message};
		}

		case 'done': {
			return {...state, busy: null, message: action.message ?? null, panel: action.panel ?? {kind: 'none'}};
		}
	}
}

export function selectedMember(state: MembersState) {
	return state.team.kind === 'loaded' ? state.team.data.members[state.cursor] : undefined;
}

export type MembersCommand =
	| {kind: 'dispatch'; action: MembersAction}
	| {kind: 'close' | 'invite' | 'approve' | 'applyRole' | 'remove' | 'reload' | 'copyCode' | 'none'}
	| {kind: 'answer'; yes: boolean};

const dispatch = (action: MembersAction): MembersCommand => ({kind: 'dispatch', action});
const none: MembersCommand = {kind: 'none'};
const say = (text: string): MembersCommand => dispatch({type: 'done', message: {text, tone: 'error'}});

/** Why an admin-only key does nothing here, or undefined when you are an admin. */
export function notAdmin(state: MembersState, what: string): string | undefined {
	if (state.team.kind !== 'loaded') {
		return `${what}: the team has not loaded`;
	}

	const {role} = state.team.data;
	return role === 'admin' ? undefined : `only an admin can ${what}: you are ${role ? `a ${role} member` : 'not a member'}`;
}

function panelCommand(state: MembersState, panel: Exclude<MembersPanel, {kind: 'none'}>, key: KeyPress): MembersCommand {
	switch (panel.kind) {
		case 'approveConfirm':
		case 'removeConfirm': {
			// Only y says yes; Enter, n and Esc all mean no (the default shown is N).
			if (key.text === 'y' || key.text === 'Y') {
				return {kind: 'answer', yes: true};
			}

			return key.escape || key.enter || key.text === 'n' || key.text === 'N' ? {kind: 'answer', yes: false} : none;
		}

		case 'code':
		case 'report': {
			if (panel.kind === 'code' && key.text === 'c' && !key.paste) {
				return {kind: 'copyCode'};
			}

			return key.escape || key.enter ? dispatch({type: 'close'}) : none;
		}

		default: {
			break;
		}
	}

	if (state.busy !== null) {
		return none;
	}

	if (key.escape) {
		return dispatch({type: 'close'});
	}

	if (panel.kind === 'role') {
		if (key.left || key.up || key.text === 'k' || key.text === 'h') {
			return dispatch({type: 'cycleRole', delta: -1});
		}

		if (key.right || key.down || key.tab || key.text === ' ' || key.text === 'j' || key.text === 'l') {
			return dispatch({type: 'cycleRole', delta: 1});
		}

		return key.enter ? {kind: 'applyRole'} : none;
	}

	if (key.enter) {
		return {kind: panel.kind === 'invite' ? 'invite' : 'approve'};
	}

	if (panel.kind === 'invite' && (key.left || key.right || key.tab || key.shiftTab)) {
		return dispatch({type: 'cycleRole', delta: key.left || key.shiftTab ? -1 : 1});
	}

	const edit = key.paste ? {kind: 'insert' as const, text: key.text} : textEditOf(key);
	return edit ? dispatch({type: 'editName', edit}) : none;
}

export function membersCommand(state: MembersState, key: KeyPress): MembersCommand {
	const {panel} = state;
	if (panel.kind !== 'none') {
		return panelCommand(state, panel, key);
	}

	if (key.escape || (key.text === 'm' && !key.paste)) {
		return {kind: 'close'};
	}

	if (key.paste || state.busy !== null) {
		return none;
	}

	if (key.up || key.down || key.text === 'k' || key.text === 'j') {
		return dispatch({type: 'move', delta: key.up || key.text === 'k' ? -1 : 1});
	}

	const member = selectedMember(state);
	switch (key.ctrl === '' ? key.text : '') {
		case 'u': {
			return {kind: 'reload'};
		}

		case 'i': {
			const why = notAdmin(state, 'invite');
			return why ? say(why) : dispatch({type: 'open', panel: {kind: 'invite', user: '', role: 'read'}});
		}

		case 'a': {
			const why = notAdmin(state, 'approve a join');
			return why ? say(why) : dispatch({type: 'open', panel: {kind: 'approveName', user: ''}});
		}

		case 'r': {
			const why = notAdmin(state, 'change a role');
			if (why || !member) {
				return why ? say(why) : none;
			}

			if (member.you) {
				return say('an admin does not change their own role: another admin does it, from their device');
			}

			const role = teamRoles.includes(member.role as TeamRole) ? (member.role as TeamRole) : 'read';
			return dispatch({type: 'open', panel: {kind: 'role', user: member.name, from: member.role, role}});
		}

		case 'x':
		case 'd': {
			const why = notAdmin(state, 'remove a member');
			if (why || !member) {
				return why ? say(why) : none;
			}

			return member.you ? say('an admin does not remove themselves: another admin does it, from their device') : {kind: 'remove'};
		}

		default: {
			return none;
		}
	}
}
