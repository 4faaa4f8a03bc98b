/** The TUI's state, keys and helpers, tested without rendering anything. */
import assert from 'node:assert/strict';
import {mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {test} from 'node:test';
import {clipboardPlaceholder, osc52, systemClipboard} from '../source/tui/clipboard.js';
import {helpSections} from '../source/tui/help.js';
import {layoutFor} from '../source/tui/hooks/use-layout.js';
import {press} from '../source/tui/keys.js';
import {browserReducer, initialBrowserState, type BrowserState} from '../source/tui/state/browser.js';
import {browserCommand} from '../source/tui/state/browser-keys.js';
import {editForm, focusedField, formFields, formReducer, newForm, type FormState} from '../source/tui/state/form.js';
import {formCommand} from '../source/tui/state/form-keys.js';
import {planSubmission, type ValueReaders} from '../source/tui/state/form-submit.js';
import {filterSecrets, fit, formatAge, listViewer, scrollOffset, sortSecrets, wrapLines} from '../source/tui/state/list-view.js';
import {resolution} from '../source/tui/state/conflict.js';
import {syncColumnWidth, syncFailedMessage, syncReportMessage, syncStateOf} from '../source/tui/state/sync-state.js';
import type {ConflictDetail} from '../source/tui/sync-service.js';
import {passphraseCommand, passphraseState} from '../source/tui/state/passphrase.js';
import {bracketedPasteOff, leaveAlternateScreen, restoreTerminal, showCursor} from '../source/tui/terminal.js';
import {themeFor} from '../source/tui/theme.js';
import {summaryOf} from './helpers/summaries.js';

const summary = summaryOf;

const context = {count: 10, pageSize: 5, keyCount: 2};

test('browser: moving clamps, masks the revealed value and resets the key', () => {
	let state: BrowserState = {...initialBrowserState, revealed: {secretId: 'a', key: 'K', value: 'v'}, keyIndex: 1};
	state = browserReducer(state, {type: 'move', delta: 1, count: 3});
	assert.equal(state.cursor, 1);
	assert.equal(state.revealed, null);
	assert.equal(state.keyIndex, 0);
	state = browserReducer(state, {type: 'move', delta: 50, count: 3});
	assert.equal(state.cursor, 2);
	state = browserReducer(state, {type: 'move', delta: -50, count: 3});
	assert.equal(state.cursor, 0);
	assert.equal(browserReducer(state, {type: 'move', delta: -1, count: 3}), state, 'no change, same object');
});

test('browser: a mask timer only masks the value it was set for', () => {
	const state = {...initialBrowserState, revealed: {secretId: 'a', key: 'K2', value: 'v'}};
	assert.equal(browserReducer(state, {type: 'mask', secretId: 'a', key: 'K1'}), state);
	assert.equal(browserReducer(state, {type: 'mask', secretId: 'a', key: 'K2'}).revealed, null);
});

test('browser: filter editing, accept, clear; sort cycles name → updated → used → name', () => {
	let state = browserReducer({...initialBrowserState, cursor: 4}, {type: 'startFilter'});
	assert.equal(state.filtering, true);
	state = browserReducer(state, {type: 'editFilter', edit: {kind: 'insert', text: 'ab\u0007'}});
	assert.equal(state.query, 'ab', 'control bytes never reach the query');
	assert.equal(state.cursor, 0);
	state = browserReducer(state, {type: 'editFilter', edit: {kind: 'backspace'}});
	assert.equal(state.query, 'a');
	state = browserReducer(state, {type: 'acceptFilter'});
	assert.deepEqual([state.filtering, state.query], [false, 'a']);
	state = browserReducer(state, {type: 'clearFilter'});
	assert.equal(state.query, '');
	const sorts = [1, 2, 3].map(() => (state = browserReducer(state, {type: 'cycleSort'})).sort);
	assert.deepEqual(sorts, ['updated', 'used', 'name']);
});

test('browser keys: the filter field owns letters; the list owns them otherwise', () => {
	const filtering = {...initialBrowserState, filtering: true};
	for (const letter of ['q', 'd', 'r', 'c', 'n', 'j', 'o', '?']) {
		assert.deepEqual(browserCommand(filtering, press({text: letter}), context), {
			kind: 'dispatch',
			action: {type: 'editFilter', edit: {kind: 'insert', text: letter}},
		});
	}

	assert.deepEqual(browserCommand(initialBrowserState, press({text: 'q'}), context), {kind: 'quit'});
	assert.deepEqual(browserCommand(initialBrowserState, press({text: 'd'}), context), {kind: 'openDelete'});
	assert.deepEqual(browserCommand(initialBrowserState, press({text: 's'}), context), {kind: 'sync'});
	assert.deepEqual(browserCommand(initialBrowserState, press({text: 'j'}), context), {kind: 'dispatch', action: {type: 'move', delta: 1, count: 10}});
	assert.deepEqual(browserCommand(initialBrowserState, press({pageDown: true}), context), {kind: 'dispatch', action: {type: 'move', delta: 4, count: 10}});
	assert.deepEqual(browserCommand({...initialBrowserState, focus: 'detail'}, press({down: true}), context), {
		kind: 'dispatch',
		action: {type: 'moveKey', delta: 1, keyCount: 2},
	});
	assert.deepEqual(browserCommand(initialBrowserState, press({text: 'r'}), {...context, count: 0}), {kind: 'none'}, 'nothing to reveal in an empty list');
});

test('browser keys: help and the delete dialog take every key while open', () => {
	const help: BrowserState = {...initialBrowserState, overlay: {kind: 'help'}};
	assert.deepEqual(browserCommand(help, press({text: 'd'}), context), {kind: 'none'});
	assert.deepEqual(browserCommand(help, press({escape: true}), context), {kind: 'dispatch', action: {type: 'closeOverlay'}});
	const deleting: BrowserState = {...initialBrowserState, overlay: {kind: 'delete', secretId: 'x', name: 'x', typed: '', error: null}};
	assert.deepEqual(browserCommand(deleting, press({text: 'q'}), context), {kind: 'dispatch', action: {type: 'editDelete', edit: {kind: 'insert', text: 'q'}}});
	assert.deepEqual(browserCommand(deleting, press({enter: true}), context), {kind: 'confirmDelete'});
	const mismatch = browserReducer(deleting, {type: 'deleteMismatch'});
	assert.match(mismatch.overlay.kind === 'delete' ? mismatch.overlay.error ?? '' : '', /type x exactly/);
});

test('list view: sort orders match hush list; fuzzy filter searches name, keys, integration, description', () => {
	const secrets = [
		summary('zeta', {updatedAt: '2026-03-01T00:00:00.000Z', keys: ['STRIPE_KEY']}),
		summary('alpha', {updatedAt: '2026-02-01T00:00:00.000Z', lastUsedAt: '2026-04-01T00:00:00.000Z', integration: 'github'}),
		summary('mid', {description: 'the billing database'}),
	];
	assert.deepEqual(sortSecrets(secrets, 'name').map(secret => secret.name), ['alpha', 'mid', 'zeta']);
	assert.deepEqual(sortSecrets(secrets, 'updated').map(secret => secret.name), ['zeta', 'alpha', 'mid']);
	assert.deepEqual(sortSecrets(secrets, 'used').map(secret => secret.name), ['alpha', 'mid', 'zeta']);
	const sorted = sortSecrets(secrets, 'name');
	assert.deepEqual(filterSecrets(sorted, 'strpk').map(secret => secret.name), ['zeta']);
	assert.deepEqual(filterSecrets(sorted, 'gthb').map(secret => secret.name), ['alpha']);
	assert.deepEqual(filterSecrets(sorted, 'billing').map(secret => secret.name), ['mid']);
	assert.equal(filterSecrets(sorted, '  '), sorted);
	assert.deepEqual(filterSecrets(sorted, 'qqqq'), []);
});

test('list view: the viewer sorts then filters, and answers again only when the secrets, sort or query change', () => {
	const view = listViewer();
	const secrets = [summary('zeta'), summary('alpha'), summary('mid')];
	const byName = view(secrets, 'name', '');
	assert.deepEqual(byName.map(secret => secret.name), ['alpha', 'mid', 'zeta']);
	assert.equal(view(secrets, 'name', ''), byName, 'same inputs, same array');
	assert.deepEqual(view(secrets, 'name', 'mi').map(secret => secret.name), ['mid']);
	assert.notEqual(view([...secrets], 'name', ''), byName, 'a new listing is sorted again');
});

test('list view: scrolling keeps the cursor on screen and moves as little as it can', () => {
	assert.equal(scrollOffset(0, 0, 10, 10_000), 0);
	assert.equal(scrollOffset(9, 0, 10, 10_000), 0);
	assert.equal(scrollOffset(10, 0, 10, 10_000), 1);
	assert.equal(scrollOffset(5, 3, 10, 10_000), 3);
	assert.equal(scrollOffset(2, 3, 10, 10_000), 2);
	assert.equal(scrollOffset(9999, 0, 10, 10_000), 9990);
	assert.equal(scrollOffset(3, 50, 10, 20), 3, 'a shrunken list pulls the window back');
	assert.equal(scrollOffset(0, 0, 10, 4), 0);
});

test('text helpers: fit pads or cuts to an exact width; wrap breaks at spaces; ages are compact', () => {
	assert.equal(fit('abc', 5), 'abc  ');
	assert.equal(fit('abcdef', 4), 'abc…');
	assert.equal(fit('abc', 0), '');
	assert.deepEqual(wrapLines('one two three', 7), ['one two', 'three']);
	assert.deepEqual(wrapLines('abcdefghij', 4), ['abcd', 'efgh', 'ij']);
	const now = Date.parse('2026-01-10T00:00:00.000Z');
	assert.equal(formatAge('2026-01-09T23:59:30.000Z', now), '30s');
	assert.equal(formatAge('2026-01-09T22:00:00.000Z', now), '2h');
	assert.equal(formatAge('2026-01-01T00:00:00.000Z', now), '9d');
	assert.equal(formatAge(null, now), 'never');
});

test('help: every description fits its column at 80×24', () => {
	// The help panel splits 78 inner columns between the sections; 16 go to the keys.
	const room = Math.floor(78 / helpSections.length) - 16;
	for (const [, what] of helpSections.flatMap(section => section.keys)) {
		assert.ok([...what].length <= room, `${what} is over ${room} columns`);
	}
});

test('sync column: "local" without a remote; synced / pending / conflict from the vault; unknown ids are pending', () => {
	assert.equal(syncStateOf(summary('a'), null), 'local');
	const states = new Map([
		['id-a', 'synced'],
		['id-b', 'conflict'],
		['id-c', 'pending'],
	] as const);
	assert.equal(syncStateOf(summary('a'), states), 'synced');
	assert.equal(syncStateOf(summary('b'), states), 'conflict');
	assert.equal(syncStateOf(summary('c'), states), 'pending');
	assert.equal(syncStateOf(summary('new'), states), 'pending');
	for (const state of ['local', 'synced', 'pending', 'conflict']) {
		assert.ok(state.length <= syncColumnWidth);
	}
});

test('sync messages: counts, refusals and conflicts left; a failure in one line without "unexpected error"', () => {
	const report = {pulled: 2, pushed: 1, merged: 0, conflicts: 0, refused: []};
	assert.deepEqual(syncReportMessage(report, null), {text: 'synced: pulled 2, pushed 1', tone: 'info'});
	assert.deepEqual(syncReportMessage({...report, merged: 3, refused: ['x']}, new Map([['id-a', 'synced']] as const)), {
		text: 'synced: pulled 2, pushed 1, merged 3, refused 1',
		tone: 'error',
	});
	const states = new Map([
		['id-a', 'conflict'],
		['id-b', 'synced'],
	] as const);
	assert.deepEqual(syncReportMessage(report, states), {text: 'pulled 2, pushed 1; 1 conflict (x to resolve)', tone: 'error'});
	assert.equal(syncReportMessage(report, new Map([...states, ['id-c', 'conflict']])).text, 'pulled 2, pushed 1; 2 conflicts (x to resolve)');
	assert.deepEqual(syncFailedMessage(new Error('remote unreachable\nat line 2')), {text: 'sync failed: remote unreachable', tone: 'error'});
	assert.equal(syncFailedMessage('plain').text, 'sync failed: plain');
});

const detail: ConflictDetail = {
	id: 'id-db',
	name: 'db',
	local: {revision: 3, deleted: false},
	remote: {revision: 4, deleted: false},
	conflicts: ['key PASS', 'key USER', 'description', 'integration'],
	keys: [
		{key: 'HOST', conflict: false, local: {length: 4, fingerprint: 'aaaaaaaa'}, remote: {length: 4, fingerprint: 'aaaaaaaa'}},
		{key: 'PASS', conflict: true, local: {length: 6, fingerprint: '11111111'}, remote: {length: 7, fingerprint: '22222222'}},
		{key: 'USER', conflict: true, local: {length: 1, fingerprint: '33333333'}, remote: null},
	],
	fields: [
		{field: 'description', conflict: true, local: 'mine', remote: 'theirs'},
		{field: 'integration', conflict: true, local: 'a', remote: 'b'},
	],
};

test('sync progress: start, spinner ticks, end with a message; a second start while running changes nothing', () => {
	let state = browserReducer({...initialBrowserState, message: {text: 'old', tone: 'info'}}, {type: 'syncStart', remote: 'http://127.0.0.1:1'});
	assert.deepEqual(state.syncing, {remote: 'http://127.0.0.1:1', frame: 0});
	assert.equal(state.message, null);
	assert.equal(browserReducer(state, {type: 'syncStart', remote: 'http://elsewhere'}), state);
	state = browserReducer(browserReducer(state, {type: 'syncTick'}), {type: 'syncTick'});
	assert.equal(state.syncing?.frame, 2);
	state = browserReducer(state, {type: 'syncEnd', message: {text: 'synced: pulled 1, pushed 0', tone: 'info'}});
	assert.equal(state.syncing, null);
	assert.equal(state.message?.text, 'synced: pulled 1, pushed 0');
	assert.equal(browserReducer(state, {type: 'syncTick'}), state, 'no spinner without a sync');
});

test('conflict view: keys pick sides one by one, other conflicts share one side, resolution maps to take + keys', () => {
	let state = browserReducer(initialBrowserState, {type: 'openConflict', detail});
	assert.equal(state.overlay.kind, 'conflict');
	const view = () => (state.overlay.kind === 'conflict' ? state.overlay.view : assert.fail('not in the conflict view'));
	assert.deepEqual(resolution(view()), {missing: detail.conflicts});
	state = browserReducer(state, {type: 'conflictChoose', side: 'remote', all: false});
	assert.deepEqual(view().choices, {'key PASS': 'remote'});
	state = browserReducer(state, {type: 'conflictMove', delta: 1});
	state = browserReducer(state, {type: 'conflictChoose', side: 'local', all: false});
	state = browserReducer(state, {type: 'conflictMove', delta: 1});
	state = browserReducer(state, {type: 'conflictChoose', side: 'remote', all: false});
	// Metadata conflicts go together, as hush resolve --take does them.
	assert.deepEqual(view().choices, {'key PASS': 'remote', 'key USER': 'local', description: 'remote', integration: 'remote'});
	assert.deepEqual(resolution(view()), {take: 'remote', keys: new Map([['PASS', 'remote'], ['USER', 'local']])});
	state = browserReducer(state, {type: 'conflictMove', delta: 10});
	assert.equal(view().row, 3, 'the cursor stops at the last conflict');
	state = browserReducer(state, {type: 'conflictChoose', side: 'local', all: true});
	assert.deepEqual(resolution(view()), {take: 'local', keys: new Map([['PASS', 'local'], ['USER', 'local']])});
	state = browserReducer(state, {type: 'conflictError', error: 'refused'});
	assert.equal(view().error, 'refused');
	state = browserReducer(state, {type: 'conflictChoose', side: 'remote', all: false});
	assert.equal(view().error, null, 'a new choice clears the error');
	state = browserReducer(state, {type: 'closeOverlay'});
	assert.equal(state.overlay.kind, 'none');
	// Only keys conflict: no take at all, so nothing else is forced to a side.
	const keysOnly = browserReducer(initialBrowserState, {type: 'openConflict', detail: {...detail, conflicts: ['key PASS']}});
	const chosen = browserReducer(keysOnly, {type: 'conflictChoose', side: 'local', all: false});
	assert.deepEqual(chosen.overlay.kind === 'conflict' && resolution(chosen.overlay.view), {keys: new Map([['PASS', 'local']])});
});

test('conflict keys: the view owns the keyboard; x and Enter on a conflicted secret open it; s syncs', () => {
	const inView = browserReducer(initialBrowserState, {type: 'openConflict', detail});
	assert.deepEqual(browserCommand(inView, press({text: 'l'}), context), {kind: 'dispatch', action: {type: 'conflictChoose', side: 'local', all: false}});
	assert.deepEqual(browserCommand(inView, press({right: true}), context), {kind: 'dispatch', action: {type: 'conflictChoose', side: 'remote', all: false}});
	assert.deepEqual(browserCommand(inView, press({text: 'R'}), context), {kind: 'dispatch', action: {type: 'conflictChoose', side: 'remote', all: true}});
	assert.deepEqual(browserCommand(inView, press({down: true}), context), {kind: 'dispatch', action: {type: 'conflictMove', delta: 1}});
	assert.deepEqual(browserCommand(inView, press({text: 'k'}), context), {kind: 'dispatch', action: {type: 'conflictMove', delta: -1}});
	assert.deepEqual(browserCommand(inView, press({enter: true}), context), {kind: 'resolveConflict'});
	assert.deepEqual(browserCommand(inView, press({escape: true}), context), {kind: 'dispatch', action: {type: 'closeOverlay'}});
	// Keys that mean something on the list do nothing here: no reveal, no delete, no sync.
	for (const text of ['c', 'd', 'n', 's', 'x', '/']) {
		assert.deepEqual(browserCommand(inView, press({text}), context), {kind: 'none'}, text);
	}

	assert.deepEqual(browserCommand(initialBrowserState, press({text: 'x'}), context), {kind: 'openConflict'});
	assert.deepEqual(browserCommand(initialBrowserState, press({text: 's'}), context), {kind: 'sync'});
	assert.deepEqual(browserCommand(initialBrowserState, press({enter: true}), {...context, selectedConflict: true}), {kind: 'openConflict'});
	assert.deepEqual(browserCommand(initialBrowserState, press({enter: true}), context), {kind: 'dispatch', action: {type: 'focus', pane: 'detail'}});
	// While filtering, x is text for the filter.
	const filtering = browserReducer(initialBrowserState, {type: 'startFilter'});
	assert.deepEqual(browserCommand(filtering, press({text: 'x'}), context), {kind: 'dispatch', action: {type: 'editFilter', edit: {kind: 'insert', text: 'x'}}});
});

test('layout: 80×24 stacks the panes, wide windows put them side by side, and the body fills the window exactly', () => {
	const small = layoutFor(80, 24);
	assert.equal(small.stacked, true);
	assert.equal(small.list.height + small.detail.height, small.bodyRows);
	assert.equal(small.bodyRows + 2, 24);
	const wide = layoutFor(160, 50);
	assert.equal(wide.stacked, false);
	assert.equal(wide.list.width + wide.detail.width, 160);
});

test('theme: NO_COLOR (any non-empty value) removes every colour', () => {
	assert.ok(Object.values(themeFor({NO_COLOR: '1'})).every(colour => colour === undefined));
	assert.ok(Object.values(themeFor({})).every(colour => typeof colour === 'string'));
	assert.ok(Object.values(themeFor({NO_COLOR: ''})).every(colour => typeof colour === 'string'));
});

test('passphrase: unlock submits one field; create asks twice and refuses a mismatch', () => {
	let state = passphraseState(2);
	const type = (text: string) => {
		const command = passphraseCommand(state, press({text}));
		assert.equal(command.kind, 'edit');
		state = command.kind === 'edit' ? command.state : state;
	};

	assert.deepEqual(passphraseCommand(state, press({enter: true})).kind, 'edit', 'empty: asks for it');
	type('first one');
	let command = passphraseCommand(state, press({enter: true}));
	state = command.kind === 'edit' ? command.state : state;
	assert.equal(state.focus, 1);
	type('second');
	command = passphraseCommand(state, press({enter: true}));
	assert.equal(command.kind, 'edit');
	state = command.kind === 'edit' ? command.state : state;
	assert.match(state.error ?? '', /differ/);
	assert.equal(state.values[1], '');
	type('first one');
	assert.deepEqual(passphraseCommand(state, press({enter: true})), {kind: 'submit', passphrase: 'first one'});
	assert.deepEqual(passphraseCommand(passphraseState(1), press({escape: true})), {kind: 'quit'});
	assert.deepEqual(passphraseCommand({...passphraseState(1), busy: true}, press({text: 'x'})), {kind: 'none'});
});

function fill(form: FormState, ...steps: Array<string | 'next' | 'cycle' | 'add'>): FormState {
	for (const step of steps) {
		form =
			step === 'next'
				? formReducer(form, {type: 'next'})
				: step === 'cycle'
					? formReducer(form, {type: 'cycle', delta: 1})
					: step === 'add'
						? formReducer(form, {type: 'addKey'})
						: formReducer(form, {type: 'edit', edit: {kind: 'insert', text: step}});
	}

	return form;
}

const readers = (extra: Partial<ValueReaders> = {}): ValueReaders => ({
	env: {FROM_ENV: 'env-value'},
	readFile(path) {
		if (path === '/values/key.pem') {
			return 'file-value\n';
		}

		throw new Error(`no file ${path}`);
	},
	async readKeychain(service, account) {
		return `keychain:${service}:${account}`;
	},
	...extra,
});

test('form: fields follow each row’s value source; toggles and choices cycle', () => {
	let form = newForm();
	assert.deepEqual(formFields(form).slice(7), ['row:0:key', 'row:0:source', 'row:0:typed', 'addKey', 'save']);
	form = fill(form, 'next', 'cycle', 'next', 'cycle');
	assert.equal(form.private, true);
	assert.equal(form.type, 'token');
	form = fill(form, 'next', 'next', 'next', 'next', 'next', 'next', 'cycle');
	assert.equal(focusedField(form), 'row:0:source');
	assert.equal(form.rows[0]!.source, 'env');
	form = fill(form, 'cycle', 'cycle');
	assert.equal(form.rows[0]!.source, 'keychain');
	assert.deepEqual(formFields(form).slice(7, 11), ['row:0:key', 'row:0:source', 'row:0:service', 'row:0:account']);
	form = fill(form, 'add');
	assert.equal(focusedField(form), 'row:1:key');
	form = formReducer(form, {type: 'removeKey'});
	assert.equal(form.rows.length, 1);
});

test('form keys: text goes to text fields; Space and arrows change choices; Ctrl-S submits; Esc cancels', () => {
	const form = newForm();
	assert.deepEqual(formCommand(form, press({text: ' '})), {kind: 'dispatch', action: {type: 'edit', edit: {kind: 'insert', text: ' '}}});
	const onToggle = formReducer(form, {type: 'next'});
	assert.deepEqual(formCommand(onToggle, press({text: ' '})), {kind: 'dispatch', action: {type: 'cycle', delta: 1}});
	assert.deepEqual(formCommand(onToggle, press({text: 'x'})), {kind: 'none'});
	assert.deepEqual(formCommand(form, press({ctrl: 's'})), {kind: 'submit'});
	assert.deepEqual(formCommand(form, press({escape: true})), {kind: 'cancel'});
});

test('form submit: every value source is read; errors name keys, variables and paths, never a value', async () => {
	let form = fill(newForm(), 'api');
	form = {
		...form,
		rows: [
			{...form.rows[0]!, key: 'TYPED', typed: 'typed-value'},
			{...form.rows[0]!, rowId: 1, key: 'ENV', source: 'env', variable: 'FROM_ENV'},
			{...form.rows[0]!, rowId: 2, key: 'FILE', source: 'file', path: '/values/key.pem'},
			{...form.rows[0]!, rowId: 3, key: 'CHAIN', source: 'keychain', service: 'svc', account: 'me'},
		],
	};
	const planned = await planSubmission(form, readers());
	assert.ok(planned.ok);
	assert.deepEqual(planned.submission, {
		kind: 'create',
		name: 'api',
		values: {TYPED: 'typed-value', ENV: 'env-value', FILE: 'file-value\n', CHAIN: 'keychain:svc:me'},
		options: {type: 'generic', description: '', integration: '', writeOnly: false, private: false},
	});

	const bad = {
		...form,
		name: 'no spaces allowed',
		rows: [
			{...form.rows[0]!, key: 'TYPED', typed: ''},
			{...form.rows[1]!, variable: 'MISSING'},
			{...form.rows[2]!, key: 'TYPED'},
			{...form.rows[3]!, source: 'keychain' as const},
		],
	};
	const failed = await planSubmission(bad, readers({readKeychain: async () => Promise.reject(new Error('locked'))}));
	assert.ok(!failed.ok);
	assert.match(failed.errors.name ?? '', /invalid secret name/);
	assert.match(failed.errors['row:0:typed'] ?? '', /type a value for TYPED/);
	assert.match(failed.errors['row:1:variable'] ?? '', /MISSING is not set/);
	assert.match(failed.errors['row:2:key'] ?? '', /TYPED appears twice/);
	assert.match(failed.errors['row:3:service'] ?? '', /locked/);
	assert.doesNotMatch(JSON.stringify(failed.errors), /typed-value|env-value|file-value|keychain:svc/);
	const tooBig = await planSubmission({...form, rows: [{...form.rows[0]!, typed: 'x'.repeat(70 * 1024)}]}, readers());
	assert.ok(!tooBig.ok);
	assert.match(tooBig.errors['row:0:typed'] ?? '', /limit is 65536 bytes/);
});

test('form submit: an edit keeps unchanged values, removes dropped keys, renames and moves visibility', async () => {
	const secret = summary('api', {keys: ['KEEP', 'DROP', 'CHANGE']});
	let form = editForm(secret);
	form = {
		...form,
		name: 'api-2',
		private: true,
		rows: [form.rows[0]!, {...form.rows[2]!, source: 'typed', typed: 'new-value'}],
	};
	const planned = await planSubmission(form, readers());
	assert.ok(planned.ok);
	assert.deepEqual(planned.submission, {
		kind: 'edit',
		id: secret.id,
		rename: 'api-2',
		changes: {type: 'generic', description: '', integration: '', writeOnly: false, values: {CHANGE: 'new-value'}, remove: ['DROP'], private: true},
	});
	const emptied = await planSubmission({...form, rows: []}, readers());
	assert.ok(!emptied.ok);
	assert.match(emptied.errors.addKey ?? '', /at least one key/);
});

test('clipboard over OSC 52: copies through the terminal and clears only what it copied last', async () => {
	const written: string[] = [];
	const clipboard = systemClipboard({PATH: ''}, {write: data => written.push(data)});
	assert.match(clipboard.method, /OSC 52/);
	await clipboard.copy('first');
	assert.deepEqual(written, [osc52('first')]);
	assert.equal(osc52('first'), `\u001B]52;c;${Buffer.from('first').toString('base64')}\u0007`);
	await clipboard.copy('second');
	assert.equal(await clipboard.clearIfUnchanged('first'), false, 'something newer was copied');
	assert.equal(await clipboard.clearIfUnchanged('second'), true);
	// Overwritten with a blank, not sent empty: tmux and other terminals ignore an empty OSC 52.
	assert.equal(written.at(-1), osc52(' '));
	assert.equal(clipboard.viaTerminal, true);
});

test('clipboard through a native tool: the clear overwrites it with a blank through the same tool, only if it still holds the value', async t => {
	const folder = mkdtempSync(join(tmpdir(), 'hush-clip-'));
	t.after(() => rmSync(folder, {recursive: true, force: true}));
	const store = join(folder, 'clipboard');
	// A stand-in xclip: copies stdin into a file, or prints it with -o.
	writeFileSync(join(folder, 'xclip'), `#!/bin/sh\nif [ "$3" = "-o" ]; then cat "$CLIP_STORE"; else cat > "$CLIP_STORE"; fi\n`, {mode: 0o755});
	const clipboard = systemClipboard({PATH: `${folder}:/usr/bin:/bin`, DISPLAY: ':0', CLIP_STORE: store}, {write: () => assert.fail('no OSC 52 with a tool')});
	assert.equal(clipboard.method, 'xclip');
	assert.equal(clipboard.viaTerminal, false);
	await clipboard.copy('tool-value');
	assert.equal(readFileSync(store, 'utf8'), 'tool-value');
	assert.equal(await clipboard.clearIfUnchanged('other'), false, 'it holds something else');
	assert.equal(readFileSync(store, 'utf8'), 'tool-value');
	assert.equal(await clipboard.clearIfUnchanged('tool-value'), true);
	assert.equal(readFileSync(store, 'utf8'), clipboardPlaceholder);
	assert.equal(clipboardPlaceholder, ' ');
});

test('restoring the terminal: raw mode off, bracketed paste off, main screen, cursor shown', () => {
	const calls: boolean[] = [];
	const written: string[] = [];
	restoreTerminal({isTTY: true, isRaw: true, setRawMode: mode => calls.push(mode)}, {write: data => written.push(data)});
	assert.deepEqual(calls, [false]);
	assert.equal(written.join(''), '\u001B[?2004l\u001B[?1049l\u001B[?25h');
	assert.equal(written.join(''), bracketedPasteOff + leaveAlternateScreen + showCursor);
});
