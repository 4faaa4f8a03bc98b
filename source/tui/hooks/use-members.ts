import {useEffect, useRef} from 'react';
import {describeError} from '../../errors.js';
import type {Vault} from '../../vault/vault.js';
import type {KeyPress} from '../keys.js';
import type {TuiServices} from '../services.js';
import {type MembersState, initialMembersState, membersCommand, membersReducer, selectedMember} from '../state/members.js';
import type {ExposureMark} from '../team-service.js';
import {useCodeCopy} from './use-code-copy.js';
import {useLatestReducer} from './use-latest-reducer.js';

export type MembersOptions = {
	vault: Vault;
	services: TuiServices;
	onClose(): void;
	/** Removed members' exposure as last fetched, for the main screen's marks. */
	onExposure(marks: ExposureMark[]): void;
};

/**
 * The members view's behaviour: fetches who you are and the team, and carries out the commands
 * membersCommand names, each against the server through services.team. approveMember and
 * removeMember ask their question through a callback; it waits here on a promise that the y/N
 * key settles, so the question is a panel on screen, not a prompt.
 */
export function useMembers({vault, services, onClose, onExposure}: MembersOptions): {state: MembersState; onKey(key: KeyPress): void} {
	const [state, dispatch, readState] = useLatestReducer(membersReducer, initialMembersState);
	/** False once the view is gone (Esc, or the vault locked): late answers are dropped. */
	const mounted = useRef(true);
	const pending = useRef<((yes: boolean) => void) | null>(null);
	const copyCode = useCodeCopy(services, message => dispatch({type: 'say', message}));
	const {team} = services;

	const load = () => {
		dispatch({type: 'loading'});
		team.members(vault).then(
			data => {
				if (mounted.current) {
					dispatch({type: 'loaded', data});
				}
			},
			(error: unknown) => {
				if (mounted.current) {
					dispatch({type: 'failed', error: describeError(error)});
				}
			},
		);
		team.exposure(vault).then(
			marks => {
				if (mounted.current) {
					dispatch({type: 'exposure', marks});
					onExposure(marks);
				}
			},
			// The members line already says why the team could not be read.
			() => undefined,
		);
	};

	useEffect(() => {
		mounted.current = true;
		team.me(vault).then(
			me => {
				if (mounted.current) {
					dispatch({type: 'me', me});
				}
			},
			(error: unknown) => {
				if (mounted.current) {
					dispatch({type: 'done', message: {text: describeError(error), tone: 'error'}});
				}
			},
		);
		load();
		return () => {
			mounted.current = false;
			pending.current?.(false);
		};
	}, []);

	/** Runs one team action; on success says so (and reloads the list), on failure says why. */
	const run = (busy: string, work: () => Promise<Parameters<typeof dispatch>[0] | string>) => {
		dispatch({type: 'busy', text: busy});
		work().then(
			outcome => {
				if (mounted.current) {
					dispatch(typeof outcome === 'string' ? {type: 'done', message: {text: outcome, tone: 'info'}} : outcome);
					load();
				}
			},
			(error: unknown) => {
				if (mounted.current) {
					dispatch({type: 'done', message: {text: describeError(error), tone: 'error'}});
				}
			},
		);
	};

	/** Shows a question and waits for its y/N. */
	const ask = async (panel: Parameters<typeof dispatch>[0] & {type: 'open'}) =>
		new Promise<boolean>(resolve => {
			pending.current = resolve;
			dispatch(panel);
		});

	const onKey = (key: KeyPress) => {
		const current = readState();
		const command = membersCommand(current, key);
		switch (command.kind) {
			case 'dispatch': {
				dispatch(command.action);
				break;
			}

			case 'close': {
				onClose();
				break;
			}

			case 'reload': {
				load();
				break;
			}

			case 'copyCode': {
				if (current.panel.kind === 'code') {
					copyCode(current.panel.code, current.panel.user);
				}

				break;
			}

			case 'answer': {
				const resolve = pending.current;
				pending.current = null;
				dispatch({type: 'open', panel: {kind: 'none'}});
				resolve?.(command.yes);
				break;
			}

			case 'invite': {
				const {panel} = current;
				if (panel.kind === 'invite' && panel.user !== '') {
					run(`inviting ${panel.user}…`, async () => {
						const {code, expiresAt} = await team.invite(vault, panel.user, panel.role);
						return {type: 'done', panel: {kind: 'code', user: panel.user, code, expiresAt}};
					});
				}

				break;
			}

			case 'approve': {
				const {panel} = current;
				if (panel.kind === 'approveName' && panel.user !== '') {
					run(`checking ${panel.user}'s join…`, async () =>
						team.approve(vault, panel.user, async joiner => ask({type: 'open', panel: {kind: 'approveConfirm', ...joiner}})),
					);
				}

				break;
			}

			case 'applyRole': {
				const {panel} = current;
				if (panel.kind === 'role') {
					run(`changing ${panel.user}'s role…`, async () => team.changeRole(vault, panel.user, panel.role));
				}

				break;
			}

			case 'remove': {
				const member = selectedMember(current);
				if (member) {
					const generation = current.team.kind === 'loaded' ? current.team.data.generation : null;
					run(`checking what ${member.name} could read…`, async () => {
						const removal = await team.remove(vault, member.name, async asked => ask({type: 'open', panel: {kind: 'removeConfirm', ...asked, generation}}));
						return {type: 'done', panel: {kind: 'report', lines: removal.lines}};
					});
				}

				break;
			}

			case 'none': {
				break;
			}
		}
	};

	return {state, onKey};
}
