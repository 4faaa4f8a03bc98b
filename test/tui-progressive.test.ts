/**
 * The progressive list, without rendering: the vault's page-at-a-time reader (real SQLite file),
 * the pacing that hands its pages to the TUI in batches, the listing reducer, the sorter that
 * merges a grown list instead of sorting it again, and the cursor that follows the chosen secret.
 */
import assert from 'node:assert/strict';
import {test} from 'node:test';
import {loadPages, type LoadPacing, type PageSource} from '../source/tui/load-pages.js';
import {browserReducer, initialBrowserState} from '../source/tui/state/browser.js';
import {appendSecrets, growingSort} from '../source/tui/state/grown-list.js';
import {type Batch, firstListing, listingReducer} from '../source/tui/state/listing.js';
import {countsLabel, emptyListText, loadingFact} from '../source/tui/state/loading-text.js';
import {comparators, listViewer, sortOrders, sortSecrets} from '../source/tui/state/list-view.js';
import type {SecretSummary} from '../source/vault/model.js';
import {pageStats} from '../source/vault/pages.js';
import type {SummaryChunk} from '../source/vault/vault.js';
import {LockedVault} from '../source/vault/vault.js';
import {summaryOf} from './helpers/summaries.js';
import {makeHome, newVault, openRaw, passphrase} from './helpers/vault-fixtures.js';

const names = (secrets: readonly SecretSummary[]) => secrets.map(secret => secret.name);

/** A page source over fixed pages, on a clock that advances `msPerPage` per page read. */
function fakeSource(pages: SecretSummary[][], clock: {now: number}, msPerPage: number): PageSource & {reads: number} {
	const total = pages.flat().length;
	let loaded = 0;
	const source = {
		reads: 0,
		next(): SummaryChunk {
			const summaries = pages[source.reads] ?? [];
			source.reads++;
			clock.now += msPerPage;
			loaded += summaries.length;
			return {summaries, loaded, total, done: source.reads >= pages.length, warnings: source.reads === pages.length ? ['a warning'] : []};
		},
	};
	return source;
}

const pagesOf = (count: number, perPage: number) =>
	Array.from({length: count}, (_, page) => Array.from({length: perPage}, (_, at) => summaryOf(`s-${String(page).padStart(2, '0')}-${at}`)));

test('loadPages: slices of page reads between pauses, batches no more often than deliverMs, the last one done with the warnings', async () => {
	const clock = {now: 0};
	const source = fakeSource(pagesOf(10, 3), clock, 5);
	const delivered: Array<{batch: Batch; warnings: readonly string[]; at: number}> = [];
	let pauses = 0;
	const pacing: LoadPacing = {sliceMs: 12, deliverMs: 30, pauseMs: 0};
	await loadPages(source, pacing, {
		deliver: (batch, warnings) => delivered.push({batch, warnings, at: clock.now}),
		cancelled: () => false,
		now: () => clock.now,
		async pause() {
			pauses++;
		},
	});
	// Slices of three pages (5 ms each, until 12 ms have passed), then a pause: 10 pages → 4 slices.
	assert.equal(pauses, 4);
	assert.equal(source.reads, 10);
	assert.deepEqual(
		delivered.map(({batch}) => [batch.summaries.length, batch.loaded, batch.done]),
		[
			[18, 18, false],
			[12, 30, true],
		],
	);
	assert.deepEqual(delivered.at(-1)!.warnings, ['a warning']);
	assert.deepEqual(delivered[0]!.warnings, []);
	assert.deepEqual(names(delivered.flatMap(({batch}) => batch.summaries)), names(pagesOf(10, 3).flat()), 'every secret once, in order');
});

test('loadPages: cancelled stops reading at the next pause; an error rejects after the batches before it', async () => {
	const clock = {now: 0};
	const source = fakeSource(pagesOf(5, 2), clock, 1);
	let cancel = false;
	const batches: Batch[] = [];
	await loadPages(source, {sliceMs: 0, deliverMs: 0, pauseMs: 0}, {
		deliver(batch) {
			batches.push(batch);
			cancel = batches.length === 2;
		},
		cancelled: () => cancel,
		now: () => clock.now,
		async pause() {},
	});
	assert.equal(source.reads, 2, 'no page is read once cancelled');
	assert.equal(batches.length, 2);

	let reads = 0;
	const failing: PageSource = {
		next() {
			reads++;
			if (reads === 2) {
				throw new Error('secret x failed its integrity check');
			}

			return {summaries: [summaryOf(`ok-${reads}`)], loaded: reads, total: 3, done: false, warnings: []};
		},
	};
	const seen: Batch[] = [];
	await assert.rejects(
		loadPages(failing, {sliceMs: 0, deliverMs: 0, pauseMs: 0}, {deliver: batch => seen.push(batch), cancelled: () => false, now: () => 0, async pause() {}}),
		/integrity check/,
	);
	assert.deepEqual(
		seen.map(batch => names(batch.summaries)),
		[['ok-1']],
	);
});

test('listingReducer: batches append and count, done ends loading, a reload supersedes a late batch, stopped keeps what came', () => {
	const first = firstListing({summaries: [summaryOf('b')], loaded: 1, total: 3, done: false});
	assert.deepEqual(first.loading, {loaded: 1, total: 3, stopped: false});
	const second = listingReducer(first, {type: 'batch', batch: {summaries: [summaryOf('a')], loaded: 2, total: 3, done: false}});
	assert.deepEqual(names(second.secrets), ['b', 'a']);
	assert.deepEqual(second.loading, {loaded: 2, total: 3, stopped: false});
	// Another process added one while the pages were read: the total grows with what was read.
	const third = listingReducer(second, {type: 'batch', batch: {summaries: [summaryOf('c'), summaryOf('d')], loaded: 4, total: 4, done: true}});
	assert.deepEqual(names(third.secrets), ['b', 'a', 'c', 'd']);
	assert.equal(third.loading, null);

	const reloaded = listingReducer(second, {type: 'replace', secrets: [summaryOf('x')]});
	assert.equal(reloaded.loading, null);
	const late = listingReducer(reloaded, {type: 'batch', batch: {summaries: [summaryOf('c')], loaded: 3, total: 3, done: true}});
	assert.equal(late, reloaded, 'a batch from the superseded reader changes nothing');

	const stopped = listingReducer(second, {type: 'stopped'});
	assert.deepEqual(stopped.loading, {loaded: 2, total: 3, stopped: true});
	assert.deepEqual(names(stopped.secrets), ['b', 'a']);
	assert.equal(listingReducer(stopped, {type: 'batch', batch: {summaries: [summaryOf('c')], loaded: 3, total: 3, done: true}}), stopped);

	const bumped = listingReducer(second, {type: 'change', change: secrets => secrets.map(secret => (secret.name === 'a' ? {...secret, lastUsedAt: '2026-02-01T00:00:00.000Z'} : secret))});
	assert.equal(bumped.secrets[1]!.lastUsedAt, '2026-02-01T00:00:00.000Z');
	assert.deepEqual(bumped.loading, second.loading, 'loading goes on after a reveal');
});

test('what the screen says while loading: counts, the status fact, the empty list', () => {
	const loading = {loaded: 2560, total: 10_000, stopped: false};
	assert.equal(countsLabel(2560, 2560, '', loading), '2,560 of 10,000 secrets');
	assert.equal(countsLabel(2560, 12, 'git', loading), '12 of 2,560 so far');
	assert.equal(countsLabel(10_000, 12, 'git', null), '12 of 10,000');
	assert.equal(countsLabel(1, 1, '', null), '1 secret');
	assert.equal(loadingFact(loading), 'loading 2,560/10,000…');
	assert.equal(loadingFact({...loading, stopped: true}), 'listed 2,560 of 10,000, stopped');
	assert.equal(emptyListText(2560, loading), 'nothing matches yet: still loading');
	assert.equal(emptyListText(0, null), 'no secrets yet: press n to add one');
	assert.equal(emptyListText(5, null), 'nothing matches: Esc clears the filter');
});

test('a grown list is merged into the last sorted one, never sorted whole again, and comes out as a full stable sort would', () => {
	const base = [summaryOf('m'), summaryOf('c', {private: true}), summaryOf('x')];
	const added = [summaryOf('c', {id: 'public-c'}), summaryOf('a'), summaryOf('z')];
	const more = [summaryOf('b'), summaryOf('m', {id: 'second-m', private: true})];
	for (const order of sortOrders) {
		const sortedInputs: number[] = [];
		const sorter = growingSort<(typeof sortOrders)[number]>(
			(secrets, sort) => {
				sortedInputs.push(secrets.length);
				return sortSecrets(secrets, sort);
			},
			comparators,
		);
		sorter(base, order);
		const grown = appendSecrets(appendSecrets(base, added), more);
		const merged = sorter(grown, order);
		assert.deepEqual(sortedInputs, [3, 5], `${order}: the second sort saw only the five added`);
		assert.deepEqual(
			merged.map(secret => secret.id),
			sortSecrets(grown, order).map(secret => secret.id),
			`${order}: the same as sorting the whole list`,
		);
	}
});

test('the list viewer over a growing list: sorted as a whole, and a filter typed while loading finds a secret of the last batch once it arrives', () => {
	const view = listViewer();
	let secrets: readonly SecretSummary[] = [summaryOf('stripe-prod'), summaryOf('aws-ci')];
	assert.deepEqual(names(view(secrets, 'name', '')), ['aws-ci', 'stripe-prod']);
	assert.deepEqual(names(view(secrets, 'name', 'zeta')), []);
	secrets = appendSecrets(secrets, [summaryOf('zeta-last-page'), summaryOf('github')]);
	assert.deepEqual(names(view(secrets, 'name', 'zeta')), ['zeta-last-page']);
	assert.deepEqual(names(view(secrets, 'name', '')), ['aws-ci', 'github', 'stripe-prod', 'zeta-last-page']);
	assert.deepEqual(names(view(secrets, 'name', 'zetl')), ['zeta-last-page'], 'a narrowed query over the grown list');
});

test('follow: the cursor moves with the chosen secret and keeps its reveal; moveTo to another row masks', () => {
	const revealed = {secretId: 'id-b', key: 'VALUE', value: 'v'};
	const state = {...initialBrowserState, cursor: 1, keyIndex: 0, revealed};
	const followed = browserReducer(state, {type: 'follow', index: 7});
	assert.equal(followed.cursor, 7);
	assert.deepEqual(followed.revealed, revealed);
	assert.equal(browserReducer(state, {type: 'follow', index: 1}), state);
	assert.equal(browserReducer(state, {type: 'moveTo', index: 7, count: 10}).revealed, null);
});

test('Vault.readSecretsByPage: a page at a time, the same summaries as listSecrets, from the pages; a bad page is read from its records, named and rebuilt', async t => {
	const home = makeHome(t);
	const vault = await newVault(home);
	t.after(() => vault.close());
	const count = 600;
	vault.createSecrets(Array.from({length: count}, (_, index) => ({name: `secret-${String(index).padStart(4, '0')}`, values: {VALUE: `v${index}`}})));
	// Used secrets on the first page and on the last: their last use comes from the audit log both ways.
	vault.getSecret('secret-0000');
	vault.getSecret('secret-0599');
	const whole = vault.listSecrets();
	assert.equal(whole.filter(secret => secret.lastUsedAt !== null).length, 2);

	const read = () => {
		const reader = vault.readSecretsByPage();
		const chunks: SummaryChunk[] = [];
		do {
			chunks.push(reader.next());
		} while (!chunks.at(-1)!.done);
		return chunks;
	};

	const chunks = read();
	assert.ok(chunks.length >= 3, `${count} secrets take several pages, not ${chunks.length} steps`);
	assert.ok(!chunks[0]!.done && chunks[0]!.summaries.length > 0 && chunks[0]!.summaries.length <= 256, 'the first step is one page');
	assert.equal(chunks[0]!.total, count);
	assert.deepEqual(
		chunks.map(chunk => chunk.loaded),
		chunks.map((_, index) => chunks.slice(0, index + 1).reduce((sum, chunk) => sum + chunk.summaries.length, 0)),
	);
	const streamed = chunks.flatMap(chunk => chunk.summaries);
	assert.deepEqual(sortSecrets(streamed, 'name'), sortSecrets(whole, 'name'));
	assert.equal(pageStats.fromPages, count, 'every summary came from a page');
	assert.deepEqual(chunks.at(-1)!.warnings, []);

	// A byte of page 1 flipped behind the vault's back.
	const db = openRaw(home);
	const page = db.prepare("SELECT ciphertext FROM pages WHERE page = 1 AND space = 'personal'").get() as {ciphertext: Uint8Array};
	const flipped = new Uint8Array(page.ciphertext);
	flipped[10]! ^= 1;
	db.prepare("UPDATE pages SET ciphertext = ? WHERE page = 1 AND space = 'personal'").run(flipped);
	db.close();
	const again = read();
	assert.deepEqual(sortSecrets(again.flatMap(chunk => chunk.summaries), 'name'), sortSecrets(whole, 'name'), 'the same summaries, from the records');
	assert.ok(pageStats.fromRecords > 0);
	assert.deepEqual(
		again.map(chunk => chunk.warnings.length),
		again.map((_, index) => (index === again.length - 1 ? 1 : 0)),
		'one warning, on the last step',
	);
	assert.match(again.at(-1)!.warnings[0]!, /metadata page 1 failed its integrity check/);
	const repaired = read();
	assert.deepEqual(repaired.at(-1)!.warnings, [], 'the page was rebuilt after the read');
	assert.equal(pageStats.fromPages, count);
});

test('Vault.readSecretsByPage: a secret another process adds while the pages are read is listed at the end; the total follows', async t => {
	const home = makeHome(t);
	const vault = await newVault(home);
	t.after(() => vault.close());
	vault.createSecrets(Array.from({length: 300}, (_, index) => ({name: `early-${index}`, values: {VALUE: 'v'}})));
	const reader = vault.readSecretsByPage();
	const first = reader.next();
	assert.equal(first.total, 300);

	const other = await LockedVault.open({home}).unlockWithPassphrase(passphrase);
	other.createSecret('added-meanwhile', {VALUE: 'v'});
	other.close();

	const rest: SummaryChunk[] = [];
	do {
		rest.push(reader.next());
	} while (!rest.at(-1)!.done);
	const all = [...first.summaries, ...rest.flatMap(chunk => chunk.summaries)];
	assert.equal(all.length, 301);
	assert.ok(all.some(secret => secret.name === 'added-meanwhile'));
	assert.equal(rest.at(-1)!.total, 301);
	assert.deepEqual(reader.next(), {summaries: [], loaded: 301, total: 301, done: true, warnings: []}, 'after the end: empty steps');
});
