import assert from 'node:assert/strict';
import {test} from 'node:test';
import {build} from 'esbuild';
import stringWidth from 'string-width';
// @ts-expect-error: a plain JavaScript build script, without type declarations.
import {quickStringWidth} from '../scripts/build-plugins.js';

/** string-width as the build ships it: bundled through the patch. */
async function patchedStringWidth(): Promise<(text: string, options?: {ambiguousIsNarrow?: boolean}) => number> {
	const result = await build({
		stdin: {contents: "export {default} from 'string-width';", resolveDir: process.cwd(), loader: 'js'},
		bundle: true,
		format: 'esm',
		platform: 'node',
		write: false,
		logLevel: 'silent',
		plugins: [quickStringWidth],
	});
	const code = result.outputFiles[0]!.text;
	assert.match(code, /mayBeRgiEmoji/, 'the patch applied');
	const module = await import(`data:text/javascript;base64,${Buffer.from(code).toString('base64')}`) as {default: (text: string) => number};
	return module.default;
}

test('the build\'s string-width (no segmenter for plain symbols, emoji regex only where an emoji can be) measures as string-width does', async () => {
	const patched = await patchedStringWidth();
	const samples: string[] = [];
	// Every code point of the Basic Multilingual Plane and of the emoji blocks, a sample of the rest.
	for (let codePoint = 0; codePoint <= 0x10_FFFF; codePoint += codePoint < 0x1_00_00 || (codePoint >= 0x1_F0_00 && codePoint < 0x1_FB_00) ? 1 : 97) {
		if (codePoint < 0xD8_00 || codePoint > 0xDF_FF) {
			samples.push(`│${String.fromCodePoint(codePoint)}`);
		}
	}

	samples.push(
		'│ 👍🏽 ✊🏿 ❤️ ☺ ☺️ 1️⃣ #⃣ 🇫🇷 🇫 🏴󠁧󠁢󠁳󠁣󠁴󠁿 👨‍👩‍👧 👩🏽‍💻 ⌚ ⏳ ✅ ✨',
		'│ é é ñ 한국어 각 日本語 ｶﾞ Ａ ‼ ↔ © ® ™ \u200D \uFE0F \u00AD',
		'╭──────╮ › · … • ← → ↑ ↓ – — × ▶ ↵ ⠋ ✗ ‹',
		'\u001B[31m│ red ❤️\u001B[39m',
	);
	for (const sample of samples) {
		assert.equal(patched(sample), stringWidth(sample), `width of ${JSON.stringify(sample)}`);
		assert.equal(patched(sample, {ambiguousIsNarrow: false}), stringWidth(sample, {ambiguousIsNarrow: false}), `wide-ambiguous width of ${JSON.stringify(sample)}`);
	}
});
