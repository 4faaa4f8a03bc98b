import assert from 'node:assert/strict';
import {test} from 'node:test';
import {count} from '../source/tui/state/loading-text.js';

test('the TUI writes counts as en-US does, without asking ICU', () => {
	const values = [0, 1, 12, 999, 1000, 1001, 9999, 10_000, 12_345, 100_000, 999_999, 1_000_000, 1_234_567_890, Number.MAX_SAFE_INTEGER, -1, -1234, 2.5];
	for (const value of values) {
		assert.equal(count(value), value.toLocaleString('en-US'), `count(${value})`);
	}
});
