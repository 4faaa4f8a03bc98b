/**
 * Component tests: the real App over a real (fast-KDF) vault, rendered by ink-testing-library at
 * 80×24. Every wait polls the frame for content.
 */
import assert from 'node:assert/strict';
import {test, type TestContext} from 'node:test';
import {createElement as h} from 'react';
import {App} from '../source/tui/app.js';
import type {TuiServices} from '../source/tui/services.js';
import {Vault, openVault} from '../source/vault/vault.js';
import type {CreateSecretOptions} from '../source/vault/vault.js';
import {frameFits, keys, renderAt, testServices} from './helpers/ink.js';
import {fastKdf, makeHome, newVault, passphrase} from './helpers/vault-fixtures.js';

const canary = 'canary-value-7f3a';

type Seed = {name: string; values: Record<string, string>; options?: CreateSecretOptions};

const seeds: Seed[] = [
	{name: 'openai-creds', values: {OPENAI_API_KEY: canary, ORG_ID: 'org-visible-1'}, options: {type: 'token', integration: 'openai', description: 'team account'}},
	{name: 'github', values: {GITHUB_TOKEN: 'ghp-second-value'}, options: {integration: 'github'}},
	{name: 'prod-db', values: {PGPASSWORD: 'write-only-value'}, options: {private: true, writeOnly: true, type: 'credentials'}},
];

async function seededHome(t: TestContext, secrets: Seed[] = seeds): Promise<string> {
	const home = makeHome(t);
	const vault = await newVault(home);
	try {
		if (secrets.length > 0) {
			vault.createSecrets(secrets);
		}
	} finally {
		vault.close();
	}

	return home;
}

function openApp(t: TestContext, home: string, options: {env?: NodeJS.ProcessEnv; services?: TuiServices; columns?: number; rows?: number} = {}) {
	const exits: number[] = [];
	const services = options.services ?? testServices();
	const app = renderAt(
		h(App, {
			env: {HUSH_HOME: home, HUSH_PASSPHRASE: passphrase, ...options.env},
			services,
			onExit: () => exits.push(1),
			initVault: (vaultHome: string | undefined, secret: string) => Vault.init({home: vaultHome, passphrase: secret, kdf: fastKdf}),
		}),
		options.columns,
		options.rows,
	);
	t.after(() => app.unmount());
	return {app, exits, services};
}

async function withVault<T>(home: string, use: (vault: Vault) => T, secret = passphrase): Promise<T> {
	const vault = await openVault({home, passphrase: secret});
	try {
		return use(vault);
	} finally {
		vault.close();
	}
}

test('unlock screen: hidden passphrase, a wrong one is one line and nothing more, the right one opens the list', async t => {
	const home = await seededHome(t);
	const {app} = openApp(t, home, {env: {HUSH_PASSPHRASE: undefined}});
	await app.waitFor('Unlock the vault');
	app.keys('wrong passphrase');
	await app.waitFor(screen => screen.includes('••••'));
	assert.doesNotMatch(app.screen(), /wrong passphrase/);
	app.keys(keys.enter);
	await app.waitFor(/passphrase|unlock/i);
	await app.waitFor(screen => screen.includes('Unlock the vault') && !screen.includes('unlocking…') && /did not|wrong|incorrect|fail/i.test(screen));
	app.keys(passphrase, keys.enter);
	const screen = await app.waitFor('openai-creds');
	assert.match(screen, /3 secrets/);
	assert.doesNotMatch(screen, new RegExp(passphrase));
	assert.ok(frameFits(screen, 80, 24));
});

test('create-vault flow: passphrases must match and be long enough, then the empty vault opens', async t => {
	const home = makeHome(t);
	const {app} = openApp(t, home, {env: {HUSH_PASSPHRASE: undefined}});
	await app.waitFor('Create a vault');
	app.keys('short', keys.enter);
	await app.waitFor('Again');
	app.keys('other', keys.enter);
	await app.waitFor('the passphrases differ');
	app.keys('short', keys.enter);
	await app.waitFor(/too short/);
	app.keys('a long enough passphrase', keys.enter, 'a long enough passphrase', keys.enter);
	await app.waitFor('no secrets yet');
	const listed = await withVault(home, vault => vault.listSecrets(), 'a long enough passphrase');
	assert.deepEqual(listed, []);
});

test('list: sorted by name, every column, o cycles the sort, j/k and arrows move', async t => {
	const home = await seededHome(t);
	const {app} = openApp(t, home);
	const screen = await app.waitFor('openai-creds');
	const rows = screen.split('\n');
	const order = ['github', 'openai-creds', 'prod-db'].map(name => rows.findIndex(row => row.includes(` ${name} `)));
	assert.deepEqual([...order].sort((a, b) => a - b), order, 'sorted by name');
	assert.match(screen, /NAME\s+VIS\s+TYPE\s+KEYS\s+INTEGRATION\s+AGE\s+SYNC/);
	assert.match(rows.find(row => row.includes('prod-db'))!, /priv\s+credentials\s+1\s+-\s+\d+s\s+local/);
	assert.match(rows.find(row => row.includes('openai-creds'))!, /pub\s+token\s+2\s+openai/);
	assert.match(screen, /› github/);
	app.keys('j');
	await app.waitFor('› openai-creds');
	app.keys(keys.down);
	await app.waitFor('› prod-db');
	app.keys('k');
	await app.waitFor('› openai-creds');
	app.keys('o');
	await app.waitFor('sort: last updated');
	app.keys('o');
	await app.waitFor('sort: last used');
	app.keys('o');
	await app.waitFor('sort: name');
	app.keys('s');
	await app.waitFor('sync is not set up');
});

test('filter: fuzzy over name, keys, integration and description; typed letters never act as commands; Esc clears', async t => {
	const home = await seededHome(t);
	const {app, exits} = openApp(t, home);
	await app.waitFor('openai-creds');
	app.keys('/');
	await app.waitFor('/ ');
	app.keys('q');
	await app.waitFor('/ q');
	assert.equal(exits.length, 0, 'q typed into the filter does not quit');
	app.keys(keys.backspace, 'opnai');
	let screen = await app.waitFor('1 of 3');
	assert.match(screen, /openai-creds/);
	assert.doesNotMatch(screen, /github|prod-db/);
	app.keys(keys.ctrl('u'), 'PGPASS');
	screen = await app.waitFor(text => text.includes('1 of 3') && text.includes('prod-db'));
	app.keys(keys.ctrl('u'), 'team acc');
	await app.waitFor(text => text.includes('1 of 3') && text.includes('› openai-creds'));
	app.keys(keys.ctrl('u'), 'zzzz');
	await app.waitFor('nothing matches');
	app.keys(keys.escape);
	screen = await app.waitFor('hush · 3 secrets');
	assert.match(screen, /github[\s\S]*openai-creds[\s\S]*prod-db/);
});

test('detail: values masked by default; r reveals one value, which masks itself again', async t => {
	const home = await seededHome(t);
	const services = testServices({revealMs: 300});
	const {app} = openApp(t, home, {services});
	await app.waitFor('openai-creds');
	app.keys('j');
	let screen = await app.waitFor('› openai-creds');
	assert.match(screen, /OPENAI_API_KEY\s+••••••••/);
	assert.doesNotMatch(screen, new RegExp(canary));
	assert.doesNotMatch(screen, /org-visible-1/);
	app.keys('r');
	screen = await app.waitFor(canary);
	assert.match(screen, /showing OPENAI_API_KEY/);
	assert.doesNotMatch(screen, /org-visible-1/, 'only the selected key is revealed');
	screen = await app.waitFor(text => !text.includes(canary));
	assert.match(screen, /OPENAI_API_KEY\s+••••••••/);
	// Into the detail pane: the second key.
	app.keys(keys.enter);
	await app.waitFor('↑↓ key');
	app.keys(keys.down, 'r');
	screen = await app.waitFor('org-visible-1');
	assert.doesNotMatch(screen, new RegExp(canary));
	app.keys(keys.escape);
	await app.waitFor('Enter keys');
});

test('detail: a write-only secret never reveals or copies', async t => {
	const home = await seededHome(t);
	const services = testServices();
	const {app} = openApp(t, home, {services});
	await app.waitFor('openai-creds');
	app.keys('G');
	await app.waitFor('› prod-db');
	app.keys('r');
	let screen = await app.waitFor('is write-only');
	assert.match(screen, /is write-only/);
	assert.doesNotMatch(screen, /write-only-value/);
	app.keys('c');
	screen = await app.waitFor(text => /is write-only/.test(text));
	assert.equal(services.clipboard.copies, 0);
	assert.doesNotMatch(screen, /write-only-value/);
});

test('copy: the value goes to the clipboard, the status bar says so, and it is cleared later if unchanged', async t => {
	const home = await seededHome(t);
	const services = testServices({clipboardClearMs: 300});
	const {app} = openApp(t, home, {services});
	await app.waitFor('openai-creds');
	app.keys('j', 'c');
	const screen = await app.waitFor('copied OPENAI_API_KEY');
	assert.equal(services.clipboard.contents, canary);
	assert.doesNotMatch(screen, new RegExp(canary));
	await app.waitFor('clipboard cleared');
	assert.equal(services.clipboard.contents, '');
});
