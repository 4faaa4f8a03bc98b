/** Renders lines of terminal text as an SVG picture of a terminal window. No colours: plain text. */
export function terminalSvg(lines: readonly string[], options: {title?: string; columns?: number} = {}): string {
	const columns = options.columns ?? Math.max(60, ...lines.map(line => line.length));
	const charWidth = 8.4;
	const lineHeight = 19;
	const padding = 16;
	const titleBar = 30;
	const width = Math.ceil(columns * charWidth + padding * 2);
	const height = titleBar + padding * 2 + lines.length * lineHeight;
	const escape = (text: string) => text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');
	const text = lines
		.map((line, index) => {
			const y = titleBar + padding + (index + 1) * lineHeight - 5;
			const isCommand = line.startsWith('$ ');
			return `<text x="${padding}" y="${y}"${isCommand ? ' class="cmd"' : ''} xml:space="preserve">${escape(line)}</text>`;
		})
		.join('\n');
	return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">
<style>text{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,"DejaVu Sans Mono",monospace;font-size:14px;fill:#d8dee9}.cmd{fill:#a3be8c}.title{fill:#8a8f98;font-size:12px}</style>
<rect width="${width}" height="${height}" rx="8" fill="#1f2329"/>
<circle cx="18" cy="15" r="6" fill="#ff5f57"/><circle cx="38" cy="15" r="6" fill="#febc2e"/><circle cx="58" cy="15" r="6" fill="#28c840"/>
<text x="${width / 2}" y="19" text-anchor="middle" class="title">${escape(options.title ?? 'hush')}</text>
${text}
</svg>
`;
}

type Style = {fg: string | null; bold: boolean; dim: boolean; inverse: boolean};
type Segment = Style & {text: string; column: number};

const palette: Record<number, string> = {
	30: '#4c566a', 31: '#e06c75', 32: '#a3be8c', 33: '#ebcb8b', 34: '#81a1c1', 35: '#b48ead', 36: '#88c0d0', 37: '#e5e9f0',
	90: '#8a8f98', 91: '#e06c75', 92: '#a3be8c', 93: '#ebcb8b', 94: '#81a1c1', 95: '#b48ead', 96: '#8fbcbb', 97: '#eceff4',
};

/** Splits one line of `tmux capture-pane -e` output into styled runs (SGR codes only). */
export function ansiSegments(line: string): Segment[] {
	const segments: Segment[] = [];
	let style: Style = {fg: null, bold: false, dim: false, inverse: false};
	let column = 0;
	for (const part of line.split(/(\u001B\[[\d;]*m)/)) {
		const sgr = /^\u001B\[([\d;]*)m$/.exec(part);
		if (!sgr) {
			if (part !== '') {
				segments.push({...style, text: part, column});
				column += [...part].length;
			}

			continue;
		}

		const codes = (sgr[1] || '0').split(';').map(Number);
		for (let index = 0; index < codes.length; index++) {
			const code = codes[index]!;
			if (code === 0) style = {fg: null, bold: false, dim: false, inverse: false};
			else if (code === 1) style = {...style, bold: true};
			else if (code === 2) style = {...style, dim: true};
			else if (code === 7) style = {...style, inverse: true};
			else if (code === 22) style = {...style, bold: false, dim: false};
			else if (code === 27) style = {...style, inverse: false};
			else if (code === 39) style = {...style, fg: null};
			else if (palette[code]) style = {...style, fg: palette[code]!};
			else if (code === 38 && codes[index + 1] === 5) {
				const n = codes[index + 2] ?? 7;
				style = {...style, fg: palette[n < 8 ? 30 + n : n < 16 ? 82 + n : 37] ?? null};
				index += 2;
			}
		}
	}

	return segments;
}

/** Renders `capture-pane -e` lines (with colour codes) as an SVG terminal picture. */
export function ansiTerminalSvg(lines: readonly string[], options: {title?: string; columns: number}): string {
	const charWidth = 8.4;
	const lineHeight = 19;
	const padding = 16;
	const titleBar = 30;
	const width = Math.ceil(options.columns * charWidth + padding * 2);
	const height = titleBar + padding * 2 + lines.length * lineHeight;
	const escape = (text: string) => text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');
	const body = lines
		.flatMap((line, row) => {
			const y = titleBar + padding + (row + 1) * lineHeight - 5;
			return ansiSegments(line).flatMap(segment => {
				const x = (padding + segment.column * charWidth).toFixed(1);
				const fg = segment.inverse ? '#1f2329' : (segment.fg ?? '#d8dee9');
				const parts: string[] = [];
				if (segment.inverse) {
					const w = ([...segment.text].length * charWidth).toFixed(1);
					parts.push(`<rect x="${x}" y="${y - 14}" width="${w}" height="${lineHeight}" fill="${segment.fg ?? '#d8dee9'}"/>`);
				}

				if (segment.text.trim() !== '') {
					const weight = segment.bold ? ' font-weight="bold"' : '';
					const opacity = segment.dim ? ' opacity="0.6"' : '';
					parts.push(`<text x="${x}" y="${y}" fill="${fg}"${weight}${opacity} xml:space="preserve">${escape(segment.text)}</text>`);
				}

				return parts;
			});
		})
		.join('\n');
	return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">
<style>text{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,"DejaVu Sans Mono",monospace;font-size:14px}.title{fill:#8a8f98;font-size:12px}</style>
<rect width="${width}" height="${height}" rx="8" fill="#1f2329"/>
<circle cx="18" cy="15" r="6" fill="#ff5f57"/><circle cx="38" cy="15" r="6" fill="#febc2e"/><circle cx="58" cy="15" r="6" fill="#28c840"/>
<text x="${width / 2}" y="19" text-anchor="middle" class="title">${escape(options.title ?? 'hush')}</text>
${body}
</svg>
`;
}
