/** Splitting input into keys, the ranked filter and the conflict jump, tested without rendering. */
import assert from 'node:assert/strict';
import {test} from 'node:test';
import type {Key} from 'ink';
import {keyPresses, pasteKeyPress, press} from '../source/tui/keys.js';
import {browserReducer, initialBrowserState} from '../source/tui/state/browser.js';
import {browserCommand} from '../source/tui/state/browser-keys.js';
import {conflictCount, nextConflictRow} from '../source/tui/state/conflict.js';
import {rankSecrets, rankedFilter} from '../source/tui/state/filter.js';
import {formCommand} from '../source/tui/state/form-keys.js';
import {newForm} from '../source/tui/state/form.js';
import {listViewer, sortSecrets} from '../source/tui/state/list-view.js';
import type {SecretSummary} from '../source/vault/model.js';
import {summaryOf} from './helpers/summaries.js';

/** A key event as Ink 8's useInput builds it: every flag off unless given. */
function inkKey(overrides: Partial<Key> = {}): Key {
	return {
		upArrow: false,
		downArrow: false,
		leftArrow: false,
		rightArrow: false,
		pageDown: false,
		pageUp: false,
		home: false,
		end: false,
		return: false,
		escape: false,
		ctrl: false,
		shift: false,
		tab: false,
		backspace: false,
		delete: false,
		meta: false,
		super: false,
		hyper: false,
		capsLock: false,
		numLock: false,
		...overrides,
	} as Key;
}

const summary = summaryOf;

const names = (secrets: readonly SecretSummary[]) => secrets.map(secret => secret.name);

test('a run of keys in one read becomes one key each; a single key or a parsed special key stays whole', () => {
	assert.deepEqual(
		keyPresses('jjjjj', inkKey()).map(key => key.text),
		['j', 'j', 'j', 'j', 'j'],
	);
	assert.deepEqual(
		keyPresses('jjjk', inkKey()).map(key => key.text),
		['j', 'j', 'j', 'k'],
	);
	// Enter, Tab, Backspace and Ctrl letters inside the run are keys, not text.
	const mixed = keyPresses('ab\tc\r\u007F\u0013', inkKey());
	assert.deepEqual(
		mixed.map(key => [key.text, key.tab, key.enter, key.backspace, key.ctrl]),
		[
			['a', false, false, false, ''],
			['b', false, false, false, ''],
			['', true, false, false, ''],
			['c', false, false, false, ''],
			['', false, true, false, ''],
			['', false, false, true, ''],
			['', false, false, false, 's'],
		],
	);
	// Code points, not UTF-16 halves: an emoji stays one character.
	assert.deepEqual(
		keyPresses('é😀x', inkKey()).map(key => key.text),
		['é', '😀', 'x'],
	);
	// Ink parses escape sequences itself and hands each over alone, already named.
	const [down, ...restDown] = keyPresses('', inkKey({downArrow: true}));
	assert.equal(restDown.length, 0);
	assert.equal(down!.down, true);
	const [alt] = keyPresses('j', inkKey({meta: true}));
	assert.equal(alt!.text, '', 'Alt-j is not the letter j');
	const [ctrlS] = keyPresses('s', inkKey({ctrl: true}));
	assert.equal(ctrlS!.ctrl, 's');
	assert.deepEqual(
		keyPresses('q', inkKey()).map(key => key.text),
		['q'],
	);
	// Other control bytes mean nothing rather than becoming text.
	assert.deepEqual(
		keyPresses('a\u001Cb', inkKey()).map(key => key.text),
		['a', '', 'b'],
	);
});

test('five j in one read move the selection five rows; jjjk moves two', () => {
	const context = {count: 20, pageSize: 5, keyCount: 1};
	const run = (input: string) => {
		let state = initialBrowserState;
		for (const key of keyPresses(input, inkKey())) {
			const command = browserCommand(state, key, context);
			if (command.kind === 'dispatch') {
				state = browserReducer(state, command.action);
			}
		}

		return state.cursor;
	};

	assert.equal(run('jjjjj'), 5);
	assert.equal(run('jjjk'), 2);
});

test('a burst typed into a text field inserts every character; a paste is text there and nothing in the list', () => {
	let state = browserReducer(initialBrowserState, {type: 'startFilter'});
	for (const key of keyPresses('gh tok', inkKey())) {
		const command = browserCommand(state, key, {count: 3, pageSize: 5, keyCount: 1});
		assert.equal(command.kind, 'dispatch');
		if (command.kind === 'dispatch') {
			state = browserReducer(state, command.action);
		}
	}

	assert.equal(state.query, 'gh tok');
	assert.deepEqual(browserCommand(state, pasteKeyPress('more'), {count: 3, pageSize: 5, keyCount: 1}), {
		kind: 'dispatch',
		action: {type: 'editFilter', edit: {kind: 'insert', text: 'more'}},
	});
	// In the list, pasted "q" or "d" is not a command.
	for (const text of ['q', 'd', 'r', 'jjj']) {
		assert.deepEqual(browserCommand(initialBrowserState, pasteKeyPress(text), {count: 3, pageSize: 5, keyCount: 1}), {kind: 'none'});
	}

	// The form: a paste fills a text field, and never flips a choice field.
	const form = newForm();
	assert.deepEqual(formCommand(form, pasteKeyPress('my-secret')), {kind: 'dispatch', action: {type: 'edit', edit: {kind: 'insert', text: 'my-secret'}}});
});

test('ranked filter: the whole name, then a name prefix, then a word in the name, then inside it, then spread, then other fields', () => {
	const secrets = sortSecrets(
		[
			summary('a-stripe-thing'),
			summary('stripe'),
			summary('stripe-prod'),
			summary('mastripe'),
			summary('s-t-r-i-p-e'),
			summary('billing', {keys: ['STRIPE_KEY']}),
			summary('zeta', {description: 'paid with s t r i p e'}),
			summary('unrelated'),
		],
		'name',
	);
	assert.deepEqual(names(rankSecrets(secrets, 'stripe')), ['stripe', 'stripe-prod', 'a-stripe-thing', 'mastripe', 's-t-r-i-p-e', 'billing', 'zeta']);
	// Within a tier a tighter spread ranks first: 'gh' spread over 3 columns beats one over 6.
	const spread = sortSecrets([summary('g-x-x-x-h'), summary('gxh')], 'name');
	assert.deepEqual(names(rankSecrets(spread, 'gh')), ['gxh', 'g-x-x-x-h']);
	// The spread is measured back from the last character to the latest start: g-gxh spreads over 3, not 5.
	const latest = sortSecrets([summary('gxxh'), summary('g-gxh')], 'name');
	assert.deepEqual(names(rankSecrets(latest, 'gh')), ['g-gxh', 'gxxh']);
	// Ties keep the order given (the chosen sort): by name here.
	assert.deepEqual(names(rankSecrets(sortSecrets([summary('str-b'), summary('str-a'), summary('str-c')], 'name'), 'str')), ['str-a', 'str-b', 'str-c']);
	// Every term must match; terms may match different fields.
	const github = sortSecrets([summary('github', {keys: ['GITHUB_TOKEN']}), summary('gitlab', {keys: ['GITLAB_TOKEN']}), summary('other')], 'name');
	assert.deepEqual(names(rankSecrets(github, 'gh tok')), ['github']);
	assert.deepEqual(names(rankSecrets(github, 'qqq')), []);
	assert.equal(rankSecrets(github, '  '), github);
});

test('ranked filter: smart case, as fzf: lower-case ignores case, a capital matches exactly', () => {
	const secrets = sortSecrets([summary('Prod-db'), summary('prod-api'), summary('other', {keys: ['PROD_KEY']})], 'name');
	assert.deepEqual(names(rankSecrets(secrets, 'prod')), ['Prod-db', 'prod-api', 'other']);
	assert.deepEqual(names(rankSecrets(secrets, 'Prod')), ['Prod-db']);
	assert.deepEqual(names(rankSecrets(secrets, 'PROD')), ['other']);
});

test('typing narrows from the last answer and gives what a fresh ranking gives; deleting a character widens again', () => {
	const secrets = sortSecrets(
		Array.from({length: 300}, (_, index) => summary(`${['stripe', 'github', 'strava', 'postgres'][index % 4]}-${index}`, {keys: [index % 3 === 0 ? 'STR_KEY' : 'TOKEN']})),
		'name',
	);
	const filter = rankedFilter();
	for (const query of ['s', 'st', 'str', 'stri', 'strip', 'stri', 'st', 'st k', 'st Ke', 'g', 'gh']) {
		assert.deepEqual(names(filter(secrets, query)), names(rankSecrets(secrets, query)), query);
	}

	// The viewer ranks through it too: the best match is first whatever the sort.
	const view = listViewer();
	const mixed = [summary('zz-stripe'), summary('stripe'), summary('a-stripe')];
	assert.deepEqual(names(view(mixed, 'name', 'stripe')), ['stripe', 'a-stripe', 'zz-stripe']);
});

test('conflicts: counted, and ] [ jump to the next and previous one among the rows shown, wrapping round', () => {
	const rows = ['a', 'b', 'c', 'd', 'e'].map(name => summary(name));
	const states = new Map<string, 'synced' | 'pending' | 'conflict'>([
		['id-a', 'synced'],
		['id-b', 'conflict'],
		['id-c', 'pending'],
		['id-d', 'conflict'],
		['id-e', 'synced'],
		['id-hidden', 'conflict'],
	]);
	assert.equal(conflictCount(states), 3);
	assert.equal(conflictCount(null), 0);
	assert.equal(nextConflictRow(rows, states, 0, 1), 1);
	assert.equal(nextConflictRow(rows, states, 1, 1), 3);
	assert.equal(nextConflictRow(rows, states, 3, 1), 1, 'wraps to the top');
	assert.equal(nextConflictRow(rows, states, 0, -1), 3, 'wraps to the bottom');
	assert.equal(nextConflictRow(rows, states, 3, -1), 1);
	assert.equal(nextConflictRow(rows.slice(4), states, 0, 1), undefined);
	assert.equal(nextConflictRow(rows, null, 0, 1), undefined);
	const context = {count: 5, pageSize: 5, keyCount: 1};
	assert.deepEqual(browserCommand(initialBrowserState, press({text: ']'}), context), {kind: 'jumpConflict', delta: 1});
	assert.deepEqual(browserCommand(initialBrowserState, press({text: '['}), context), {kind: 'jumpConflict', delta: -1});
	// While filtering they are text.
	const filtering = browserReducer(initialBrowserState, {type: 'startFilter'});
	assert.equal(browserCommand(filtering, press({text: ']'}), context).kind, 'dispatch');
});
