import {setImmediate as nextTurn} from 'node:timers/promises';
import {performance} from 'node:perf_hooks';
import type {BenchVault} from '../vaults.js';

/**
 * A filter keystroke through the whole TUI, in process: from the key written to the app's stdin
 * to the frame that shows the query and its result, with React and Ink rendering it (production
 * React, Ink's test renderer: every frame drawn, none skipped). No terminal and no tmux, whose
 * send-keys and capture-pane cost more than the keystroke itself; the tui group times that path.
 *
 * Each sample is checked: the frame must show the query as typed and the count of matches the
 * list's own filter gives for it, so a frame still showing the previous result never counts.
 */
export async function keystrokesToFrame(vault: BenchVault, queries: readonly string[], rounds: number): Promise<number[]> {
	// React reads NODE_ENV once, when it first loads; the bench loads it only here.
	process.env['NODE_ENV'] ??= 'production';
	const [{createElement}, {App}, ink, {listViewer}, {openVault}] = await Promise.all([
		import('react'),
		import('../../source/tui/app.js'),
		import('../../test/helpers/ink.js'),
		import('../../source/tui/state/list-view.js'),
		import('../../source/unlock/open-vault.js'),
	]);

	// Every prefix's count worked out before the app starts, so the bench's own ranking never runs
	// between a key and its frame (its garbage and its cache misses would land in the sample).
	const counts = await expectedCounts(vault, queries, listViewer, openVault);
	const matches = (query: string) => counts.get(query)!;

	const total = vault.size.toLocaleString('en-US');
	const app = ink.renderAt(
		createElement(App, {
			env: {HUSH_HOME: vault.home, HUSH_PASSPHRASE: vault.passphrase},
			services: ink.testServices(),
			onExit: () => undefined,
		}),
		120,
		30,
	);
	const title = () => app.screen().split('\n')[0] ?? '';
	try {
		await app.waitFor(screen => (screen.split('\n')[0] ?? '').includes(`hush · ${total} secrets`), 600_000);
		app.keys('/');
		await app.waitFor(() => /› \/\s*$/.test(title()));
		const samples: number[] = [];
		for (let round = 0; round <= rounds; round++) {
			for (const query of queries) {
				for (let length = 1; length <= query.length; length++) {
					const typed = query.slice(0, length);
					if (typed.endsWith(' ')) {
						// A trailing space is not visible on the frame: typed untimed, its work lands in the next key's sample.
						app.keys(' ');
						continue;
					}

					const shown = `hush · ${matches(typed).toLocaleString('en-US')} of ${total}`;
					const started = performance.now();
					app.keys(typed.at(-1)!);
					while (!(title().includes(`› / ${typed}`) && title().includes(shown))) {
						if (performance.now() - started > 60_000) {
							throw new Error(`the TUI never showed ${JSON.stringify(shown)} for ${JSON.stringify(typed)}:\n${app.screen()}`);
						}

						// eslint-disable-next-line no-await-in-loop
						await nextTurn();
					}

					// The first round warms the code up; it is not counted.
					if (round > 0) {
						samples.push(performance.now() - started);
					}
				}

				app.keys(ink.keys.ctrl('u'));
				await app.waitFor(() => title().includes(`hush · ${total} secrets`));
			}
		}

		return samples;
	} finally {
		app.unmount();
	}
}

/** The number of matches the list's own filter gives for every prefix of every query, typed as the bench types them. */
async function expectedCounts(
	vault: BenchVault,
	queries: readonly string[],
	listViewer: typeof import('../../source/tui/state/list-view.js').listViewer,
	openVault: typeof import('../../source/unlock/open-vault.js').openVault,
): Promise<Map<string, number>> {
	const opened = await openVault({home: vault.home, passphrase: vault.passphrase, command: 'bench'});
	const secrets = opened.listSecrets();
	opened.close();
	const view = listViewer();
	const counts = new Map<string, number>();
	for (const query of queries) {
		view(secrets, 'name', '');
		for (let length = 1; length <= query.length; length++) {
			counts.set(query.slice(0, length), view(secrets, 'name', query.slice(0, length)).length);
		}
	}

	return counts;
}
