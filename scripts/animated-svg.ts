import {ansiSegments} from './terminal-svg.js';

/**
 * An animated SVG of a terminal: captured frames (`tmux capture-pane -e` lines) shown one after
 * another by CSS keyframes, looping. An SVG animates where a README shows it (GitHub renders it in
 * an <img>), with no script and no video.
 */

export type Frame = {
	/** Milliseconds since the recording started. */
	at: number;
	lines: readonly string[];
};

const charWidth = 8.4;
const lineHeight = 19;
const padding = 16;
const titleBar = 30;

function escape(text: string): string {
	return text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');
}

/** One frame's text runs; colours are classes, so a repeated colour costs a few bytes. */
function frameBody(lines: readonly string[], colour: (fg: string) => string): string {
	return lines
		.flatMap((line, row) => {
			const y = titleBar + padding + (row + 1) * lineHeight - 5;
			return ansiSegments(line).flatMap(segment => {
				const x = (padding + segment.column * charWidth).toFixed(1);
				const parts: string[] = [];
				if (segment.inverse) {
					const width = ([...segment.text].length * charWidth).toFixed(1);
					parts.push(`<rect x="${x}" y="${y - 14}" width="${width}" height="${lineHeight}" class="${colour(segment.fg ?? '#d8dee9')}"/>`);
				}

				if (segment.text.trim() !== '') {
					const classes = [colour(segment.inverse ? '#1f2329' : (segment.fg ?? '#d8dee9')), segment.bold ? 'b' : '', segment.dim ? 'd' : ''].filter(Boolean).join(' ');
					parts.push(`<text x="${x}" y="${y}" class="${classes}">${escape(segment.text)}</text>`);
				}

				return parts;
			});
		})
		.join('');
}

/** `frames` in order; `endMs` is when the last one stops showing, before the loop starts again. */
export function animatedTerminalSvg(frames: readonly Frame[], options: {columns: number; rows: number; endMs: number; title: string}): string {
	const width = Math.ceil(options.columns * charWidth + padding * 2);
	const height = titleBar + padding * 2 + options.rows * lineHeight;
	const colours = new Map<string, string>();
	const colour = (fg: string) => {
		if (!colours.has(fg)) {
			colours.set(fg, `c${colours.size}`);
		}

		return colours.get(fg)!;
	};

	const total = options.endMs;
	const percent = (ms: number) => ((ms / total) * 100).toFixed(3);
	const keyframes: string[] = [];
	const bodies = frames.map((frame, index) => {
		const start = frame.at;
		const end = frames[index + 1]?.at ?? total;
		keyframes.push(`@keyframes k${index}{0%{visibility:hidden}${percent(start)}%{visibility:visible}${percent(end)}%{visibility:hidden}}`);
		return `<g class="f" style="animation-name:k${index}">${frameBody(frame.lines, colour)}</g>`;
	});
	const colourRules = [...colours].map(([fg, name]) => `.${name}{fill:${fg}}`).join('');
	return `<svg xmlns="http://www.w3.org/2000/svg" xml:space="preserve" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">
<style>text{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,"DejaVu Sans Mono",monospace;font-size:14px;white-space:pre}.title{fill:#8a8f98;font-size:12px}.b{font-weight:bold}.d{opacity:.6}${colourRules}
.f{visibility:hidden;animation-duration:${(total / 1000).toFixed(2)}s;animation-iteration-count:infinite;animation-timing-function:step-end}
${keyframes.join('\n')}</style>
<rect width="${width}" height="${height}" rx="8" fill="#1f2329"/>
<circle cx="18" cy="15" r="6" fill="#ff5f57"/><circle cx="38" cy="15" r="6" fill="#febc2e"/><circle cx="58" cy="15" r="6" fill="#28c840"/>
<text x="${width / 2}" y="19" text-anchor="middle" class="title">${escape(options.title)}</text>
${bodies.join('\n')}
</svg>
`;
}

/** The same frames as an asciicast v2 recording: each event clears the screen and draws one frame. */
export function asciicast(frames: readonly Frame[], options: {columns: number; rows: number; title: string}): string {
	const header = {version: 2, width: options.columns, height: options.rows, timestamp: Math.floor(Date.now() / 1000), title: options.title, env: {TERM: 'xterm-256color'}};
	const events = frames.map(frame => JSON.stringify([Number((frame.at / 1000).toFixed(3)), 'o', `\u001B[H\u001B[2J${frame.lines.join('\r\n')}`]));
	return `${[JSON.stringify(header), ...events].join('\n')}\n`;
}
