/** The text formats under inject, check, import and export, without a vault. */
import assert from 'node:assert/strict';
import {describe, test} from 'node:test';
import {formatDotenv, formatShell, parseDotenv} from '../source/runtime/dotenv.js';
import {findTemplateReferences, parseReference} from '../source/runtime/references.js';

describe('template references', () => {
	test('NAME.KEY with whitespace, dotted names and visibility; other braces ignored', () => {
		const template = '{{a.B}} {{  api.v2.TOKEN  }} {{private:db.PASS}} {{ public : x-y.Z_1 }} {{ .Values.x }} {{noKey}} {{a.9B}} {a.B}';
		assert.deepEqual(
			findTemplateReferences(template).map(({reference}) => [reference.name, reference.key, reference.private, reference.text]),
			[
				['a', 'B', undefined, 'a.B'],
				['api.v2', 'TOKEN', undefined, 'api.v2.TOKEN'],
				['db', 'PASS', true, 'private:db.PASS'],
				['x-y', 'Z_1', false, 'public : x-y.Z_1'],
			],
		);
	});

	test('command-line references: NAME, NAME.KEY, a visibility prefix; junk refused', () => {
		assert.deepEqual(parseReference('db'), {name: 'db', private: undefined, text: 'db'});
		assert.deepEqual(parseReference('private:api.v2.TOKEN'), {name: 'api.v2', key: 'TOKEN', private: true, text: 'private:api.v2.TOKEN'});
		assert.deepEqual(parseReference('cert.pem'), {name: 'cert', key: 'pem', private: undefined, text: 'cert.pem'});
		for (const bad of ['', 'a b', '-x', 'public:', '{{a.B}}']) {
			assert.throws(() => parseReference(bad), /invalid reference/, bad);
		}
	});
});

describe('dotenv and shell formats', () => {
	const values = {A: 'plain', B: 'q"uo\'te $X \\n', C: 'multi\nline\r\nend', D: '#not a comment', E: ' spaced '};

	test('formatDotenv output parses back to the same values', () => {
		assert.deepEqual(Object.fromEntries(parseDotenv(formatDotenv(values))), values);
	});

	test('formatShell single-quotes everything', () => {
		assert.equal(formatShell({K: "it's $HOME"}), "export K='it'\\''s $HOME'\n");
	});

	test('CRLF files and an unquoted value with an inline comment', () => {
		assert.deepEqual(parseDotenv('A=1 # one\r\nexport B = two\r\n'), [['A', '1'], ['B', 'two']]);
	});
});
