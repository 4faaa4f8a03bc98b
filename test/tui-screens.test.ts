/**
 * Component tests: the real App over a real (fast-KDF) vault, rendered by ink-testing-library at
 * 80×24. Every wait polls the frame for content.
 */
import assert from 'node:assert/strict';
import {test, type TestContext} from 'node:test';
import {createElement as h} from 'react';
import {KeychainUnavailableError} from '../source/keychain/keychain.js';
import {App} from '../source/tui/app.js';
import {SecretList} from '../source/tui/components/secret-list.js';
import {helpSections} from '../source/tui/help.js';
import type {TuiServices} from '../source/tui/services.js';
import {Vault} from '../source/vault/vault.js';
import {openVault} from '../source/unlock/open-vault.js';
import type {CreateSecretOptions} from '../source/vault/vault.js';
import {clipboardPlaceholder} from '../source/tui/clipboard.js';
import {frameFits, keys, recordingClipboard, renderAt, testServices} from './helpers/ink.js';
import {vaultDigest} from './helpers/hush-cli.js';
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
	await app.waitFor('no remote: connect one with hush remote add URL');
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
	const services = testServices({revealMs: 1500});
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

test('list and detail mark a secret an AI agent created (hush mcp); others carry no mark', async t => {
	const home = await seededHome(t, [...seeds, {name: 'agent-key', values: {API_KEY: 'agent-value'}, options: {createdByAgent: true}}]);
	const {app} = openApp(t, home);
	let screen = await app.waitFor('› agent-key');
	const rows = screen.split('\n');
	assert.match(rows.find(row => row.includes(' agent-key '))!, /agent-key\s+pub\*\s+generic/);
	assert.match(rows.find(row => row.includes(' github '))!, /github\s+pub\s+generic/);
	assert.match(screen, /agent-key \(public, agent-made\)/);
	assert.match(screen, /\* created by an AI agent through hush mcp/);
	assert.ok(frameFits(screen, 80, 24));
	app.keys('j');
	screen = await app.waitFor('› github');
	assert.doesNotMatch(screen, /agent-made|created by an AI agent/);
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

test('copy: the value goes to the clipboard, the status bar says so, and it is overwritten later if unchanged', async t => {
	const home = await seededHome(t);
	const services = testServices({clipboardClearMs: 1500});
	const {app} = openApp(t, home, {services});
	await app.waitFor('openai-creds');
	app.keys('j', 'c');
	const screen = await app.waitFor('copied OPENAI_API_KEY with test clipboard for 2 s');
	assert.equal(services.clipboard.contents, canary);
	assert.doesNotMatch(screen, new RegExp(canary));
	await app.waitFor('clipboard overwritten with a blank (test clipboard)');
	assert.equal(services.clipboard.contents, clipboardPlaceholder);
});

test('copy over OSC 52: the status bar says the value was sent to the terminal, and then that a blank was sent over it', async t => {
	const home = await seededHome(t);
	const services = testServices({clipboardClearMs: 1500, clipboard: recordingClipboard({viaTerminal: true})});
	const {app} = openApp(t, home, {services});
	await app.waitFor('openai-creds');
	app.keys('c');
	const screen = await app.waitFor("sent GITHUB_TOKEN to the terminal's clipboard for 2 s");
	assert.doesNotMatch(screen, /copied|cleared/);
	await app.waitFor("sent a blank over the terminal's clipboard");
	assert.equal(services.clipboard.contents, clipboardPlaceholder);
});

test('copy: quitting before the timeout still clears the clipboard', async t => {
	const home = await seededHome(t);
	const services = testServices({clipboardClearMs: 60_000});
	const {app} = openApp(t, home, {services});
	await app.waitFor('openai-creds');
	app.keys('c');
	await app.waitFor('copied GITHUB_TOKEN');
	assert.equal(services.clipboard.contents, 'ghp-second-value');
	app.unmount();
	await waitUntil(() => services.clipboard.contents === clipboardPlaceholder);
});

test('form: validation as in the CLI, inline; nothing is written until it passes; Esc cancels without writing', async t => {
	const home = await seededHome(t);
	const services = testServices({
		readers: {
			env: {TOKEN_FROM_ENV: 'env-value-91'},
			readKeychain: async (service: string, account: string) => {
				throw new KeychainUnavailableError(`cannot read ${service}:${account}: OS keychain support is not built into this hush yet`);
			},
		},
	});
	const {app} = openApp(t, home, {services});
	await app.waitFor('openai-creds');
	const before = vaultDigest(home);
	app.keys('n');
	await app.waitFor('New secret');
	// Save straight away: every missing piece is named next to its field.
	app.keys(keys.ctrl('s'));
	let screen = await app.waitFor('invalid secret name');
	assert.match(screen, /name this key/);
	assert.ok(frameFits(screen, 80, 24), screen);
	// Fill in a bad name, a bad key, and an unset environment variable.
	app.keys(keys.ctrl('u'), 'bad name!');
	screen = await app.waitFor('› Name          bad name!');
	app.keys(keys.ctrl('s'));
	await app.waitFor('invalid secret name "bad name!"');
	app.keys(keys.ctrl('u'), 'new-secret');
	for (let field = 0; field < 7; field++) {
		app.keys(keys.tab);
	}

	app.keys('1BAD');
	await app.waitFor('Key           1BAD');
	app.keys(keys.ctrl('s'));
	await app.waitFor('invalid key name "1BAD"');
	app.keys(keys.ctrl('u'), 'API_TOKEN', keys.tab, keys.right);
	await app.waitFor('‹ environment variable ›');
	app.keys(keys.tab, 'NOT_SET_ANYWHERE', keys.ctrl('s'));
	await app.waitFor('environment variable NOT_SET_ANYWHERE is not set');
	// The keychain source reports its error inline.
	app.keys(keys.up, keys.right);
	await app.waitFor('‹ file ›');
	app.keys(keys.right);
	await app.waitFor('‹ OS keychain ›');
	app.keys(keys.tab, 'github.com', keys.tab, 'me', keys.ctrl('s'));
	await app.waitFor('cannot read github.com:me: OS keychain support is not built into this');
	assert.equal(vaultDigest(home), before, 'nothing written while the form is invalid');
	// Esc on a filled form asks first; n goes back to it as it was, y drops it.
	app.keys(keys.escape);
	screen = await app.waitFor('discard changes? y/n');
	assert.ok(frameFits(screen, 80, 24), screen);
	app.keys('n');
	await app.waitFor(text => !text.includes('discard changes?') && text.includes('github.com'));
	app.keys(keys.escape);
	await app.waitFor('discard changes? y/n');
	app.keys('y');
	await app.waitFor('nothing saved');
	assert.equal(vaultDigest(home), before, 'Esc wrote nothing');
});

test('form: create with a typed (hidden) value and one from an environment variable, then edit it', async t => {
	const home = await seededHome(t);
	const services = testServices({readers: {env: {TOKEN_FROM_ENV: 'env-value-91'}}});
	const {app} = openApp(t, home, {services});
	await app.waitFor('openai-creds');
	app.keys('n');
	await app.waitFor('New secret');
	app.keys('stripe', keys.tab, keys.right, keys.tab, keys.right, keys.tab, 'payments', keys.tab, 'stripe', keys.tab, 'soon', keys.tab, keys.tab);
	let screen = await app.waitFor('› Key');
	assert.match(screen, /‹ private ›|private/);
	app.keys('STRIPE_KEY', keys.tab, keys.tab, 'typed-secret-55');
	screen = await app.waitFor(text => /value\s+•+/.test(text));
	assert.doesNotMatch(screen, /typed-secret-55/, 'a typed value is hidden');
	app.keys(keys.ctrl('n'), 'FROM_ENV', keys.tab, keys.right, keys.tab, 'TOKEN_FROM_ENV');
	await app.waitFor('TOKEN_FROM_ENV');
	// An expiry the CLI would refuse is refused next to its field; a duration is taken.
	app.keys(keys.ctrl('s'));
	screen = await app.waitFor('use a date (2027-01-31), a duration (30d, 12w, 48h), or never');
	assert.match(screen, /› Expires\s+soon/);
	app.keys(keys.ctrl('u'), '30d', keys.ctrl('s'));
	screen = await app.waitFor('created stripe');
	assert.match(screen, /expires \d{4}-\d{2}-\d{2} · in (29|30)d/);
	assert.match(screen, /› stripe/);
	assert.doesNotMatch(screen, /typed-secret-55|env-value-91/);
	const stored = await withVault(home, vault => vault.getSecret('stripe'));
	assert.deepEqual(stored.values, {STRIPE_KEY: 'typed-secret-55', FROM_ENV: 'env-value-91'});
	assert.equal(stored.private, true);
	assert.equal(stored.type, 'token');
	assert.equal(stored.description, 'payments');
	assert.equal(stored.integration, 'stripe');
	const expiresIn = Date.parse(String(stored.expiresAt)) - Date.now();
	assert.ok(expiresIn > 29 * 86_400_000 && expiresIn <= 30 * 86_400_000, String(stored.expiresAt));

	// Edit: change the description, drop FROM_ENV, keep STRIPE_KEY's value.
	app.keys('e');
	await app.waitFor('Edit stripe');
	app.keys(keys.tab, keys.tab, keys.tab, keys.ctrl('u'), 'payments, live');
	for (let field = 0; field < 6; field++) {
		app.keys(keys.tab);
	}

	await app.waitFor(text => /› Key\s+FROM_ENV/.test(text));
	app.keys(keys.ctrl('x'), keys.ctrl('s'));
	await app.waitFor('saved stripe');
	const edited = await withVault(home, vault => vault.getSecret('stripe'));
	assert.deepEqual(edited.values, {STRIPE_KEY: 'typed-secret-55'});
	assert.equal(edited.description, 'payments, live');
});

test('delete: asks for the name; a wrong name deletes nothing; the right one deletes', async t => {
	const home = await seededHome(t);
	const {app} = openApp(t, home);
	await app.waitFor('openai-creds');
	app.keys('j', 'd');
	await app.waitFor('Delete openai-creds?');
	app.keys('openai', keys.enter);
	await app.waitFor('that is not the name');
	app.keys(keys.escape);
	await app.waitFor(text => !text.includes('Delete openai-creds?'));
	assert.equal((await withVault(home, vault => vault.listSecrets())).length, 3);
	app.keys('d');
	await app.waitFor('Delete openai-creds?');
	app.keys('openai-creds', keys.enter);
	const screen = await app.waitFor('deleted openai-creds');
	assert.match(screen, /hush · 2 secrets/);
	const names = (await withVault(home, vault => vault.listSecrets())).map(secret => secret.name);
	assert.deepEqual(names, ['github', 'prod-db']);
});

test('help: ? lists every key, fits 80×24, and closes with Esc', async t => {
	const home = await seededHome(t);
	const {app, exits} = openApp(t, home);
	await app.waitFor('openai-creds');
	app.keys('?');
	const screen = await app.waitFor('List and details');
	for (const [keysText] of helpSections.flatMap(section => section.keys)) {
		assert.ok(screen.includes(keysText), `help shows ${keysText}`);
	}

	assert.ok(frameFits(screen, 80, 24), screen);
	app.keys(keys.escape);
	await app.waitFor('openai-creds');
	app.keys('q');
	await waitUntil(() => exits.length === 1);
});

test('resize: the frame always fits the window, from 120×40 down to 80×24 and 60×12', async t => {
	const home = await seededHome(t);
	const {app} = openApp(t, home, {columns: 120, rows: 40});
	let screen = await app.waitFor('openai-creds');
	assert.ok(frameFits(screen, 120, 40), screen);
	assert.match(screen.split('\n')[2]!, /NAME.*│.*github/, 'side by side when wide');
	for (const [columns, rows] of [[80, 24], [60, 12]] as const) {
		app.resize(columns, rows);
		screen = await app.waitFor(text => text.split('\n').length <= rows && text.split('\n')[0]!.length <= columns);
		assert.ok(frameFits(screen, columns, rows), `${columns}×${rows}:\n${screen}`);
	}
});

test('virtualised list: of 10,000 secrets only the rows on screen are drawn', async () => {
	const now = Date.now();
	const secrets = Array.from({length: 10_000}, (_, index) => ({
		id: `id-${index}`,
		name: `secret-${String(index).padStart(5, '0')}`,
		private: false,
		type: 'generic' as const,
		description: '',
		integration: '',
		writeOnly: false,
		keys: ['VALUE'],
		createdAt: new Date(now).toISOString(),
		createdBy: 'test',
		createdByAgent: false,
		updatedAt: new Date(now).toISOString(),
		lastUsedAt: null,
		expiresAt: null,
	}));
	const app = renderAt(h(SecretList, {secrets, cursor: 9999, offset: 9991, width: 80, height: 12, focused: true, now, emptyText: ''}));
	try {
		const screen = await app.waitFor('secret-09999');
		assert.equal(screen.split('\n').length, 12);
		assert.equal((screen.match(/secret-\d{5}/g) ?? []).length, 9);
		assert.match(screen, /› secret-09999/);
	} finally {
		app.unmount();
	}
});

async function waitUntil(condition: () => boolean, timeoutMs = 10_000): Promise<void> {
	const deadline = Date.now() + timeoutMs;
	while (!condition()) {
		if (Date.now() > deadline) {
			throw new Error('timed out');
		}

		await new Promise(resolve => setTimeout(resolve, 5));
	}
}
