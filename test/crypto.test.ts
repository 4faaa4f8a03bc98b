/**
 * hush's AEAD wrapper (source/vault/aead.ts) against published vectors, plus the length-prefixed
 * field encoding that AAD and record plaintexts are built from.
 */
import {randomBytes} from 'node:crypto';
import {readFileSync} from 'node:fs';
import {fileURLToPath} from 'node:url';
import {describe, test} from 'node:test';
import assert from 'node:assert/strict';
import {keyLength, nonceLength, open, seal, sealWithNonce, tagLength} from '../source/vault/aead.js';
import {decodeFields, encodeFields} from '../source/vault/encoding.js';
import {cryptoFormatVersion, formatTag, recordAad} from '../source/vault/aad.js';
import {IntegrityError} from '../source/errors.js';

const hex = (text: string): Uint8Array => new Uint8Array(Buffer.from(text, 'hex'));
const toHex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex');

type Vector = {name: string; key: string; nonce: string; aad: string; plaintext: string; result: string};

const k1 = '01' + '00'.repeat(31);
const n3 = '03' + '00'.repeat(11);
const block = (first: string) => first + '00'.repeat(15);

/** RFC 8452 Appendix C.2 (AEAD_AES_256_GCM_SIV): Result = ciphertext || tag. */
const rfc8452C2: Vector[] = [
	{name: 'C.2 #1', key: k1, nonce: n3, aad: '', plaintext: '', result: '07f5f4169bbf55a8400cd47ea6fd400f'},
	{name: 'C.2 #2', key: k1, nonce: n3, aad: '', plaintext: '0100000000000000', result: 'c2ef328e5c71c83b843122130f7364b761e0b97427e3df28'},
	{name: 'C.2 #3', key: k1, nonce: n3, aad: '', plaintext: '010000000000000000000000', result: '9aab2aeb3faa0a34aea8e2b18ca50da9ae6559e48fd10f6e5c9ca17e'},
	{name: 'C.2 #4', key: k1, nonce: n3, aad: '', plaintext: block('01'), result: '85a01b63025ba19b7fd3ddfc033b3e76c9eac6fa700942702e90862383c6c366'},
	{
		name: 'C.2 #5',
		key: k1,
		nonce: n3,
		aad: '',
		plaintext: block('01') + block('02'),
		result: '4a6a9db4c8c6549201b9edb53006cba821ec9cf850948a7c86c68ac7539d027fe819e63abcd020b006a976397632eb5d',
	},
	{
		name: 'C.2 #6',
		key: k1,
		nonce: n3,
		aad: '',
		plaintext: block('01') + block('02') + block('03'),
		result:
			'c00d121893a9fa603f48ccc1ca3c57ce7499245ea0046db16c53c7c66fe717e39cf6c748837b61f6ee3adcee17534ed5790bc96880a99ba804bd12c0e6a22cc4',
	},
	{
		name: 'C.2 #7',
		key: k1,
		nonce: n3,
		aad: '',
		plaintext: block('01') + block('02') + block('03') + block('04'),
		result:
			'c2d5160a1f8683834910acdafc41fbb1632d4a353e8b905ec9a5499ac34f96c7e1049eb080883891a4db8caaa1f99dd004d80487540735234e3744512c6f90ce112864c269fc0d9d88c61fa47e39aa08',
	},
	{name: 'C.2 #8', key: k1, nonce: n3, aad: '01', plaintext: '0200000000000000', result: '1de22967237a813291213f267e3b452f02d01ae33e4ec854'},
	{name: 'C.2 #9', key: k1, nonce: n3, aad: '01', plaintext: '020000000000000000000000', result: '163d6f9cc1b346cd453a2e4cc1a4a19ae800941ccdc57cc8413c277f'},
	{name: 'C.2 #10', key: k1, nonce: n3, aad: '01', plaintext: block('02'), result: 'c91545823cc24f17dbb0e9e807d5ec17b292d28ff61189e8e49f3875ef91aff7'},
	{
		name: 'C.2 #11',
		key: k1,
		nonce: n3,
		aad: '01',
		plaintext: block('02') + block('03'),
		result: '07dad364bfc2b9da89116d7bef6daaaf6f255510aa654f920ac81b94e8bad365aea1bad12702e1965604374aab96dbbc',
	},
	{
		name: 'C.2 #12',
		key: k1,
		nonce: n3,
		aad: '01',
		plaintext: block('02') + block('03') + block('04'),
		result:
			'c67a1f0f567a5198aa1fcc8e3f21314336f7f51ca8b1af61feac35a86416fa47fbca3b5f749cdf564527f2314f42fe2503332742b228c647173616cfd44c54eb',
	},
	{
		name: 'C.2 #13',
		key: k1,
		nonce: n3,
		aad: '01',
		plaintext: block('02') + block('03') + block('04') + block('05'),
		result:
			'67fd45e126bfb9a79930c43aad2d36967d3f0e4d217c1e551f59727870beefc98cb933a8fce9de887b1e40799988db1fc3f91880ed405b2dd298318858467c895bde0285037c5de81e5b570a049b62a0',
	},
	{name: 'C.2 #14', key: k1, nonce: n3, aad: '010000000000000000000000', plaintext: '02000000', result: '22b3f4cd1835e517741dfddccfa07fa4661b74cf'},
	{
		name: 'C.2 #15',
		key: k1,
		nonce: n3,
		aad: block('01') + '0200',
		plaintext: block('03') + '04000000',
		result: '43dd0163cdb48f9fe3212bf61b201976067f342bb879ad976d8242acc188ab59cabfe307',
	},
	{
		name: 'C.2 #16',
		key: k1,
		nonce: n3,
		aad: block('01') + '02000000',
		plaintext: block('03') + '0400',
		result: '462401724b5ce6588d5a54aae5375513a075cfcdf5042112aa29685c912fc2056543',
	},
	{
		name: 'C.2 #17',
		key: 'e66021d5eb8e4f4066d4adb9c33560e4f46e44bb3da0015c94f7088736864200',
		nonce: 'e0eaf5284d884a0e77d31646',
		aad: '',
		plaintext: '',
		result: '169fbb2fbf389a995f6390af22228a62',
	},
	{
		name: 'C.2 #18',
		key: 'bae8e37fc83441b16034566b7a806c46bb91c3c5aedb64a6c590bc84d1a5e269',
		nonce: 'e4b47801afc0577e34699b9e',
		aad: '4fbdc66f14',
		plaintext: '671fdd',
		result: '0eaccb93da9bb81333aee0c785b240d319719d',
	},
	{
		name: 'C.2 #19',
		key: '6545fc880c94a95198874296d5cc1fd161320b6920ce07787f86743b275d1ab3',
		nonce: '2f6d1f0434d8848c1177441f',
		aad: '6787f3ea22c127aaf195',
		plaintext: '195495860f04',
		result: 'a254dad4f3f96b62b84dc40c84636a5ec12020ec8c2c',
	},
	{
		name: 'C.2 #20',
		key: 'd1894728b3fed1473c528b8426a582995929a1499e9ad8780c8d63d0ab4149c0',
		nonce: '9f572c614b4745914474e7c7',
		aad: '489c8fde2be2cf97e74e932d4ed87d',
		plaintext: 'c9882e5386fd9f92ec',
		result: '0df9e308678244c44bc0fd3dc6628dfe55ebb0b9fb2295c8c2',
	},
	{
		name: 'C.2 #21',
		key: 'a44102952ef94b02b805249bac80e6f61455bfac8308a2d40d8c845117808235',
		nonce: '5c9e940fea2f582950a70d5a',
		aad: '0da55210cc1c1b0abde3b2f204d1e9f8b06bc47f',
		plaintext: '1db2316fd568378da107b52b',
		result: '8dbeb9f7255bf5769dd56692404099c2587f64979f21826706d497d5',
	},
	{
		name: 'C.2 #22',
		key: '9745b3d1ae06556fb6aa7890bebc18fe6b3db4da3d57aa94842b9803a96e07fb',
		nonce: '6de71860f762ebfbd08284e4',
		aad: 'f37de21c7ff901cfe8a69615a93fdf7a98cad481796245709f',
		plaintext: '21702de0de18baa9c9596291b08466',
		result: '793576dfa5c0f88729a7ed3c2f1bffb3080d28f6ebb5d3648ce97bd5ba67fd',
	},
	{
		name: 'C.2 #23',
		key: 'b18853f68d833640e42a3c02c25b64869e146d7b233987bddfc240871d7576f7',
		nonce: '028ec6eb5ea7e298342a94d4',
		aad: '9c2159058b1f0fe91433a5bdc20e214eab7fecef4454a10ef0657df21ac7',
		plaintext: 'b202b370ef9768ec6561c4fe6b7e7296fa85',
		result: '857e16a64915a787637687db4a9519635cdd454fc2a154fea91f8363a39fec7d0a49',
	},
	{
		name: 'C.2 #24',
		key: '3c535de192eaed3822a2fbbe2ca9dfc88255e14a661b8aa82cc54236093bbc23',
		nonce: '688089e55540db1872504e1c',
		aad: '734320ccc9d9bbbb19cb81b2af4ecbc3e72834321f7aa0f70b7282b4f33df23f167541',
		plaintext: 'ced532ce4159b035277d4dfbb7db62968b13cd4eec',
		result: '626660c26ea6612fb17ad91e8e767639edd6c9faee9d6c7029675b89eaf4ba1ded1a286594',
	},
];

/** RFC 8452 Appendix C.3: the 32-bit block counter wraps around. */
const rfc8452C3: Vector[] = [
	{
		name: 'C.3 #1',
		key: '00'.repeat(32),
		nonce: '00'.repeat(12),
		aad: '',
		plaintext: '00'.repeat(16) + '4db923dc793ee6497c76dcc03a98e108',
		result: 'f3f80f2cf0cb2dd9c5984fcda908456cc537703b5ba70324a6793a7bf218d3eaffffffff000000000000000000000000',
	},
	{
		name: 'C.3 #2',
		key: '00'.repeat(32),
		nonce: '00'.repeat(12),
		aad: '',
		plaintext: 'eb3640277c7ffd1303c7a542d02d3e4c0000000000000000',
		result: '18ce4f0b8cb4d0cac65fea8f79257b20888e53e72299e56dffffffff000000000000000000000000',
	},
];

const rfcVectors = [...rfc8452C2, ...rfc8452C3];

describe('RFC 8452 AES-256-GCM-SIV vectors through hush\'s wrapper', () => {
	test(`${rfc8452C2.length} Appendix C.2 and ${rfc8452C3.length} Appendix C.3 vectors seal to the published result`, () => {
		for (const vector of rfcVectors) {
			const sealed = sealWithNonce(hex(vector.key), hex(vector.nonce), hex(vector.plaintext), hex(vector.aad));
			assert.equal(toHex(sealed), vector.result, vector.name);
		}
	});

	test('every RFC 8452 vector opens back to its plaintext', () => {
		for (const vector of rfcVectors) {
			const opened = open(hex(vector.key), hex(vector.nonce), hex(vector.result), hex(vector.aad));
			assert.equal(toHex(opened), vector.plaintext, vector.name);
		}
	});

	test('every RFC 8452 vector with its last tag byte changed is refused', () => {
		for (const vector of rfcVectors) {
			const result = hex(vector.result);
			result[result.length - 1] = result[result.length - 1]! ^ 0x80;
			assert.throws(() => open(hex(vector.key), hex(vector.nonce), result, hex(vector.aad)), IntegrityError, vector.name);
		}
	});
});

// ---- Wycheproof ---------------------------------------------------------------------------------

type WycheproofCase = {tcId: number; comment: string; flags: string[]; key: string; iv: string; aad: string; msg: string; ct: string; tag: string; result: string};
type WycheproofGroup = {keySize: number; ivSize: number; tagSize: number; tests: WycheproofCase[]};
type WycheproofFile = {algorithm: string; numberOfTests: number; testGroups: WycheproofGroup[]};

// Vendored with its Apache-2.0 licence in test/vectors/ (see the README there).
const wycheproofPath = fileURLToPath(new URL('vectors/wycheproof_aes_gcm_siv_test.json', import.meta.url));
const file = JSON.parse(readFileSync(wycheproofPath, 'utf8')) as WycheproofFile;

describe('Wycheproof AES-GCM-SIV vectors through hush\'s wrapper', () => {
	const all = file.testGroups.flatMap(group => group.tests.map(testCase => ({group, testCase})));
	const aes256 = all.filter(({testCase}) => testCase.key.length === 64);
	const aes128 = all.filter(({testCase}) => testCase.key.length === 32);
	const valid = aes256.filter(({testCase}) => testCase.result === 'valid');
	const invalid = aes256.filter(({testCase}) => testCase.result === 'invalid');
	const wrongIv = invalid.filter(({testCase}) => testCase.iv.length !== nonceLength * 2);

	test(`the file holds ${all.length} cases as its header says (${aes256.length} AES-256, ${aes128.length} AES-128)`, () => {
		assert.equal(all.length, file.numberOfTests);
		assert.equal(aes256.length + aes128.length, all.length, 'every case has a 128- or 256-bit key');
		assert.ok(valid.length > 0 && invalid.length > 0, 'the file has valid and invalid AES-256 cases');
		for (const {testCase} of aes256) {
			assert.ok(testCase.result === 'valid' || testCase.result === 'invalid', `tcId ${testCase.tcId}: unexpected result ${testCase.result}`);
		}
	});

	test(`${valid.length} valid and ${invalid.length} invalid AES-256 cases (${wrongIv.length} with a wrong IV size)`, () => {
		for (const {testCase} of valid) {
			const label = `tcId ${testCase.tcId} (${testCase.comment})`;
			const key = hex(testCase.key);
			const iv = hex(testCase.iv);
			const aad = hex(testCase.aad);
			const sealed = sealWithNonce(key, iv, hex(testCase.msg), aad);
			assert.equal(toHex(sealed), testCase.ct + testCase.tag, label);
			assert.equal(toHex(open(key, iv, hex(testCase.ct + testCase.tag), aad)), testCase.msg, label);
		}

		for (const {testCase} of invalid) {
			const label = `tcId ${testCase.tcId} (${testCase.comment})`;
			assert.throws(() => open(hex(testCase.key), hex(testCase.iv), hex(testCase.ct + testCase.tag), hex(testCase.aad)), IntegrityError, label);
		}
	});

	test(`${aes128.length} AES-128 cases are refused: hush's wrapper takes 32-byte keys only`, () => {
		assert.ok(aes128.length > 0);
		for (const {testCase} of aes128) {
			const label = `tcId ${testCase.tcId}`;
			assert.throws(() => sealWithNonce(hex(testCase.key), hex(testCase.iv), hex(testCase.msg), hex(testCase.aad)), IntegrityError, label);
			assert.throws(() => open(hex(testCase.key), hex(testCase.iv), hex(testCase.ct + testCase.tag), hex(testCase.aad)), IntegrityError, label);
		}
	});

	test('the RFC 8452 vectors written into this suite agree with Wycheproof\'s "RFC 8452" AES-256 cases', () => {
		const fromWycheproof = aes256.filter(({testCase}) => testCase.comment.includes('RFC 8452')).map(({testCase}) => testCase);
		assert.equal(fromWycheproof.length, rfcVectors.length);
		for (const vector of rfcVectors) {
			const match = fromWycheproof.find(
				testCase => testCase.key === vector.key && testCase.iv === vector.nonce && testCase.aad === vector.aad && testCase.msg === vector.plaintext,
			);
			assert.ok(match, `${vector.name} is among Wycheproof's RFC 8452 cases`);
			assert.equal(match.ct + match.tag, vector.result, vector.name);
		}
	});
});

// ---- tampering with one sealed message ----------------------------------------------------------

describe('any change to a sealed message is refused', () => {
	const key = new Uint8Array(randomBytes(keyLength));
	const nonce = new Uint8Array(randomBytes(nonceLength));
	const aad = new Uint8Array(randomBytes(24));
	const plaintext = new Uint8Array(randomBytes(40));
	const sealed = sealWithNonce(key, nonce, plaintext, aad);

	const flips = (bytes: Uint8Array) =>
		Array.from({length: bytes.length * 8}, (_, bit) => {
			const copy = new Uint8Array(bytes);
			copy[bit >> 3] = copy[bit >> 3]! ^ (1 << (bit & 7));
			return copy;
		});

	test('the untouched message opens', () => {
		assert.equal(sealed.length, plaintext.length + tagLength);
		assert.deepEqual(open(key, nonce, sealed, aad), plaintext);
	});

	test(`each of the ${sealed.length * 8} bits of ciphertext and tag`, () => {
		for (const [bit, changed] of flips(sealed).entries()) {
			assert.throws(() => open(key, nonce, changed, aad), IntegrityError, `bit ${bit}`);
		}
	});

	test(`each of the ${nonceLength * 8} bits of the nonce`, () => {
		for (const [bit, changed] of flips(nonce).entries()) {
			assert.throws(() => open(key, changed, sealed, aad), IntegrityError, `bit ${bit}`);
		}
	});

	test(`each of the ${aad.length * 8} bits of the AAD`, () => {
		for (const [bit, changed] of flips(aad).entries()) {
			assert.throws(() => open(key, nonce, sealed, changed), IntegrityError, `bit ${bit}`);
		}
	});

	test(`each of the ${keyLength * 8} bits of the key`, () => {
		for (const [bit, changed] of flips(key).entries()) {
			assert.throws(() => open(changed, nonce, sealed, aad), IntegrityError, `bit ${bit}`);
		}
	});

	test('truncated, extended, emptied and AAD-dropped messages', () => {
		for (let length = 0; length < sealed.length; length++) {
			assert.throws(() => open(key, nonce, sealed.subarray(0, length), aad), IntegrityError, `first ${length} bytes`);
		}

		assert.throws(() => open(key, nonce, new Uint8Array([...sealed, 0]), aad), IntegrityError, 'one byte appended');
		assert.throws(() => open(key, nonce, sealed, new Uint8Array()), IntegrityError, 'AAD dropped');
		assert.throws(() => open(key, nonce, sealed, aad.subarray(1)), IntegrityError, 'AAD shortened');
	});

	test('wrong key and nonce sizes are refused before any decryption', () => {
		assert.throws(() => open(key.subarray(0, 16), nonce, sealed, aad), IntegrityError);
		assert.throws(() => open(new Uint8Array([...key, 0]), nonce, sealed, aad), IntegrityError);
		assert.throws(() => open(key, nonce.subarray(0, 8), sealed, aad), IntegrityError);
		assert.throws(() => open(key, new Uint8Array(16), sealed, aad), IntegrityError);
		assert.throws(() => sealWithNonce(key, new Uint8Array(16), plaintext, aad), IntegrityError);
		assert.throws(() => sealWithNonce(key.subarray(0, 24), nonce, plaintext, aad), IntegrityError);
	});

	test('seal draws a fresh nonce every time, and its output opens', () => {
		const first = seal(key, plaintext, aad);
		const second = seal(key, plaintext, aad);
		assert.equal(first.nonce.length, nonceLength);
		assert.notDeepEqual(first.nonce, second.nonce);
		assert.notDeepEqual(first.ciphertext, second.ciphertext);
		assert.deepEqual(open(key, first.nonce, first.ciphertext, aad), plaintext);
		assert.deepEqual(open(key, second.nonce, second.ciphertext, aad), plaintext);
		assert.throws(() => open(key, second.nonce, first.ciphertext, aad), IntegrityError, 'nonces are not interchangeable');
	});
});

// ---- encoding -----------------------------------------------------------------------------------

describe('length-prefixed field encoding', () => {
	test('round trip of strings, numbers, bytes, empty and non-ASCII fields', () => {
		const bytes = new Uint8Array([0, 1, 2, 255]);
		const encoded = encodeFields(['hush-vault', 1, '', 'pässwörd ✓', bytes, 42]);
		const decoded = decodeFields(encoded);
		assert.deepEqual(
			decoded.map(field => field.toString('utf8')),
			['hush-vault', '1', '', 'pässwörd ✓', Buffer.from(bytes).toString('utf8'), '42'],
		);
		assert.deepEqual(new Uint8Array(decoded[4]!), bytes);
		assert.deepEqual(decodeFields(encodeFields([])), []);
	});

	test('each field is a 4-byte big-endian length then its bytes', () => {
		assert.equal(toHex(encodeFields(['ab', ''])), '00000002' + '6162' + '00000000');
		const long = 'x'.repeat(0x1_02_03);
		assert.equal(toHex(encodeFields([long]).subarray(0, 4)), '00010203');
	});

	test('["ab","c"] and ["a","bc"] encode differently (and so do other splits of the same text)', () => {
		const encodings = [['ab', 'c'], ['a', 'bc'], ['abc'], ['abc', ''], ['', 'abc'], ['a', 'b', 'c']].map(fields => toHex(encodeFields(fields)));
		assert.equal(new Set(encodings).size, encodings.length);
		assert.notEqual(toHex(encodeFields([''])), toHex(encodeFields([])));
	});

	test('decoding copies each field: wiping the source leaves the fields intact', () => {
		const encoded = encodeFields(['secret-one', 'secret-two']);
		const decoded = decodeFields(encoded);
		encoded.fill(0);
		assert.deepEqual(
			decoded.map(field => field.toString('utf8')),
			['secret-one', 'secret-two'],
		);
	});

	test('a record AAD is the encoding of its eight fields, for any vault, space, id and revision, call after call', () => {
		const cases = [
			{vaultId: 'vault-a', recordId: 'e8d9372f-7e97-4a53-9404-c882ff14fa77', part: 'meta', revision: 1, keyGeneration: 1},
			{vaultId: 'vault-a', space: 'team', recordId: 'e8d9372f-7e97-4a53-9404-c882ff14fa77', part: 'values', revision: 1, keyGeneration: 1_000_002},
			{vaultId: 'vault-b', space: 'personal', recordId: 'ïd ✓ 😀', part: 'values', revision: 2 ** 40, keyGeneration: 7},
			{vaultId: '', recordId: '', part: 'meta', revision: 0, keyGeneration: 0},
			// A lone surrogate: written as U+FFFD, three bytes, as Buffer.byteLength counts it.
			{vaultId: 'vault-\ud800', recordId: 'id-\udfff', part: 'values', revision: 3, keyGeneration: 2},
			{vaultId: 'vault-a', recordId: 'x'.repeat(300), part: 'meta', revision: 12, keyGeneration: 3},
		] as const;
		const made = cases.map(fields => recordAad(fields));
		for (const [index, fields] of cases.entries()) {
			const expected = encodeFields([formatTag, cryptoFormatVersion, 'space' in fields && fields.space === 'team' ? 'team-record' : 'record', fields.vaultId, fields.recordId, fields.part, fields.revision, fields.keyGeneration]);
			// Made again, and compared with what was made before the others: no call disturbs another's bytes.
			assert.equal(toHex(recordAad(fields)), toHex(expected), `case ${index}`);
			assert.equal(toHex(made[index]!), toHex(expected), `case ${index}, made first`);
		}
	});

	test('decoding works on a view into a larger buffer', () => {
		const encoded = encodeFields(['k', 'v']);
		const larger = new Uint8Array(encoded.length + 10);
		larger.set(encoded, 7);
		assert.deepEqual(
			decodeFields(larger.subarray(7, 7 + encoded.length)).map(field => field.toString('utf8')),
			['k', 'v'],
		);
	});

	test('truncated input throws instead of returning partial fields', () => {
		const encoded = encodeFields(['first', 'second']);
		for (let length = 1; length < encoded.length; length++) {
			const truncated = encoded.subarray(0, length);
			// Cutting exactly at a field boundary leaves a valid shorter list; anything else must throw.
			if (length === 4 + 'first'.length) {
				assert.deepEqual(
					decodeFields(truncated).map(field => field.toString('utf8')),
					['first'],
				);
				continue;
			}

			assert.throws(() => decodeFields(truncated), RangeError, `first ${length} bytes`);
		}

		assert.throws(() => decodeFields(new Uint8Array([0, 0, 0, 9, 1, 2])), RangeError, 'length beyond the end');
		assert.throws(() => decodeFields(new Uint8Array([0, 0, 0])), RangeError, 'length prefix cut short');
	});
});
