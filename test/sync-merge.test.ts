/**
 * The three-way merge on its own: what merges, what conflicts, and what each side's choice keeps.
 */
import assert from 'node:assert/strict';
import {describe, test} from 'node:test';
import {type Plain, merge, sameContent} from '../source/sync/merge.js';
import type {SealedMeta} from '../source/vault/records.js';

const meta = (overrides: Partial<SealedMeta> = {}): SealedMeta => ({
	name: 'db',
	private: false,
	type: 'generic',
	description: '',
	integration: '',
	writeOnly: false,
	keys: [],
	createdAt: '2026-01-01T00:00:00.000Z',
	createdBy: 'me',
	updatedAt: '2026-01-01T00:00:00.000Z',
	expiresAt: null,
	...overrides,
});

const live = (values: Record<string, string>, overrides: Partial<SealedMeta> = {}): Plain => ({
	meta: meta({keys: Object.keys(values), ...overrides}),
	values: new Map(Object.entries(values)),
});
const deleted = (overrides: Partial<SealedMeta> = {}): Plain => ({meta: meta({deletedAt: '2026-02-01T00:00:00.000Z', ...overrides}), values: null});
const valuesOf = (plain: Plain) => Object.fromEntries(plain.values ?? []);

describe('three-way merge', () => {
	const base = live({USER: 'u', PASS: 'p'});

	test('different keys changed on each side merge, additions and removals included', () => {
		const withOld = live({USER: 'u', PASS: 'p', OLD: 'o'});
		const {result, conflicts} = merge(withOld, live({USER: 'u2', PASS: 'p', OLD: 'o', NEW: 'n'}), live({USER: 'u', PASS: 'p'}));
		assert.deepEqual(conflicts, []);
		assert.deepEqual(valuesOf(result), {USER: 'u2', PASS: 'p', NEW: 'n'});
		assert.deepEqual(result.meta.keys, ['USER', 'PASS', 'NEW']);
		// A key edited on one side and removed on the other is a conflict, not a silent loss.
		assert.deepEqual(merge(base, live({USER: 'u2', PASS: 'p'}), live({PASS: 'p'})).conflicts, ['key USER']);
	});

	test('the same key changed differently conflicts; the same change does not', () => {
		assert.deepEqual(merge(base, live({USER: 'a', PASS: 'p'}), live({USER: 'b', PASS: 'p'})).conflicts, ['key USER']);
		assert.deepEqual(merge(base, live({USER: 'same', PASS: 'p'}), live({USER: 'same', PASS: 'p'})).conflicts, []);
	});

	test('metadata fields merge field by field', () => {
		const {result, conflicts} = merge(base, live({USER: 'u', PASS: 'p'}, {description: 'here'}), live({USER: 'u', PASS: 'p'}, {type: 'credentials'}));
		assert.deepEqual(conflicts, []);
		assert.deepEqual([result.meta.description, result.meta.type], ['here', 'credentials']);
		assert.deepEqual(merge(base, live({USER: 'u', PASS: 'p'}, {name: 'x'}), live({USER: 'u', PASS: 'p'}, {name: 'y'})).conflicts, ['name']);
	});

	test('edit versus delete conflicts both ways; a delete against an unchanged side wins', () => {
		assert.deepEqual(merge(base, deleted(), live({USER: 'changed', PASS: 'p'})).conflicts, ['deleted here, edited on the server']);
		assert.deepEqual(merge(base, live({USER: 'changed', PASS: 'p'}), deleted()).conflicts, ['edited here, deleted on the server']);
		const unchanged = merge(base, live({USER: 'u', PASS: 'p'}, {updatedAt: '2026-03-01T00:00:00.000Z'}), deleted());
		assert.deepEqual(unchanged.conflicts, []);
		assert.equal(unchanged.result.values, null);
		assert.equal(merge(base, deleted(), deleted()).result.values, null);
	});

	test('a choice settles conflicts only; everything else still merges', () => {
		const local = live({USER: 'a', PASS: 'p', MINE: 'm'});
		const remote = live({USER: 'b', PASS: 'p2'});
		assert.deepEqual(valuesOf(merge(base, local, remote, 'local').result), {USER: 'a', PASS: 'p2', MINE: 'm'});
		assert.deepEqual(valuesOf(merge(base, local, remote, 'remote').result), {USER: 'b', PASS: 'p2', MINE: 'm'});
		assert.deepEqual(valuesOf(merge(base, local, remote, label => (label === 'key USER' ? 'remote' : undefined)).result), {USER: 'b', PASS: 'p2', MINE: 'm'});
		assert.equal(merge(base, deleted(), live({USER: 'x', PASS: 'p'}), 'remote').result.values?.get('USER'), 'x');
	});

	test('without a base, equal content is no conflict (a push whose answer was lost) and differing keys are', () => {
		assert.deepEqual(merge(null, live({K: 'v'}), live({K: 'v'})).conflicts, []);
		assert.deepEqual(merge(null, live({K: 'v'}), live({K: 'w'})).conflicts, ['key K']);
		assert.ok(sameContent(live({K: 'v'}), live({K: 'v'}, {updatedAt: 'later'})));
		assert.ok(!sameContent(live({K: 'v'}), deleted()));
	});
});
