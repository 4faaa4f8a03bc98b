/** The escape format of source/text/visible.ts, and the vault refusing control characters for every caller (SDK here). */
import assert from 'node:assert/strict';
import {describe, test} from 'node:test';
import {InvalidInputError} from '../source/errors.js';
import {firstUnsafeCharacter, visible, visibleLines} from '../source/text/visible.js';
import {openVault} from '../source/unlock/open-vault.js';
import {makeHome, newVault, passphrase} from './helpers/vault-fixtures.js';

describe('visible()', () => {
	test('C0, DEL and C1 become \\xHH; newline, return and tab their short forms; separators and bidi controls \\uHHHH', () => {
		assert.equal(visible('\u001b]52;c;eA==\u0007'), '\\x1b]52;c;eA==\\x07');
		assert.equal(visible('a\nb\rc\td'), 'a\\nb\\rc\\td');
		assert.equal(visible('\u0000\u007f\u0080\u009b\u009f'), '\\x00\\x7f\\x80\\x9b\\x9f');
		assert.equal(visible('\u2028\u2029\u202a\u202e\u2066\u2069'), '\\u2028\\u2029\\u202a\\u202e\\u2066\\u2069');
	});

	test('printable text, including non-Latin scripts and emoji, is untouched; escaping twice changes nothing', () => {
		const text = 'Zugang für café ✓ — שלום 🔑 C:\\path';
		assert.equal(visible(text), text);
		const once = visible('\u001b[31mred\u009b');
		assert.equal(visible(once), once);
	});

	test('visibleLines keeps line breaks and escapes the rest', () => {
		assert.equal(visibleLines('one\n\u001b[2Jtwo\r\n'), 'one\n\\x1b[2Jtwo\\r\n');
	});

	test('firstUnsafeCharacter names the code point', () => {
		assert.equal(firstUnsafeCharacter('ok'), undefined);
		assert.equal(firstUnsafeCharacter('a\u202eb\u001b'), 'U+202E');
	});
});

describe('the vault refuses control characters in free text, whoever calls it', () => {
	test('create, set and update refuse them in description, integration and expiry', async t => {
		const home = makeHome(t);
		const vault = await newVault(home);
		t.after(() => vault.close());
		const refused = [
			() => vault.createSecret('a', {K: 'v'}, {description: 'x\u001b]8;;https://evil.example/\u001b\\y'}),
			() => vault.setSecret('a', {K: 'v'}, {integration: '\u009b2J'}),
			() => vault.createSecret('a', {K: 'v'}, {expiresAt: '2030-01-01\u001b'}),
		];
		for (const attempt of refused) {
			assert.throws(attempt, InvalidInputError);
		}

		vault.createSecret('a', {K: 'v'});
		assert.throws(() => vault.updateSecret('a', {description: 'pay \u202etxt.exe'}), /description holds the control character U\+202E/);
		assert.equal(vault.describeSecret('a').description, '');
	});

	test('an actor or command holding control characters is refused at unlock', async t => {
		const home = makeHome(t);
		(await newVault(home)).close();
		await assert.rejects(openVault({home, passphrase, actor: 'mallory\u001b]52;c;eA==\u0007'}), /actor holds the control character U\+001B/);
		await assert.rejects(openVault({home, passphrase, command: 'x\u0007'}), /command holds the control character U\+0007/);
	});
});
