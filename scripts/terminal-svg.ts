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
