import {Box, Text} from 'ink';
import {useMemo, useState} from 'react';
import type {Vault} from '../../vault/vault.js';
import {ConflictPanel} from '../components/conflict-panel.js';
import {DeleteDialog} from '../components/delete-dialog.js';
import {DetailPane} from '../components/detail-pane.js';
import {HelpPanel} from '../components/help-panel.js';
import {SecretList} from '../components/secret-list.js';
import {StatusBar, conflictsLabel} from '../components/status-bar.js';
import {TextField} from '../components/text-field.js';
import {useKeyHandler} from '../hooks/key-router.js';
import {useBrowser} from '../hooks/use-browser.js';
import {useLayout} from '../hooks/use-layout.js';
import type {TuiServices} from '../services.js';
import {conflictCount} from '../state/conflict.js';
import {type FormState, editForm, newForm} from '../state/form.js';
import {fit, sortLabels} from '../state/list-view.js';
import {countsLabel, emptyListText} from '../state/loading-text.js';
import {useTheme} from '../theme.js';
import {FormScreen} from './form-screen.js';

export type MainScreenProps = {
	readonly vault: Vault;
	readonly services: TuiServices;
	readonly onQuit: () => void;
};

/** The unlocked vault: title line, list and detail panes (or help, delete, form), status bar. */
export function MainScreen({vault, services, onQuit}: MainScreenProps) {
	const theme = useTheme();
	const layout = useLayout();
	const [form, setForm] = useState<FormState | null>(null);
	const browser = useBrowser({
		vault,
		services,
		listRows: Math.max(0, layout.list.height - 3),
		onNew: () => setForm(newForm()),
		onEdit: secret => setForm(editForm(vault.describeSecret(secret.id))),
		onQuit,
	});
	useKeyHandler(browser.onKey);

	const {state} = browser;
	const counts = countsLabel(browser.total, browser.visible.length, state.query, browser.loading);
	const conflicts = useMemo(() => conflictCount(browser.syncStates), [browser.syncStates]);
	const titleLeft = ` hush · ${counts}${conflicts > 0 ? ` · ${conflictsLabel(conflicts)}` : ''} · sort: ${sortLabels[state.sort]} `;
	const filterWidth = Math.max(10, layout.columns - [...titleLeft].length - 8);
	const showFilter = state.filtering || state.query !== '';

	let body;
	if (form) {
		body = (
			<FormScreen
				vault={vault}
				readers={services.readers}
				initial={form}
				width={layout.columns}
				height={layout.bodyRows}
				onSaved={(secret, message) => {
					setForm(null);
					browser.saved(secret, message);
				}}
				onCancel={() => {
					setForm(null);
					browser.say({text: 'nothing saved', tone: 'info'});
				}}
			/>
		);
	} else if (state.overlay.kind === 'help') {
		body = <HelpPanel width={layout.columns} height={layout.bodyRows} />;
	} else if (state.overlay.kind === 'conflict') {
		body = <ConflictPanel view={state.overlay.view} width={layout.columns} height={layout.bodyRows} />;
	} else {
		const list = (
			<SecretList
				secrets={browser.visible}
				cursor={browser.cursor}
				offset={browser.offset}
				width={layout.list.width}
				height={layout.list.height}
				focused={state.focus === 'list' && state.overlay.kind === 'none'}
				now={services.now()}
				emptyText={emptyListText(browser.total, browser.loading)}
				syncStates={browser.syncStates}
			/>
		);
		const side =
			state.overlay.kind === 'delete' ? (
				<DeleteDialog name={state.overlay.name} typed={state.overlay.typed} error={state.overlay.error} width={layout.detail.width} height={layout.detail.height} />
			) : (
				<DetailPane
					secret={browser.selected}
					keyIndex={state.keyIndex}
					revealed={state.revealed}
					width={layout.detail.width}
					height={layout.detail.height}
					focused={state.focus === 'detail'}
					now={services.now()}
				/>
			);
		body = (
			<Box flexDirection={layout.stacked ? 'column' : 'row'} height={layout.bodyRows}>
				{list}
				{side}
			</Box>
		);
	}

	return (
		<Box flexDirection="column" width={layout.columns} height={layout.rows} overflow="hidden">
			<Box height={1}>
				<Text bold color={theme.accent} wrap="truncate">
					{titleLeft}
				</Text>
				{showFilter && !form ? (
					<TextField label="/" value={state.query} focused={state.filtering} labelWidth={1} width={filterWidth} />
				) : (
					<Text color={theme.muted} wrap="truncate">
						{fit('/ filter · ? help · q quit', Math.max(0, layout.columns - [...titleLeft].length))}
					</Text>
				)}
			</Box>
			<Box height={layout.bodyRows} overflow="hidden">
				{body}
			</Box>
			<StatusBar width={layout.columns} path={vault.path} locked={false} count={browser.total} loading={browser.loading} conflicts={conflicts} message={state.message} syncing={state.syncing} />
		</Box>
	);
}
