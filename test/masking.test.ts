/** The streaming masker under `hush run`: values split across writes, overlaps, bytes, no delay. */
import assert from 'node:assert/strict';
import {describe, test} from 'node:test';
import {MaskingStream} from '../source/runtime/masking.js';

/** Writes each chunk in turn and returns what came out, and what had come out before the end. */
async function pass(values: string[], chunks: Array<string | Buffer>): Promise<{output: string; beforeEnd: string}> {
	const masker = new MaskingStream(values);
	const out: Buffer[] = [];
	masker.on('data', (chunk: Buffer) => out.push(chunk));
	for (const chunk of chunks) {
		masker.write(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
	}

	await new Promise(resolve => setImmediate(resolve));
	const beforeEnd = Buffer.concat(out).toString('utf8');
	const ended = new Promise(resolve => masker.on('end', resolve));
	masker.end();
	await ended;
	return {output: Buffer.concat(out).toString('utf8'), beforeEnd};
}

describe('MaskingStream', () => {
	test('a value split across two writes is masked', async () => {
		const {output} = await pass(['sk-live-123456'], ['token: sk-live', '-123456 done\n']);
		assert.equal(output, 'token: *** done\n');
	});

	test('a value split at every possible point is masked', async () => {
		const value = 'p@ss$word"42';
		for (let cut = 1; cut < value.length; cut++) {
			const {output} = await pass([value], [`a ${value.slice(0, cut)}`, `${value.slice(cut)} b`]);
			assert.equal(output, 'a *** b', `cut at ${cut}`);
		}
	});

	test('a value split over many one-byte writes is masked', async () => {
		const {output} = await pass(['abcdef'], [...'xxabcdefyy']);
		assert.equal(output, 'xx***yy');
	});

	test('a multi-byte value cut inside a character is masked', async () => {
		const value = 'clé-🔑-secret';
		const bytes = Buffer.from(`[${value}]`);
		const {output} = await pass([value], [bytes.subarray(0, 5), bytes.subarray(5)]);
		assert.equal(output, '[***]');
	});

	test('every occurrence of every value, the longer one winning where they start together', async () => {
		const {output} = await pass(['abc', 'abcdef', 'zz'], ['abc abcdef zz abcd', 'ef']);
		assert.equal(output, '*** *** *** ***');
	});

	test('output that cannot be the start of a value passes through at once', async () => {
		const {beforeEnd} = await pass(['secret-value'], ['hello world\n']);
		assert.equal(beforeEnd, 'hello world\n');
	});

	test('only a tail that could still become a value is held back, and it is released at the end', async () => {
		const {beforeEnd, output} = await pass(['secret-value'], ['log line secr']);
		assert.equal(beforeEnd, 'log line ');
		assert.equal(output, 'log line secr');
	});

	test('with no values the stream is a pass-through', async () => {
		const {output} = await pass([], ['anything']);
		assert.equal(output, 'anything');
	});
});

/** A byte of a word: letters, digits, '_' and anything non-ASCII. Short values are masked only between non-word bytes. */
const wordByte = /[A-Za-z0-9_\u0080-\u{10FFFF}]/u;

/**
 * Masking the whole text at once, leftmost first and longest at a tie, values shorter than four
 * characters only as whole tokens: what streaming must equal. (The values here are plain ASCII
 * letters: their encoded forms never occur in such text.)
 */
function maskWhole(values: string[], text: string): string {
	const sorted = [...new Set(values)].filter(value => value !== '').sort((a, b) => b.length - a.length);
	let output = '';
	let index = 0;
	while (index < text.length) {
		const value = sorted.find(
			candidate =>
				text.startsWith(candidate, index) &&
				(candidate.length >= 4 || (!wordByte.test(text[index - 1] ?? ' ') && !wordByte.test(text[index + candidate.length] ?? ' '))),
		);
		if (value) {
			output += '***';
			index += value.length;
		} else {
			output += text[index];
			index++;
		}
	}

	return output;
}

describe('MaskingStream against whole-text masking', () => {
	test('a value that starts before a shorter complete one is not cut in two', async () => {
		const {output} = await pass(['abcdef', 'cd'], ['xabcd', 'efy']);
		assert.equal(output, 'x***y');
	});

	test('random values, text and chunkings (seeded) give the same output as masking the whole text', async () => {
		let seed = 0x2545_f491;
		const random = (below: number) => {
			seed ^= seed << 13;
			seed ^= seed >>> 17;
			seed ^= seed << 5;
			return (seed >>> 0) % below;
		};

		const word = (length: number, letters = 'abc') => Array.from({length}, () => letters[random(letters.length)]).join('');
		for (let round = 0; round < 600; round++) {
			const values = Array.from({length: 1 + random(4)}, () => word(1 + random(6)));
			const text = word(random(40), 'abc ');
			const cuts = [...new Set(Array.from({length: random(6)}, () => random(text.length + 1)))].sort((a, b) => a - b);
			const chunks = [0, ...cuts].map((cut, index, all) => text.slice(cut, all[index + 1] ?? text.length)).filter(chunk => chunk !== '');
			const {output} = await pass(values, chunks);
			assert.equal(output, maskWhole(values, text), `values ${JSON.stringify(values)}, chunks ${JSON.stringify(chunks)}`);
		}
	});
});

describe('MaskingStream: values too short to mask everywhere', () => {
	test('a value under four characters is masked only as a whole token, never inside a word', async () => {
		assert.equal((await pass(['x'], ['xerox x max x\n'])).output, 'xerox *** max ***\n');
		assert.equal((await pass(['42'], ['id=42, 420, x42, (42)'])).output, 'id=***, 420, x42, (***)');
		assert.equal((await pass(['é1'], ['é1 aé1 é1é'])).output, '*** aé1 é1é', 'non-ASCII letters are part of a word');
	});

	test('a short value at a chunk boundary waits for the next byte, and the end of output ends a token', async () => {
		assert.equal((await pass(['042'], ['pin 04', '2 ok'])).output, 'pin *** ok');
		const held = await pass(['042'], ['pin 042', '7']);
		assert.equal(held.output, 'pin 0427');
		assert.equal((await pass(['042'], ['pin 042'])).beforeEnd, 'pin ', 'held until the next byte says whether the token ends');
		assert.equal((await pass(['042'], ['pin 042'])).output, 'pin ***');
		assert.equal((await pass(['c'], ['ab', 'c c'])).output, 'abc ***', 'the byte before a chunk still counts');
	});

	test('four characters and more are masked anywhere', async () => {
		assert.equal((await pass(['abcd'], ['xabcdx'])).output, 'x***x');
	});

	test('short values are not masked in encoded forms (they would match by chance everywhere)', async () => {
		assert.equal((await pass(['abc'], ['616263 YWJj'])).output, '616263 YWJj');
	});
});

describe('MaskingStream: encoded forms of a value', () => {
	const value = 'p@ss/wörd+?&= "x"~>>?';
	const bytes = Buffer.from(value);
	const forms: Record<string, string> = {
		base64: bytes.toString('base64'),
		base64url: bytes.toString('base64url'),
		'hex (lower case)': bytes.toString('hex'),
		'hex (upper case)': bytes.toString('hex').toUpperCase(),
		'percent-encoding': encodeURIComponent(value),
		'percent-encoding (lower-case escapes)': encodeURIComponent(value).replace(/%[0-9A-F]{2}/g, escape => escape.toLowerCase()),
		'form encoding': new URLSearchParams({v: value}).toString().slice(2),
		'JSON string': JSON.stringify(value).slice(1, -1),
	};

	for (const [name, form] of Object.entries(forms)) {
		test(`${name} is masked, whole and split at every byte`, async () => {
			assert.notEqual(form, value);
			assert.equal((await pass([value], [`<${form}>`])).output, '<***>');
			for (let cut = 1; cut < form.length; cut++) {
				const {output} = await pass([value], [`<${form.slice(0, cut)}`, `${form.slice(cut)}>`]);
				assert.equal(output, '<***>', `cut at ${cut}`);
			}
		});
	}

	test('base64 and base64url differ for this value, so both are really tested', () => {
		assert.notEqual(forms['base64'], forms['base64url']);
	});

	test('the value inside a longer base64 text (HTTP Basic auth) is masked at each of the three alignments', async () => {
		const secret = 'sk-live-7f3a9c1e5b';
		for (const user of ['me', 'ann', 'bob1', 'carol', 'dave12']) {
			const encoded = Buffer.from(`${user}:${secret}`).toString('base64');
			const {output} = await pass([secret], [`Authorization: Basic ${encoded}\n`]);
			const match = /^Authorization: Basic ([A-Za-z0-9+/]*)\*\*\*([A-Za-z0-9+/=]*)\n$/.exec(output);
			assert.ok(match, `${user}: ${output}`);
			// Only what encodes the user name and the two bytes of the value's edges may be left.
			assert.ok(match[1]!.length <= Math.ceil(((user.length + 1) * 4) / 3), `${user}: ${output}`);
			assert.ok(match[2]!.length <= 3, `${user}: ${output}`);
		}
	});

	test('base64 of a value inside a longer base64url text is masked too', async () => {
		const secret = 'ÿÿÿ-secret-ÿÿÿ';
		const encoded = Buffer.from(`{"k":"${secret}"}`).toString('base64url');
		assert.match((await pass([secret], [encoded])).output, /\*\*\*/);
	});
});

describe('MaskingStream: throughput', () => {
	test('a thousand values with their encodings over 4 MiB of output stay linear', async () => {
		const values = Array.from({length: 1000}, (_, index) => `tok_${index.toString(36)}${'q'.repeat(index % 40)}_${(index * 7919).toString(16)}`);
		const line = Buffer.from('an ordinary log line with numbers 0123456789 and words, nothing secret here\n');
		const masker = new MaskingStream(values);
		let bytes = 0;
		masker.on('data', (chunk: Buffer) => (bytes += chunk.length));
		const ended = new Promise(resolve => masker.on('end', resolve));
		const started = performance.now();
		const chunk = Buffer.concat(Array.from({length: 1024}, () => line));
		for (let index = 0; index < 64; index++) {
			masker.write(chunk);
		}

		masker.end();
		await ended;
		assert.equal(bytes, chunk.length * 64);
		// Generous for a shared two-core machine; quadratic scanning would take minutes.
		assert.ok(performance.now() - started < 20_000, `${Math.round(performance.now() - started)} ms`);
	});
});
