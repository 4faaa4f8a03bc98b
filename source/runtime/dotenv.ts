import {InvalidInputError} from '../errors.js';

/**
 * .env files, read the way the `dotenv` npm package reads them (the reference people know):
 *
 * - `KEY=value`, `KEY = value`, `KEY: value`, an optional `export ` prefix; keys are letters,
 *   digits, `_`, `.` and `-` (hush then checks them as key names); CR LF and lone CR become LF;
 * - blank lines and lines starting with `#` are skipped;
 * - unquoted values end at the first `#` (an inline comment) and are trimmed: `A=x#y` is `x`;
 * - 'single', "double" and `backtick` quotes are stripped and keep everything inside (whitespace,
 *   `#`, the other quotes, line breaks: a quoted value may span lines); a quote may appear inside
 *   as `\'` (the backslash stays, as in dotenv); in double quotes `\n` and `\r` become a line
 *   break and a carriage return, and nothing else is unescaped;
 * - `EMPTY=` is an empty value (the importer decides what to do with it).
 *
 * Where dotenv silently guesses, hush refuses and names the line (never its value): a line that is
 * no assignment (dotenv skips it, and the secret on it would be lost), a quote that never closes
 * (dotenv keeps the quote as part of the value), text after a closing quote.
 */
export type DotenvEntry = {key: string; value: string; line: number};

const assignment = /^[ \t\f\v\uFEFF]*(?:export[ \t]+)?([\w.-]+)(?:[ \t]*=|:[ \t])[ \t]*/;
const quotes = new Set(["'", '"', '`']);
const quoteNames: Record<string, string> = {"'": 'single quote', '"': 'double quote', '`': 'backtick'};

export function parseDotenvEntries(input: string): DotenvEntry[] {
	const text = input.replace(/\r\n?/g, '\n');
	const entries: DotenvEntry[] = [];
	let index = 0;
	let line = 1;
	const fail = (at: number, message: string): never => {
		throw new InvalidInputError(`dotenv line ${at}: ${message}`);
	};

	while (index < text.length) {
		const lineEnd = endOfLine(text, index);
		const rawLine = text.slice(index, lineEnd);
		const trimmed = rawLine.replace(/^[\s\uFEFF]+/, '');
		if (trimmed.trim() === '' || trimmed.startsWith('#')) {
			index = lineEnd + 1;
			line++;
			continue;
		}

		const match = assignment.exec(rawLine) ?? fail(line, 'expected KEY=value');
		const key = match[1]!;
		const start = index + match[0].length;
		const quote = text[start]!;
		const startLine = line;
		if (quotes.has(quote)) {
			const close = closingQuote(text, start + 1, quote, at => /^\s*(?:#.*)?$/.test(text.slice(at + 1, endOfLine(text, at))));
			if (typeof close === 'string') {
				fail(startLine, close === 'open' ? `the ${quoteNames[quote]} opened here is never closed` : `unexpected text after the closing ${quoteNames[quote]}`);
			}

			const end = close as number;
			const tailEnd = endOfLine(text, end);
			let value = text.slice(start + 1, end);
			if (quote === '"') {
				value = value.replaceAll('\\n', '\n').replaceAll('\\r', '\r');
			}

			entries.push({key, value, line: startLine});
			line += countNewlines(text, start, tailEnd) + 1;
			index = tailEnd + 1;
		} else {
			const hash = text.indexOf('#', start);
			const valueEnd = hash === -1 || hash > lineEnd ? lineEnd : hash;
			entries.push({key, value: text.slice(start, valueEnd).trim(), line});
			index = lineEnd + 1;
			line++;
		}
	}

	return entries;
}

/** The pairs alone, in file order. */
export function parseDotenv(text: string): Array<[string, string]> {
	return parseDotenvEntries(text).map(({key, value}) => [key, value]);
}

function endOfLine(text: string, from: number): number {
	const end = text.indexOf('\n', from);
	return end === -1 ? text.length : end;
}

function countNewlines(text: string, from: number, to: number): number {
	let count = 0;
	for (let index = text.indexOf('\n', from); index !== -1 && index < to; index = text.indexOf('\n', index + 1)) {
		count++;
	}

	return count;
}

/**
 * Where a quoted value ends, as dotenv's pattern decides: the first quote not written as `\` +
 * quote, if only a comment follows it on its line; else the latest `\` + quote before it that is
 * so followed (its backslash then belongs to the value). 'open' when the file ends first, 'text'
 * when the closing quote has text after it.
 */
function closingQuote(text: string, from: number, quote: string, endsLine: (at: number) => boolean): number | 'open' | 'text' {
	const escaped: number[] = [];
	let bare: number | undefined;
	for (let index = from; index < text.length && bare === undefined; index++) {
		if (text[index] === '\\' && text[index + 1] === quote) {
			escaped.push(++index);
		} else if (text[index] === quote) {
			bare = index;
		}
	}

	const candidates = [...(bare === undefined ? [] : [bare]), ...escaped.reverse()];
	return candidates.find(at => endsLine(at)) ?? (bare === undefined ? 'open' : 'text');
}

/**
 * KEY='value' lines that dotenv (and {@link parseDotenvEntries}) read back exactly. dotenv has no
 * escape for a quote, so each value takes the first quoting that can carry it: 'single' or
 * `backtick` (literal, line breaks included), else "double" with line breaks written as \n and
 * \r. A value no quoting can carry is refused, naming its key: use JSON or shell output.
 */
export function formatDotenv(values: Record<string, string>): string {
	return Object.entries(values)
		.map(([key, value]) => `${key}=${dotenvQuote(key, value)}\n`)
		.join('');
}

function dotenvQuote(key: string, value: string): string {
	for (const quote of ["'", '`']) {
		if (!value.includes(quote) && !value.includes('\r')) {
			return `${quote}${value}${quote}`;
		}
	}

	if (!value.includes('"') && !/\\[nr]/.test(value)) {
		return `"${value.replaceAll('\n', '\\n').replaceAll('\r', '\\r')}"`;
	}

	throw new InvalidInputError(
		`the value of ${key} cannot be written as a .env line that dotenv reads back exactly (it holds ', " and \` together, or a carriage return with " or a literal \\n): use --format json or --format shell`,
	);
}

/** `export KEY='value'` lines for `eval`: single quotes keep everything literal ($, `, \, newlines, unicode). */
export function formatShell(values: Record<string, string>): string {
	return Object.entries(values)
		.map(([key, value]) => `export ${key}=${shellQuote(value)}\n`)
		.join('');
}

export function shellQuote(value: string): string {
	return `'${value.replaceAll("'", `'\\''`)}'`;
}
