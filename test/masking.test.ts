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

/** Masking the whole text at once, leftmost first and longest at a tie: what streaming must equal. */
function maskWhole(values: string[], text: string): string {
	const sorted = [...new Set(values)].filter(value => value !== '').sort((a, b) => b.length - a.length);
	let output = '';
	let index = 0;
	while (index < text.length) {
		const value = sorted.find(candidate => text.startsWith(candidate, index));
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

		const word = (length: number) => Array.from({length}, () => 'abc'[random(3)]).join('');
		for (let round = 0; round < 400; round++) {
			const values = Array.from({length: 1 + random(4)}, () => word(1 + random(6)));
			const text = word(random(40));
			const cuts = [...new Set(Array.from({length: random(6)}, () => random(text.length + 1)))].sort((a, b) => a - b);
			const chunks = [0, ...cuts].map((cut, index, all) => text.slice(cut, all[index + 1] ?? text.length)).filter(chunk => chunk !== '');
			const {output} = await pass(values, chunks);
			assert.equal(output, maskWhole(values, text), `values ${JSON.stringify(values)}, chunks ${JSON.stringify(chunks)}`);
		}
	});
});
