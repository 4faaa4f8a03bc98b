import {InvalidInputError} from '../errors.js';

/**
 * Parses a .env file: `KEY=value`, an optional `export ` prefix, `#` comments, blank lines;
 * values unquoted (trailing ` # comment` dropped, whitespace trimmed), 'single-quoted' (literal,
 * may span lines) or "double-quoted" (may span lines; \n \r \t \" \\ \$ escapes). Errors name the
 * line, never its value.
 */
export function parseDotenv(text: string): Array<[string, string]> {
	const entries: Array<[string, string]> = [];
	let index = 0;
	let line = 1;
	const fail = (message: string): never => {
		throw new InvalidInputError(`dotenv line ${line}: ${message}`);
	};

	while (index < text.length) {
		const end = text.indexOf('\n', index);
		const rawLine = text.slice(index, end === -1 ? text.length : end).replace(/\r$/, '');
		const trimmed = rawLine.trim();
		if (trimmed === '' || trimmed.startsWith('#')) {
			index = end === -1 ? text.length : end + 1;
			line++;
			continue;
		}

		const assignment = /^\s*(?:export\s+)?([^=\s]+)\s*=[ \t]*/.exec(rawLine);
		if (!assignment) {
			fail('expected KEY=value');
		}

		const key = assignment![1]!;
		let position = index + assignment![0].length;
		const quote = text[position];
		let value = '';
		const startLine = line;
		if (quote === '"' || quote === "'") {
			position++;
			for (;;) {
				if (position >= text.length) {
					line = startLine;
					fail(`the ${quote === '"' ? 'double' : 'single'} quote opened here is never closed`);
				}

				const char = text[position]!;
				if (char === quote) {
					position++;
					break;
				}

				if (char === '\n') {
					line++;
				}

				if (quote === '"' && char === '\\' && position + 1 < text.length) {
					const next = text[position + 1]!;
					value += ({n: '\n', r: '\r', t: '\t'} as Record<string, string>)[next] ?? (['"', '\\', '$', '`'].includes(next) ? next : `\\${next}`);
					position += 2;
					continue;
				}

				value += char;
				position++;
			}

			const restEnd = text.indexOf('\n', position);
			const rest = text.slice(position, restEnd === -1 ? text.length : restEnd).trim();
			if (rest !== '' && !rest.startsWith('#')) {
				fail('unexpected text after the closing quote');
			}

			index = restEnd === -1 ? text.length : restEnd + 1;
		} else {
			const lineEnd = end === -1 ? text.length : end;
			value = text.slice(position, lineEnd).replace(/\r$/, '').replace(/\s+#.*$/, '').trim();
			index = end === -1 ? text.length : end + 1;
		}

		entries.push([key, value]);
		line++;
	}

	return entries;
}

/** KEY="value" lines that {@link parseDotenv} (and dotenv, docker --env-file aside) read back exactly. */
export function formatDotenv(values: Record<string, string>): string {
	return Object.entries(values)
		.map(([key, value]) => `${key}="${value.replace(/[\\"$`]/g, character => `\\${character}`).replaceAll('\n', '\\n').replaceAll('\r', '\\r')}"\n`)
		.join('');
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
