// esbuild plugins for scripts/build.js: what keeps `hush` quick to start that the bundler alone
// does not. Kept apart so a test can build with them (test/build-plugins.test.ts).
import {readFileSync} from 'node:fs';
import {builtinModules} from 'node:module';

/**
 * Node built-ins through process.getBuiltinModule, not ESM imports: an ESM import of `node:fs` or
 * `node:process` builds the module's whole export list, which runs every lazy getter on it and so
 * loads fs/promises, streams, readline and more that `hush get` never uses (~10 ms per start).
 * Each importing file gets its own stand-in, so it lands in that file's chunk (one shared stand-in
 * per built-in would be a chunk of its own, one more file to resolve and read per start), and the
 * stand-in exports just the names that file imports. Where the import is one this does not read
 * (`import * as`, a re-export), the stand-in is CommonJS, which esbuild wraps by copying every
 * name. A name the built-in lacks is a build error, as for any ES module.
 */
const builtinNames = new Set(builtinModules.flatMap(name => [name, `node:${name}`]));
export const builtinsOnDemand = {
	name: 'builtins-on-demand',
	setup(build) {
		build.onResolve({filter: /^[a-z_:/]+$/}, ({path, kind, importer}) =>
			kind === 'import-statement' && builtinNames.has(path) ? {path: `${path}?${importer}`, namespace: 'builtin'} : undefined);
		build.onLoad({filter: /.*/, namespace: 'builtin'}, ({path}) => {
			const specifier = path.slice(0, path.indexOf('?'));
			const module = `process.getBuiltinModule(${JSON.stringify(specifier.replace(/^(node:)?/, 'node:'))})`;
			const names = importedNames(readFileSync(path.slice(path.indexOf('?') + 1), 'utf8'), specifier);
			if (names === undefined) {
				return {contents: `module.exports = ${module};`, loader: 'js'};
			}

			const builtin = process.getBuiltinModule(specifier);
			const missing = [...names].filter(name => name !== 'default' && !(name in builtin));
			if (missing.length > 0) {
				throw new Error(`${specifier} has no export ${missing.join(', ')} (imported by ${path.slice(path.indexOf('?') + 1)})`);
			}

			const named = [...names].filter(name => name !== 'default').map(name => `export const ${name} = builtin.${name};`);
			return {contents: [`const builtin = ${module};`, 'export default builtin;', ...named].join('\n'), loader: 'js'};
		});
	},
};

/** The names `source` imports from `specifier`; undefined for an import it cannot read that way. */
function importedNames(source, specifier) {
	const quoted = String.raw`['"]${specifier.replaceAll('/', String.raw`\/`)}['"]`;
	if (new RegExp(String.raw`export\b[^;'"]*\bfrom\s*${quoted}`).test(source)) {
		return undefined;
	}

	const names = new Set();
	for (const [, clause] of source.matchAll(new RegExp(String.raw`\bimport\s+([^;'"]*?)\s*from\s*${quoted}`, 'g'))) {
		if (/^type\s/.test(clause)) {
			continue;
		}

		const parts = /^(?:([\w$]+)\s*,?\s*)?(?:\{([^}]*)\})?$/.exec(clause.trim());
		if (!parts) {
			return undefined;
		}

		if (parts[1]) {
			names.add('default');
		}

		for (const item of (parts[2] ?? '').split(',').map(part => part.trim()).filter(Boolean)) {
			const name = /^(?:type\s+)?([\w$]+)(?:\s+as\s+[\w$]+)?$/.exec(item);
			if (!name) {
				return undefined;
			}

			if (!item.startsWith('type ')) {
				names.add(name[1]);
			}
		}
	}

	return names.size === 0 ? undefined : names;
}

/**
 * Ink's layout engine, yoga-layout, ships its WebAssembly as a base64 data: URL and, finding a global
 * fetch, reads it through fetch. In Node that first touch of `fetch` loads undici (the whole HTTP
 * client) on the TUI's start-up path, to decode 100 KB of base64. Patched here so yoga takes its
 * own path for when there is no fetch: the same bytes, decoded in place. The build fails if a new
 * yoga no longer matches, rather than quietly bringing the slow path back.
 */
export const yogaWithoutFetch = {
	name: 'yoga-without-fetch',
	setup(build) {
		build.onLoad({filter: /yoga-layout[\\/]dist[\\/]binaries[\\/]yoga-wasm-base64-esm\.js$/}, ({path}) => {
			const source = readFileSync(path, 'utf8');
			const fetchCheck = '"function"!=typeof fetch';
			const uses = source.split(fetchCheck).length - 1;
			if (uses !== 2) {
				throw new Error(`yoga-layout's loader changed: expected 2 checks for fetch, found ${uses} (scripts/build.js)`);
			}

			return {contents: source.replaceAll(fetchCheck, '!0'), loader: 'js'};
		});
	},
};

/**
 * string-width, which Ink calls for every line it draws, builds an Intl.Segmenter and
 * /^\p{RGI_Emoji}$/v when loaded, then segments every non-ASCII line and tests each grapheme
 * against that regex. The segmenter's set-up (ICU's break rules) and compiling the regex (every
 * emoji sequence Unicode names) cost tens of milliseconds on the TUI's first frame, spent on its
 * border characters. Patched here, with the same widths:
 * - a line of printable ASCII and symbols that are each a grapheme of their own, visible and not
 *   emoji-presented (punctuation, arrows, box drawing, shapes, braille: what the TUI draws) is
 *   measured code point by code point, without the segmenter, which is built on first need;
 * - the regex is built and tried only for a cluster that can be an RGI emoji: one of more than one
 *   code point, or a single code point with Emoji_Presentation (every single-code-point RGI emoji
 *   has it: checked against the regex itself for all of Unicode).
 * test/build-plugins.test.ts compares the result with string-width itself. The build fails if
 * string-width changes shape.
 */
export const quickStringWidth = {
	name: 'quick-string-width',
	setup(build) {
		build.onLoad({filter: /[\\/]string-width[\\/]index\.js$/}, ({path}) => {
			const replacements = [
				['const segmenter = new Intl.Segmenter();', 'let segmenter;\nconst ownGraphemeSymbols = /^[\\u0020-\\u007E\\u00A0-\\u00AC\\u00AE-\\u02FF\\u2010-\\u2027\\u2030-\\u205E\\u2190-\\u23FF\\u2500-\\u27BF\\u2800-\\u28FF]*$/;'],
				['\tlet width = 0;\n\tconst eastAsianWidthOptions = {ambiguousAsWide: !ambiguousIsNarrow};\n', '\tlet width = 0;\n\tconst eastAsianWidthOptions = {ambiguousAsWide: !ambiguousIsNarrow};\n\tif (ownGraphemeSymbols.test(string) && !emojiPresentationRegex.test(string)) {\n\t\tfor (const character of string) {\n\t\t\twidth += eastAsianWidth(character.codePointAt(0), eastAsianWidthOptions);\n\t\t}\n\n\t\treturn width;\n\t}\n\n'],
				['segmenter.segment(string)', '(segmenter ??= new Intl.Segmenter()).segment(string)'],
				['const rgiEmojiRegex = /^\\p{RGI_Emoji}$/v;', 'let rgiEmojiRegex;\nconst emojiPresentationRegex = /\\p{Emoji_Presentation}/u;\nconst mayBeRgiEmoji = segment => segment.length > 2 || (segment.length === 2 && segment.codePointAt(0) <= 0xFFFF) || emojiPresentationRegex.test(segment);'],
				['rgiEmojiRegex.test(segment)', '(mayBeRgiEmoji(segment) && (rgiEmojiRegex ??= /^\\p{RGI_Emoji}$/v).test(segment))'],
			];
			let source = readFileSync(path, 'utf8');
			for (const [from, to] of replacements) {
				if (source.split(from).length !== 2) {
					throw new Error(`string-width changed: ${JSON.stringify(from)} is not in ${path} exactly once (scripts/build.js)`);
				}

				source = source.replace(from, to);
			}

			return {contents: source, loader: 'js'};
		});
	},
};
