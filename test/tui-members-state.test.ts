/** The members view's state and keys, tested without rendering: what each key means, for an admin and for others. */
import assert from 'node:assert/strict';
import {test} from 'node:test';
import {exposedTo} from '../source/tui/hooks/team-context.js';
import {press} from '../source/tui/keys.js';
import {type MembersAction, type MembersState, initialMembersState, membersCommand, membersReducer} from '../source/tui/state/members.js';
import {browserCommand} from '../source/tui/state/browser-keys.js';
import {initialBrowserState} from '../source/tui/state/browser.js';
import {fitRows, panelLines} from '../source/tui/components/members-panel.js';
import {membersHint} from '../source/tui/screens/members-screen.js';
import type {TeamData} from '../source/tui/team-service.js';

const team = (role: string | null): TeamData => ({
	teamName: 'platform',
	role,
	generation: 1,
	members: [
		{name: 'alice', role: 'admin', digits: '11111 11111 11111 11111 11111 11111 11111 11111', addedAt: '2026-11-30T07:00:00.000Z', you: role === 'admin', founder: true},
		{name: 'bob', role: 'write', digits: '22222 22222 22222 22222 22222 22222 22222 22222', addedAt: '2026-11-30T07:05:00.000Z', you: role !== 'admin', founder: false},
	],
});

const loaded = (role: string | null): MembersState => membersReducer(initialMembersState, {type: 'loaded', data: team(role)});

/** Applies the key if it means a state change; returns the new state and the command. */
function key(state: MembersState, ...overrides: Array<Parameters<typeof press>[0]>): MembersState {
	let next = state;
	for (const override of overrides) {
		const command = membersCommand(next, press(override));
		if (command.kind === 'dispatch') {
			next = membersReducer(next, command.action);
		}
	}

	return next;
}

const type = (state: MembersState, text: string) => key(state, ...[...text].map(character => ({text: character})));

test('members: m on the main list opens the view; typed into the filter it stays text', () => {
	assert.deepEqual(browserCommand(initialBrowserState, press({text: 'm'}), {count: 3, pageSize: 5, keyCount: 1}), {kind: 'members'});
	const filtering = {...initialBrowserState, filtering: true};
	assert.equal(browserCommand(filtering, press({text: 'm'}), {count: 3, pageSize: 5, keyCount: 1}).kind, 'dispatch');
});

test('members: loading, then the list; a failure is one line; Esc and m close the view', () => {
	assert.equal(initialMembersState.team.kind, 'loading');
	const failed = membersReducer(initialMembersState, {type: 'failed', error: 'this vault is in no team'});
	assert.deepEqual(failed.team, {kind: 'failed', error: 'this vault is in no team'});
	assert.equal(membersCommand(failed, press({escape: true})).kind, 'close');
	assert.equal(membersCommand(loaded('admin'), press({text: 'm'})).kind, 'close');
	// A pasted "m" is not a command.
	assert.equal(membersCommand(loaded('admin'), press({text: 'm', paste: true})).kind, 'none');
});

test('members: the cursor moves within the list and is kept inside the list when a reload brings fewer members', () => {
	let state = key(loaded('admin'), {down: true}, {text: 'j'}, {text: 'j'});
	assert.equal(state.cursor, 1);
	state = key(state, {text: 'k'}, {up: true});
	assert.equal(state.cursor, 0);
	state = key(state, {down: true});
	state = membersReducer(state, {type: 'loaded', data: {...team('admin'), members: team('admin').members.slice(0, 1)}});
	assert.equal(state.cursor, 0);
});

test('members: a non-admin sees the list only, and each admin key says why it is unavailable', () => {
	const state = key(loaded('write'), {down: true});
	for (const text of ['i', 'a', 'r', 'x', 'd']) {
		const after = key(state, {text});
		assert.equal(after.panel.kind, 'none', text);
		assert.match(after.message?.text ?? '', /^only an admin can .*: you are a write member$/, text);
		assert.equal(after.message?.tone, 'error');
	}

	assert.match(membersHint(state), /list only: i a r x are for admins \(you are write\)/);
	assert.match(membersHint(loaded('admin')), /i invite · a approve · r role · x remove/);
	assert.match(key(loaded(null), {text: 'i'}).message?.text ?? '', /you are not a member/);
});

test('members: invite is a name and a role; typed letters are the name, never commands', () => {
	let state = key(loaded('admin'), {text: 'i'});
	assert.deepEqual(state.panel, {kind: 'invite', user: '', role: 'read'});
	state = type(state, 'carxol');
	state = key(state, {backspace: true}, {backspace: true}, {text: 'l'});
	assert.equal(state.panel.kind === 'invite' && state.panel.user, 'carxl');
	state = key(state, {right: true}, {right: true});
	assert.equal(state.panel.kind === 'invite' && state.panel.role, 'admin', 'read → list → admin (wraps)');
	state = key(state, {left: true});
	assert.equal(state.panel.kind === 'invite' && state.panel.role, 'list');
	assert.equal(membersCommand(state, press({enter: true})).kind, 'invite');
	assert.equal(key(state, {escape: true}).panel.kind, 'none');
	// The code is shown once: any close drops it from the state.
	const shown = membersReducer(state, {type: 'done', panel: {kind: 'code', user: 'carxl', code: 'hush1-abc', expiresAt: '2026-12-01T07:00:00.000Z'}});
	assert.match(panelLines(shown.panel as never).lines.join('\n'), /a secret until used/);
	assert.equal(membersCommand(shown, press({text: 'c'})).kind, 'copyCode');
	assert.equal(membersCommand(shown, press({text: 'c', paste: true})).kind, 'none');
	assert.ok(!JSON.stringify(key(shown, {enter: true})).includes('hush1-abc'));
});

test('members: approve asks for the joiner, then only y confirms the fingerprint; Enter means no', () => {
	let state = key(loaded('admin'), {text: 'a'});
	state = type(state, 'bob');
	assert.equal(membersCommand(state, press({enter: true})).kind, 'approve');
	state = membersReducer(state, {type: 'busy', text: "checking bob's join…"});
	assert.equal(membersCommand(state, press({escape: true})).kind, 'none', 'no cancel while it runs');
	state = membersReducer(state, {type: 'open', panel: {kind: 'approveConfirm', name: 'bob', role: 'write', digits: '22222 22222 22222 22222 22222 22222 22222 22222'}});
	assert.match(panelLines(state.panel as never).lines.join('\n'), /22222 22222 22222 22222 22222 22222 22222 22222/);
	assert.deepEqual(membersCommand(state, press({text: 'y'})), {kind: 'answer', yes: true});
	assert.deepEqual(membersCommand(state, press({enter: true})), {kind: 'answer', yes: false});
	assert.deepEqual(membersCommand(state, press({text: 'n'})), {kind: 'answer', yes: false});
	assert.deepEqual(membersCommand(state, press({escape: true})), {kind: 'answer', yes: false});
	assert.equal(membersCommand(state, press({text: 'x'})).kind, 'none');
});

test('members: r picks a new role for the selected member, never for yourself', () => {
	const admin = loaded('admin');
	assert.match(key(admin, {text: 'r'}).message?.text ?? '', /does not change their own role/);
	assert.match(key(admin, {text: 'x'}).message?.text ?? '', /does not remove themselves/);
	let state = key(admin, {down: true}, {text: 'r'});
	assert.deepEqual(state.panel, {kind: 'role', user: 'bob', from: 'write', role: 'write'});
	state = key(state, {right: true});
	assert.equal(state.panel.kind === 'role' && state.panel.role, 'read');
	assert.equal(membersCommand(state, press({enter: true})).kind, 'applyRole');
	assert.match(panelLines(state.panel as never).lines[0]!, /\[read\]/);
});

test('members: x on another member starts the removal; its question names the next key generation and the exposure', () => {
	let state = key(loaded('admin'), {down: true});
	assert.equal(membersCommand(state, press({text: 'x'})).kind, 'remove');
	assert.equal(membersCommand(state, press({text: 'd'})).kind, 'remove');
	state = membersReducer(state, {type: 'open', panel: {kind: 'removeConfirm', name: 'bob', role: 'write', exposed: 3, generation: 1}});
	const text = panelLines(state.panel as never).lines.join(' ');
	assert.match(text, /Makes key generation 2; every team secret here is re-sealed under it\. bob could read 3 secret\(s\)/);
	assert.match(text, /exposure report follows/);
	assert.deepEqual(membersCommand(state, press({text: 'y'})), {kind: 'answer', yes: true});
	assert.deepEqual(membersCommand(state, press({enter: true})), {kind: 'answer', yes: false});
	const report = membersReducer(state, {type: 'done', panel: {kind: 'report', lines: ['removed bob', 'exposed to bob (write, …)', '  db\u001B[31m  PASS']}});
	const lines = panelLines(report.panel as never).lines;
	assert.ok(lines.every(line => !line.includes('\u001B')), 'a name from the vault is escaped');
	assert.equal(key(report, {escape: true}).panel.kind, 'none');
});

test('members: a secret is marked exposed until a value changes after the removal', () => {
	const marks = [{member: 'bob', removedAt: '2026-11-30T07:30:00.000Z', secretIds: ['s1']}];
	assert.deepEqual(exposedTo(marks, {id: 's1', updatedAt: '2026-11-30T07:00:00.000Z'}), ['bob']);
	assert.deepEqual(exposedTo(marks, {id: 's1', updatedAt: '2026-11-30T08:00:00.000Z'}), [], 'rotated since');
	assert.deepEqual(exposedTo(marks, {id: 's2', updatedAt: '2026-11-30T07:00:00.000Z'}), []);
	const actions: MembersAction[] = [{type: 'exposure', marks}];
	assert.deepEqual(actions.reduce(membersReducer, initialMembersState).exposure, marks);
});

test('members: a long report is cut to the rows it has, and says where the rest is', () => {
	const lines = ['removed bob: key generation 2', 'x'.repeat(25), ...Array.from({length: 10}, (_, index) => `  secret-${index}  KEY`)];
	const kept = fitRows(lines, 20, 6);
	assert.deepEqual(kept.slice(0, 3), ['removed bob: key generation 2', 'x'.repeat(25), '  secret-0  KEY']);
	assert.equal(kept.at(-1), '… 9 more line(s): hush team exposure prints them all');
	assert.equal(kept.length, 4, 'two rows, two rows, one row, and the note');
	assert.deepEqual(fitRows(['a', 'b'], 20, 2), ['a', 'b'], 'what fits is kept whole');
});
