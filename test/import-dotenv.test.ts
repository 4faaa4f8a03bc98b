/**
 * .env files read as the dotenv npm package reads them. The expectations come from dotenv's
 * documented rules (its readme's "What rules does the parsing engine follow?") and from what its
 * parse() returns for these inputs; where hush deliberately refuses what dotenv guesses, the test
 * says so.
 */
import assert from 'node:assert/strict';
import {writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {describe, test} from 'node:test';
import {formatDotenv, parseDotenv, parseDotenvEntries} from '../source/runtime/dotenv.js';
import {assertOneLineError, hush, hushOk, initHome, vaultDigest} from './helpers/hush-cli.js';

const parse = (text: string) => Object.fromEntries(parseDotenv(text));

describe('dotenv parsing rules', () => {
	test('basic lines, spaces around =, the colon form, export prefixes, comments and blank lines', () => {
		assert.deepEqual(parse('# settings\n\nBASIC=basic\nSPACED = spaced\nCOLON: colon\nexport EXPORTED=yes\n   # indented comment\n'), {
			BASIC: 'basic',
			SPACED: 'spaced',
			COLON: 'colon',
			EXPORTED: 'yes',
		});
	});

	test('unquoted values are trimmed and end at the first #, even without a space before it', () => {
		assert.deepEqual(parse('A=  some value  \nB=abc # comment\nC=abc#def\nD=#only a comment\n'), {A: 'some value', B: 'abc', C: 'abc', D: ''});
	});

	test('empty values are empty strings', () => {
		assert.deepEqual(parse('EMPTY=\nSPACES=   \nNEXT=1\n'), {EMPTY: '', SPACES: '', NEXT: '1'});
	});

	test('single, double and backtick quotes are stripped; inner whitespace, # and other quotes stay', () => {
		assert.deepEqual(parse(`S='  quoted # not a comment  '\nD="  double  " # comment\nB=\`This has 'single' and "double" quotes inside of it.\`\nJSON={"foo": "bar"}\n`), {
			S: '  quoted # not a comment  ',
			D: '  double  ',
			B: `This has 'single' and "double" quotes inside of it.`,
			JSON: '{"foo": "bar"}',
		});
	});

	test('only double quotes expand \\n and \\r; no other escape is undone', () => {
		assert.deepEqual(parse(`D="new\\nline\\rcr\\ttab \\"q\\" \\\\"\nS='new\\nline'\nB=\`new\\nline\`\n`), {
			D: 'new\nline\rcr\\ttab \\"q\\" \\\\',
			S: 'new\\nline',
			B: 'new\\nline',
		});
	});

	test('quoted values may span lines; CR LF and lone CR become LF', () => {
		const entries = parseDotenvEntries('A=1\r\nPEM="-----BEGIN-----\r\nabc\r\n-----END-----"\r\nS=\'x\ny\'\rB=`1\n2`\nLAST=z\n');
		assert.deepEqual(
			entries.map(({key, value, line}) => [key, value, line]),
			[
				['A', '1', 1],
				['PEM', '-----BEGIN-----\nabc\n-----END-----', 2],
				['S', 'x\ny', 5],
				['B', '1\n2', 7],
				['LAST', 'z', 9],
			],
		);
	});

	test('a quote written as \\quote stays with its backslash; a value may end in a backslash', () => {
		assert.deepEqual(parse(`A='it\\'s'\nB="say \\"hi\\""\nC='abc\\'\n`), {A: "it\\'s", B: 'say \\"hi\\"', C: 'abc\\'});
	});

	test('keys may hold . and - (hush checks them as key names later); a BOM is skipped', () => {
		assert.deepEqual(parse('\uFEFFK.dot=1\nk-dash=2\n'), {'K.dot': '1', 'k-dash': '2'});
	});

	test('where dotenv guesses, hush names the line instead', () => {
		assert.throws(() => parse('A=1\nnot an assignment\n'), /^InvalidInputError: dotenv line 2: expected KEY=value$/);
		assert.throws(() => parse('A=1\nB="never closed\nC=3\n'), /dotenv line 2: the double quote opened here is never closed/);
		assert.throws(() => parse("A='x' trailing\n"), /dotenv line 1: unexpected text after the closing single quote/);
	});

	test('formatDotenv picks a quoting dotenv reads back exactly, and refuses a value none can carry', () => {
		const values = {
			SINGLE: "it's 'quoted'",
			DOUBLE: 'say "hi" \\ back\\slash',
			DOLLAR: '$HOME `echo pwned`',
			LINES: 'one\ntwo\n\nfour',
			MIXED: `'"$\n\\'\t#;`,
			CR: 'a\r\nb',
			HASH: '#x',
			SPACES: ' x ',
			TRAILING_BACKSLASH: 'end\\',
		};
		const text = formatDotenv(values);
		assert.deepEqual(parse(text), values);
		assert.match(text, /^DOLLAR='\$HOME `echo pwned`'$/m);
		assert.match(text, /^CR="a\\r\\nb"$/m);
		assert.throws(() => formatDotenv({ALL: `'"\``}), /the value of ALL cannot be written as a \.env line .*--format json/);
	});
});

describe('hush import dotenv', () => {
	test('EMPTY= is left out with a warning, the rest imports; backticks are stripped', async t => {
		const home = await initHome(t);
		const file = join(home, '.env');
		writeFileSync(file, 'EMPTY=\nTOKEN=`back-ticked value`\nexport URL=https://example.com/x#fragment\n');
		const run = await hush(['import', 'dotenv', file, '--name', 'app'], {home});
		assert.equal(run.code, 0, run.stderr);
		assert.match(run.stderr, /^hush: warning: EMPTY has an empty value in .*, and hush stores no empty values: left out$/m);
		assert.match(run.stderr, /Imported 2 keys into public secret app/);
		const values = JSON.parse((await hushOk(['export', 'app', '--format', 'json'], {home})).stdout) as Record<string, string>;
		assert.deepEqual(values, {TOKEN: 'back-ticked value', URL: 'https://example.com/x'});
	});

	test('a key given twice: the last wins, as in dotenv, with a warning naming both lines', async t => {
		const home = await initHome(t);
		const run = await hush(['import', 'dotenv', '-', '--name', 'twice'], {home, input: 'A=first\nB=2\nA=second\n'});
		assert.equal(run.code, 0, run.stderr);
		assert.match(run.stderr, /warning: A is set at dotenv line 1 and again at dotenv line 3: the last one wins/);
		assert.equal((await hushOk(['get', 'twice', 'A'], {home})).stdout, 'second');
	});

	test('only empty values, a bad key or a bad line: one line naming it, nothing stored', async t => {
		const home = await initHome(t);
		const before = vaultDigest(home);
		const cases: Array<[string, RegExp]> = [
			['EMPTY=\nALSO=   \n', /holds no KEY=value lines with a value \(hush stores no empty values\): nothing imported/],
			['GOOD=secret-ish\nmy.key=secret-ish\n', /dotenv line 2: invalid key name "my\.key"/],
			['GOOD=secret-ish\n\nBAD="secret-ish\n', /dotenv line 3: the double quote opened here is never closed/],
			['A=secret-ish\0x\n', /dotenv line 1: value for A contains a NUL byte/],
		];
		for (const [text, pattern] of cases) {
			const run = await hush(['import', 'dotenv', '-', '--name', 'x'], {home, input: text});
			assert.equal(run.code, 2, text);
			assertOneLineError(run, pattern);
			assert.ok(!run.stderr.includes('secret-ish'), 'no value in the message');
		}

		assert.equal(vaultDigest(home), before);
	});
});
