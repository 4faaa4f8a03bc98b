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
