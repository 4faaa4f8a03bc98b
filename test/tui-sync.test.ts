/**
 * The TUI's sync: the column, `s` with its progress indicator, and the conflict view, rendered by
 * ink-testing-library at 80×24. One test holds a sync in flight through a fake; the others run
 * the real sync against a real `hush serve` on 127.0.0.1. Every wait polls the frame.
 */
import assert from 'node:assert/strict';
import {createHash} from 'node:crypto';
import {stripVTControlCharacters} from 'node:util';
import {test, type TestContext} from 'node:test';
import {createElement as h} from 'react';
import {App} from '../source/tui/app.js';
import {ConflictPanel} from '../source/tui/components/conflict-panel.js';
import type {TuiServices} from '../source/tui/services.js';
import {conflictView} from '../source/tui/state/conflict.js';
import {type SyncReport, type TuiSync, moduleSync} from '../source/tui/sync-service.js';
import {Vault} from '../source/vault/vault.js';
import {openVault} from '../source/unlock/open-vault.js';
import {passphrase as cliPassphrase} from './helpers/hush-cli.js';
import {frameFits, keys, renderAt, testServices} from './helpers/ink.js';
import {conflictOnB, ok} from './helpers/sync-conflict.js';
import {fastKdf, makeHome, newVault, passphrase} from './helpers/vault-fixtures.js';

const canaries = {a: 'canary-from-a-Jq7w', b: 'canary-from-b-Xv2p'};

function openApp(t: TestContext, home: string, secret: string, services: TuiServices) {
	const app = renderAt(
		h(App, {
			env: {HUSH_HOME: home, HUSH_PASSPHRASE: secret},
			services,
			onExit: () => {},
			initVault: (vaultHome: string | undefined, value: string) => Vault.init({home: vaultHome, passphrase: value, kdf: fastKdf}),
		}),
	);
	t.after(() => app.unmount());
	return app;
}

/** Every frame drawn so far, without colour codes: none may hold a canary. */
function assertNoCanary(app: ReturnType<typeof renderAt>): void {
	for (const frame of app.frames) {
		const text = stripVTControlCharacters(frame);
		for (const canary of Object.values(canaries)) {
			assert.ok(!text.includes(canary), `a value is on screen:\n${text}`);
		}
	}
}

test('s: a spinner while the sync runs, keys still work meanwhile, then the result or a one-line error', async t => {
	const home = makeHome(t);
	const vault = await newVault(home);
	vault.createSecret('api', {TOKEN: 'v'});
	vault.close();
	let finish: ((report: SyncReport) => void) | undefined;
	let fail: ((error: Error) => void) | undefined;
	let runs = 0;
	const sync: TuiSync = {
		...moduleSync,
		remote: () => 'http://127.0.0.1:9',
		run: () => {
			runs++;
			return new Promise<SyncReport>((resolve, reject) => {
				finish = resolve;
				fail = reject;
			});
		},
	};
	const app = openApp(t, home, passphrase, testServices({sync}));
	// With a remote, a never-synced secret is pending.
	let screen = await app.waitFor(/› api .*pending/);
	app.keys('s');
	screen = await app.waitFor('syncing with 127.0.0.1:9');
	const spinner = /([⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏]) syncing/.exec(screen)![1];
	await app.waitFor(frame => /([⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏]) syncing/.exec(frame)?.[1] !== spinner);
	// The keyboard is not blocked: help opens and closes while the sync is in flight.
	app.keys('?');
	await app.waitFor('Esc, ? or q closes this help');
	app.keys(keys.escape);
	await app.waitFor(/› api /);
	app.keys('s');
	await app.waitFor('syncing with 127.0.0.1:9… · already syncing');
	assert.equal(runs, 1, 'a second s while syncing starts nothing');
	app.keys('x');
	await app.waitFor('syncing with 127.0.0.1:9… · wait until the sync ends');
	assert.ok(frameFits(app.screen(), 80, 24));
	finish!({pulled: 2, pushed: 1, merged: 1, conflicts: 0, refused: ['some-id']});
	await app.waitFor('synced: pulled 2, pushed 1, merged 1, refused 1');
	assert.doesNotMatch(app.screen(), /syncing with/);
	app.keys('s');
	await app.waitFor('syncing with');
	fail!(new Error('connect ECONNREFUSED 127.0.0.1:9\n    at TCPConnectWrap.afterConnect'));
	screen = await app.waitFor('sync failed');
	assert.match(screen, /sync failed: connect ECONNREFUSED 127\.0\.0\.1:9/);
	assert.doesNotMatch(screen, /afterConnect/);
});

test('quitting while a sync is in flight: its late end touches nothing and raises nothing', async t => {
	const home = makeHome(t);
	const vault = await newVault(home);
	vault.createSecret('api', {TOKEN: 'v'});
	vault.close();
	let fail: ((error: Error) => void) | undefined;
	const sync: TuiSync = {...moduleSync, remote: () => 'http://127.0.0.1:9', run: () => new Promise<SyncReport>((_resolve, reject) => (fail = reject))};
	const unhandled: unknown[] = [];
	const onUnhandled = (reason: unknown) => unhandled.push(reason);
	process.on('unhandledRejection', onUnhandled);
	t.after(() => process.off('unhandledRejection', onUnhandled));
	const app = openApp(t, home, passphrase, testServices({sync}));
	await app.waitFor(/› api /);
	app.keys('s');
	await app.waitFor('syncing with');
	app.unmount();
	// The vault is closed now; the sync fails as it would against a closed vault.
	fail!(new Error('the vault has been closed'));
	await new Promise(resolve => setImmediate(resolve));
	await new Promise(resolve => setImmediate(resolve));
	assert.deepEqual(unhandled, []);
});

test('s without a remote says how to add one; the column says local', async t => {
	const home = makeHome(t);
	const vault = await newVault(home);
	vault.createSecret('api', {TOKEN: 'v'});
	vault.close();
	const app = openApp(t, home, passphrase, testServices());
	await app.waitFor(/› api .*local/);
	app.keys('s');
	await app.waitFor('no remote: connect one with hush remote add URL');
	app.keys('x');
	await app.waitFor('api has no conflict');
});

test('real server: s pulls the conflict into the column; the conflict view shows both sides masked; resolving per key writes the vault', {timeout: 180_000}, async t => {
	const setup = await conflictOnB(t, canaries);
	const app = openApp(t, setup.b, cliPassphrase, testServices());
	await app.waitFor(/› db .*pending/);
	await app.waitFor(/ other .*synced/);
	app.keys('s');
	let screen = await app.waitFor('1 conflict (x to resolve)', 60_000);
	assert.match(screen, /› db .*conflict/);
	assert.match(screen, / other .*synced/);
	// Enter on a conflicted secret opens the conflict view.
	app.keys(keys.enter);
	screen = await app.waitFor('Conflict: db');
	assert.ok(frameFits(screen, 80, 24));
	const passRow = screen.split('\n').find(line => line.includes('key PASS'))!;
	assert.match(passRow, new RegExp(`${canaries.b.length} B · #[0-9a-f]{8}.*${canaries.a.length} B · #[0-9a-f]{8}`));
	// Keyed fingerprints: not the start of a plain SHA-256 of either value.
	for (const value of Object.values(canaries)) {
		assert.ok(!passRow.includes(createHash('sha256').update(value).digest('hex').slice(0, 8)));
	}

	assert.match(screen, /description\s+from B\s+from A/);
	assert.match(screen, /key USER\s+3 B · #([0-9a-f]{8})\s+3 B · #\1/, 'the unchanged key is listed with equal fingerprints');
	// The description kept from here, PASS from the server; a partial choice is refused first.
	assert.match(screen, /› description/, 'metadata conflicts come first');
	app.keys('l', keys.enter);
	await app.waitFor('pick a side for: key PASS');
	assert.match(app.screen(), /▶ from B/);
	app.keys(keys.down, 'r');
	await app.waitFor(/key PASS\s+\d+ B · #[0-9a-f]{8}\s+▶ \d+ B/);
	app.keys(keys.enter);
	screen = await app.waitFor('resolved db: press s to sync it');
	assert.match(screen, /› db .*pending/);
	app.keys('s');
	screen = await app.waitFor(/synced: pulled \d+, pushed 1/, 60_000);
	assert.match(screen, /› db .*synced/);
	assertNoCanary(app);
	const vault = await openVault({home: setup.b, passphrase: cliPassphrase});
	try {
		const revealed = vault.revealSecret('db');
		assert.equal(revealed.get('PASS'), canaries.a);
		assert.equal(revealed.get('USER'), 'app');
		assert.equal(revealed.summary.description, 'from B');
		revealed.wipe();
	} finally {
		vault.close();
	}

	// And A, after its own sync, holds the resolution.
	await ok(['sync'], setup.a);
	assert.equal(await ok(['get', 'db', 'PASS'], setup.a), canaries.a);
});

test('conflict panel alone: masked cells, deleted sides, fits 80 columns', () => {
	const view = conflictView({
		id: 'x',
		name: 'db',
		local: {revision: 2, deleted: false},
		remote: {revision: 3, deleted: true},
		conflicts: ['edited here, deleted on the server'],
		keys: [{key: 'PASS', conflict: false, local: {length: 5, fingerprint: '0123abcd'}, remote: null}],
		fields: [],
	});
	const app = renderAt(h(ConflictPanel, {view, width: 80, height: 22}));
	const screen = app.screen();
	app.unmount();
	assert.match(screen, /› edit vs delete\s+edited \(rev 2\)\s+deleted/);
	assert.match(screen, /key PASS\s+5 B · #0123abcd\s+deleted/);
	assert.ok(frameFits(screen, 80, 22));
});
