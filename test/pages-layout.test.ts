/**
 * A page of an earlier layout (an upgrade of hush changed what an entry holds) is told apart from a
 * damaged one: both fail to open as a current page, but only the earlier layout opens under its own
 * layout's AAD, so it is rebuilt without the integrity warning a damaged page gets.
 */
import {randomBytes} from 'node:crypto';
import {test} from 'node:test';
import assert from 'node:assert/strict';
import {seal} from '../source/vault/aead.js';
import {IntegrityError} from '../source/errors.js';
import {type PageFields, isEarlierLayout, openPage, pageAad, pageLayout, sealPage} from '../source/vault/pages-codec.js';
import {flipByte} from './helpers/vault-fixtures.js';

const fields: PageFields = {vaultId: 'vault-a', space: 'personal', page: 3, keyGeneration: 1, bucketMac: new Uint8Array(32).fill(5)};

test('an earlier layout\'s page fails to open as current but is recognised; a damaged or foreign page is not', () => {
	const key = new Uint8Array(randomBytes(32));
	const plaintext = Buffer.from('[]', 'utf8');
	assert.ok(pageLayout > 1);
	for (let layout = 1; layout < pageLayout; layout++) {
		const old = seal(key, plaintext, pageAad(fields, layout));
		assert.throws(() => openPage(key, fields, old.nonce, old.ciphertext), IntegrityError);
		assert.equal(isEarlierLayout(key, fields, old.nonce, old.ciphertext), true, `layout ${layout}`);
		assert.equal(isEarlierLayout(key, fields, old.nonce, flipByte(old.ciphertext, 0)), false, `layout ${layout}, a byte flipped`);
		assert.equal(isEarlierLayout(key, {...fields, page: 4}, old.nonce, old.ciphertext), false, `layout ${layout}, another page number`);
		assert.equal(isEarlierLayout(new Uint8Array(randomBytes(32)), fields, old.nonce, old.ciphertext), false, `layout ${layout}, another key`);
	}

	const current = sealPage(key, fields, []);
	assert.equal(openPage(key, fields, current.nonce, current.ciphertext).length, 0);
	assert.equal(isEarlierLayout(key, {...fields, vaultId: 'vault-b'}, current.nonce, current.ciphertext), false, 'a current page of another vault');
});
