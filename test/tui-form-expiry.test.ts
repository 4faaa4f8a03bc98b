/** The form's expiry field, Esc on a changed form, the form's scroll window, the detail pane's expiry, the delete prompt's fit. */
import assert from 'node:assert/strict';
import {test} from 'node:test';
import {deleteLines} from '../source/tui/components/delete-dialog.js';
import {expiryText} from '../source/tui/components/detail-pane.js';
import {formWindow} from '../source/tui/components/form-view.js';
import {press} from '../source/tui/keys.js';
import {type FieldId, type FormState, editForm, formFields, formReducer, isChanged, newForm} from '../source/tui/state/form.js';
import {formCommand} from '../source/tui/state/form-keys.js';
import {planSubmission, type ValueReaders} from '../source/tui/state/form-submit.js';
import type {SecretSummary} from '../source/vault/model.js';
import {summaryOf} from './helpers/summaries.js';

const readers: ValueReaders = {
	env: {},
	readFile() {
		throw new Error('no files here');
	},
	async readKeychain() {
		throw new Error('no keychain here');
	},
};

const day = 86_400_000;

function summary(extra: Partial<SecretSummary> = {}): SecretSummary {
	return summaryOf('api', {keys: ['TOKEN'], ...extra});
}

function focusOn(form: FormState, field: FieldId): FormState {
	return {...form, focus: formFields(form).indexOf(field)};
}

function typeInto(form: FormState, field: FieldId, text: string): FormState {
	return formReducer(focusOn(form, field), {type: 'edit', edit: {kind: 'insert', text}});
}

function filled(expires: string): FormState {
	let form = typeInto(newForm(), 'name', 'api');
	form = typeInto(form, 'row:0:key', 'TOKEN');
	form = typeInto(form, 'row:0:typed', 'value');
	return typeInto(form, 'expires', expires);
}

test('form expiry: read like --expires (duration, date, never); anything else is an error on the field', async () => {
	assert.ok(formFields(newForm()).includes('expires'));
	const before = Date.now();
	const duration = await planSubmission(filled('30d'), readers);
	assert.ok(duration.ok && duration.submission.kind === 'create');
	const at = Date.parse(String(duration.submission.options.expiresAt));
	assert.ok(at >= before + 30 * day && at <= Date.now() + 30 * day, 'thirty days from now');

	const date = await planSubmission(filled('2027-01-31'), readers);
	assert.ok(date.ok && date.submission.kind === 'create');
	assert.equal(date.submission.options.expiresAt, '2027-01-31T00:00:00.000Z');

	const never = await planSubmission(filled('never'), readers);
	assert.ok(never.ok && never.submission.kind === 'create');
	assert.equal(never.submission.options.expiresAt, null);

	const empty = await planSubmission(filled(''), readers);
	assert.ok(empty.ok && empty.submission.kind === 'create');
	assert.equal('expiresAt' in empty.submission.options, false, 'no expiry asked for');

	for (const bad of ['tomorrow', '30', '30y', '31/01/2027']) {
		const planned = await planSubmission(filled(bad), readers);
		assert.ok(!planned.ok, bad);
		assert.match(planned.errors.expires ?? '', /use a date \(2027-01-31\), a duration \(30d, 12w, 48h\), or never/);
	}
});

test('form expiry on edit: shown as stored, left alone when untouched, cleared when emptied, changed when retyped', async () => {
	const stored = '2027-06-01T00:00:00.000Z';
	const form = editForm(summary({expiresAt: stored}));
	assert.equal(form.expires, stored);
	const untouched = await planSubmission(form, readers);
	assert.ok(untouched.ok && untouched.submission.kind === 'edit');
	assert.equal('expiresAt' in untouched.submission.changes, false);

	const cleared = await planSubmission({...form, expires: ''}, readers);
	assert.ok(cleared.ok && cleared.submission.kind === 'edit');
	assert.equal(cleared.submission.changes.expiresAt, null);

	const changed = await planSubmission({...form, expires: '2028-01-01'}, readers);
	assert.ok(changed.ok && changed.submission.kind === 'edit');
	assert.equal(changed.submission.changes.expiresAt, '2028-01-01T00:00:00.000Z');
});

test('Esc on a changed form asks "discard changes? y/n": y drops it, n or Esc goes back; an untouched form closes at once', () => {
	assert.deepEqual(formCommand(newForm(), press({escape: true})), {kind: 'cancel'});
	assert.deepEqual(formCommand(editForm(summary()), press({escape: true})), {kind: 'cancel'});

	let form = typeInto(newForm(), 'name', 'x');
	assert.ok(isChanged(form));
	const ask = formCommand(form, press({escape: true}));
	assert.deepEqual(ask, {kind: 'dispatch', action: {type: 'askDiscard'}});
	form = formReducer(form, {type: 'askDiscard'});
	assert.equal(form.confirmDiscard, true);
	// While asking, other keys do nothing: a stray letter neither types nor drops.
	assert.deepEqual(formCommand(form, press({text: 'q'})), {kind: 'none'});
	assert.deepEqual(formCommand(form, press({enter: true})), {kind: 'none'});
	assert.deepEqual(formCommand(form, press({text: 'y'})), {kind: 'cancel'});
	for (const key of [press({text: 'n'}), press({escape: true})]) {
		assert.deepEqual(formCommand(form, key), {kind: 'dispatch', action: {type: 'keepEditing'}});
	}

	form = formReducer(form, {type: 'keepEditing'});
	assert.equal(form.confirmDiscard, false);
	assert.equal(form.name, 'x', 'nothing was lost');
	// A choice changed counts too; changing it back does not.
	const toggled = formReducer(focusOn(newForm(), 'private'), {type: 'cycle', delta: 1});
	assert.ok(isChanged(toggled));
	assert.ok(!isChanged(formReducer(toggled, {type: 'cycle', delta: 1})));
});

test('form window: the focused field stays in view, and lines out of sight are flagged above and below', () => {
	const lines = Array.from({length: 20}, (_, index) => ({field: `row:${index}:key` as FieldId}));
	const top = formWindow(lines, 'row:0:key', 8);
	assert.deepEqual(top, {start: 0, above: false, below: true});
	const middle = formWindow(lines, 'row:12:key', 8);
	assert.ok(middle.start <= 12 && 12 < middle.start + 8);
	assert.deepEqual([middle.above, middle.below], [true, true]);
	const bottom = formWindow(lines, 'row:19:key', 8);
	assert.deepEqual(bottom, {start: 12, above: true, below: false});
	assert.deepEqual(formWindow(lines.slice(0, 5), 'row:4:key', 8), {start: 0, above: false, below: false});
});

test('detail pane expiry: date and how far off, EXPIRED once past, nothing when none', () => {
	const now = Date.parse('2026-03-01T00:00:00.000Z');
	assert.equal(expiryText(null, now), undefined);
	assert.equal(expiryText('2026-03-31T00:00:00.000Z', now), 'expires 2026-03-31 · in 30d');
	assert.equal(expiryText('2026-02-26T00:00:00.000Z', now), 'EXPIRED 2026-02-26 · 3d ago');
});

test('delete prompt: every line fits the width, and the field and keys always show, at 80×24 and narrower', () => {
	const name = `${'very-long-secret-name-'.repeat(6)}end`;
	for (const [inner, rows] of [
		[78, 9],
		[38, 9],
		[20, 6],
		[12, 4],
	] as const) {
		const error = `that is not the name: type ${name} exactly, or press Esc to keep it`;
		const {title, warning, errors} = deleteLines(name, error, inner, rows);
		const all = [...title, ...warning, ...errors];
		assert.ok(all.every(line => [...line].length <= inner - 1), `${inner} columns: ${JSON.stringify(all)}`);
		assert.ok(title.length >= 1 && title.length + warning.length + errors.length <= rows - 2, `${rows} rows`);
		assert.match(title[0]!, /^Delete/);
	}

	// With room, nothing is cut: the whole question and warning, word-wrapped.
	const roomy = deleteLines('short-name', null, 40, 12);
	assert.deepEqual(roomy.title, ['Delete short-name?']);
	assert.equal(roomy.warning.join(' '), 'Its values are gone for good. Type its name to confirm.');
});
