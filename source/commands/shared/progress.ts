/**
 * A one-line progress bar on stderr, drawn only when stderr is a terminal: piped or captured
 * stderr (scripts, CI logs) never sees carriage returns. Redrawn at most every 1%, then erased.
 */
export type Progress = {update(done: number): void; finish(): void};

const width = 30;

export function progressBar(stderr: NodeJS.WriteStream, total: number, label: string): Progress {
	if (!stderr.isTTY || total < 2) {
		return {update() {}, finish() {}};
	}

	let drawn = -1;
	const draw = (done: number) => {
		const filled = Math.round((done / total) * width);
		stderr.write(`\r${label} [${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${done}/${total}`);
	};

	return {
		update(done) {
			const percent = Math.floor((done / total) * 100);
			if (percent !== drawn) {
				drawn = percent;
				draw(done);
			}
		},
		finish() {
			if (drawn !== -1) {
				stderr.write('\r\u001B[K');
			}
		},
	};
}
