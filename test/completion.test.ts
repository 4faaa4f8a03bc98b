/**
 * `hush completion bash|zsh|fish` and the candidate generator behind it (`hush __complete`):
 * commands and flags from the command specs; secret and key names only from a vault a session or
 * the keychain already opens — never a prompt, never HUSH_PASSPHRASE — and never a name that could
 * carry a control character or a shell metacharacter into the shell. Bash is driven for real, both
 * through its completion variables and in a real terminal (tmux).
 */
import assert from 'node:assert/strict';
import {execFileSync, spawnSync} from 'node:child_process';
import {chmodSync, mkdtempSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {describe, test, type TestContext} from 'node:test';
import {loadCommands} from '../source/commands/registry.js';
import {completeWords} from '../source/commands/shared/complete-words.js';
import type {Vault} from '../source/vault/vault.js';
import {cliPath, hush, hushOk, initHome} from './helpers/hush-cli.js';
import {plant, plantedName} from './helpers/planted.js';
import {shellQuote} from './helpers/tmux.js';
import {ShellTerminal} from './helpers/tui-terminal.js';

const commands = await loadCommands();

/** A vault holding these secrets (name → keys), as the generator sees one. */
function vaultOf(secrets: Record<string, string[]>): {vault(): Promise<Vault | undefined>} {
	const summaries = Object.entries(secrets).map(([name, keys]) => ({name, keys}));
	return {vault: async () => ({listSecrets: () => summaries}) as unknown as Vault};
}

const locked = {vault: async () => undefined};

describe('the candidate generator', () => {
	const secrets = vaultOf({'openai-creds': ['OPENAI_API_KEY', 'ORG_ID'], 'github': ['GITHUB_TOKEN'], 'ops.db_main': ['PGPASSWORD']});

	test('commands, then flags from each command\'s spec', async () => {
		assert.deepEqual(await completeWords(['l'], commands, locked), ['list', 'lock']);
		assert.deepEqual(await completeWords(['comp'], commands, locked), ['completion']);
		assert.deepEqual(await completeWords(['--'], commands, locked), ['--help', '--version']);
		assert.deepEqual(await completeWords(['run', '--s'], commands, locked), ['--secret']);
		assert.deepEqual(await completeWords(['show', '--'], commands, locked), ['--show-values', '--private', '--json', '--help']);
		assert.deepEqual(await completeWords(['list', '--sort', ''], commands, locked), ['name', 'updated', 'used']);
		assert.deepEqual(await completeWords(['completion', ''], commands, locked), ['bash', 'zsh', 'fish']);
		assert.deepEqual(await completeWords(['help', 'ro'], commands, locked), ['rotate']);
		assert.deepEqual(await completeWords(['frobnicate', ''], commands, secrets), []);
	});

	test('secret names, then the keys of the secret named', async () => {
		assert.deepEqual(await completeWords(['get', 'op'], commands, secrets), ['openai-creds', 'ops.db_main']);
		assert.deepEqual(await completeWords(['get', 'openai-creds', 'O'], commands, secrets), ['OPENAI_API_KEY', 'ORG_ID']);
		assert.deepEqual(await completeWords(['get', 'github', ''], commands, secrets), ['GITHUB_TOKEN']);
		assert.deepEqual(await completeWords(['get', 'github', 'GITHUB_TOKEN', ''], commands, secrets), []);
		assert.deepEqual(await completeWords(['run', '--secret', ''], commands, secrets), ['github', 'openai-creds', 'ops.db_main']);
		assert.deepEqual(await completeWords(['run', '--secret', 'github', '--secret', 'o'], commands, secrets), ['openai-creds', 'ops.db_main']);
		assert.deepEqual(await completeWords(['update', 'github', '--remove', ''], commands, secrets), ['GITHUB_TOKEN']);
		// After `--` comes the command hush runs, not hush's arguments.
		assert.deepEqual(await completeWords(['run', '--secret', 'github', '--', ''], commands, secrets), []);
		assert.deepEqual(await completeWords(['import', 'dotenv', ''], commands, secrets), [':files']);
	});

	test('a locked vault offers no names', async () => {
		assert.deepEqual(await completeWords(['get', ''], commands, locked), []);
		assert.deepEqual(await completeWords(['run', '--secret', ''], commands, locked), []);
	});

	test('names that could smuggle anything into a shell are never offered', async () => {
		const hostile = vaultOf({
			'ok-name': ['GOOD_KEY', 'BAD$(touch /tmp/x)', 'BAD\u001b]52;c;cHduZWQ=\u0007'],
			'evil$(reboot)': ['K'],
			'evil`id`': ['K'],
			'evil;rm': ['K'],
			'evil name': ['K'],
			'evil\nline': ['K'],
			'evil\u001b[2J': ['K'],
			'evil*': ['K'],
			'-rf': ['K'],
			'evil\u202e': ['K'],
		});
		assert.deepEqual(await completeWords(['get', ''], commands, hostile), ['ok-name']);
		assert.deepEqual(await completeWords(['get', 'ok-name', ''], commands, hostile), ['GOOD_KEY']);
	});
});

/** A vault with two secrets and a session open on it. */
async function vaultWithSession(t: TestContext): Promise<{home: string; session: string}> {
	const home = await initHome(t);
	await hushOk(['set', 'openai-creds', '--stdin', 'OPENAI_API_KEY'], {home, input: 'sk-value'});
	await hushOk(['set', 'github', '--stdin', 'GITHUB_TOKEN'], {home, input: 'ghp-value'});
	const session = (await hushOk(['unlock', '--raw'], {home})).stdout.trim();
	return {home, session};
}

describe('hush __complete', () => {
	test('with a session open: names and keys; silent and exit 0', async t => {
		const {home, session} = await vaultWithSession(t);
		const names = await hush(['__complete', '--', 'get', 'o'], {home, locked: true, env: {HUSH_SESSION: session}});
		assert.deepEqual({code: names.code, stdout: names.stdout, stderr: names.stderr}, {code: 0, stdout: 'openai-creds\n', stderr: ''});
		const keys = await hush(['__complete', '--', 'get', 'openai-creds', ''], {home, locked: true, env: {HUSH_SESSION: session}});
		assert.equal(keys.stdout, 'OPENAI_API_KEY\n');
	});

	test('locked: no names, no prompt, no message — and HUSH_PASSPHRASE is not used', async t => {
		const {home, session} = await vaultWithSession(t);
		for (const env of [{}, {HUSH_PASSPHRASE: 'correct horse battery'}, {HUSH_SESSION: `${session.slice(0, -4)}AAAA`}, {HUSH_SESSION: 'garbage'}]) {
			const run = await hush(['__complete', '--', 'get', ''], {home, locked: true, env});
			assert.deepEqual({code: run.code, stdout: run.stdout, stderr: run.stderr}, {code: 0, stdout: '', stderr: ''}, JSON.stringify(env));
		}

		const noVault = await hush(['__complete', '--', 'get', ''], {home: join(home, 'missing'), locked: true});
		assert.deepEqual({code: noVault.code, stdout: noVault.stdout, stderr: noVault.stderr}, {code: 0, stdout: '', stderr: ''});
	});

	test('a planted name with a terminal escape is left out', async t => {
		const {home, session} = await vaultWithSession(t);
		await plant(home);
		const listed = await hush(['list', '--json'], {home});
		assert.ok(listed.stdout.includes(JSON.stringify(plantedName).slice(1, -1)), 'the planted secret is in the vault');
		const run = await hush(['__complete', '--', 'show', ''], {home, locked: true, env: {HUSH_SESSION: session}});
		assert.equal(run.stdout, 'github\nopenai-creds\n');
	});

	test('unknown command: the nearest one is suggested, exit 2', async t => {
		const home = await initHome(t);
		const run = await hush(['lsit'], {home});
		assert.equal(run.code, 2);
		assert.equal(run.stderr, 'hush: unknown command "lsit" — did you mean list?\n');
		const far = await hush(['xyzzy'], {home});
		assert.equal(far.code, 2);
		assert.equal(far.stderr, 'hush: unknown command "xyzzy": see hush --help\n');
	});

	test('hush completion names the shells it knows', async t => {
		const home = await initHome(t);
		for (const shell of ['bash', 'zsh', 'fish']) {
			const run = await hush(['completion', shell], {home});
			assert.equal(run.code, 0);
			assert.match(run.stdout, /hush __complete --/);
		}

		const bad = await hush(['completion', 'constructor'], {home});
		assert.equal(bad.code, 2);
		assert.equal(bad.stderr, 'hush: no completion for "constructor": use bash, zsh or fish\n');
	});
});

/** A folder with a `hush` on PATH that runs the built CLI, as an installed hush would. */
function hushOnPath(t: TestContext): string {
	const bin = mkdtempSync(join(tmpdir(), 'hush-completion-bin-'));
	t.after(() => rmSync(bin, {recursive: true, force: true}));
	writeFileSync(join(bin, 'hush'), `#!/bin/sh\nexec ${shellQuote(process.execPath)} ${shellQuote(cliPath)} "$@"\n`);
	chmodSync(join(bin, 'hush'), 0o755);
	return bin;
}

describe('the bash script, in bash', () => {
	/** What bash's completion function offers for a command line ending at the cursor. */
	function complete(line: string, env: Record<string, string>, bin: string): {replies: string[]; output: string} {
		const script = execFileSync(process.execPath, [cliPath, 'completion', 'bash'], {encoding: 'utf8'});
		const driver = `${script}
COMP_LINE=${shellQuote(line)}; COMP_POINT=\${#COMP_LINE}
read -ra COMP_WORDS <<< "$COMP_LINE"; COMP_CWORD=\${#COMP_WORDS[@]}
_hush_complete
printf 'reply:%s\\n' "\${COMPREPLY[@]}"`;
		const run = spawnSync('bash', ['--norc', '--noprofile', '-c', driver], {encoding: 'utf8', env: {PATH: `${bin}:${process.env['PATH']}`, HOME: process.env['HOME'], ...env}});
		assert.equal(run.status, 0, run.stderr);
		const replies = run.stdout.split('\n').filter(line => line.startsWith('reply:')).map(line => line.slice(6)).filter(Boolean);
		return {replies, output: run.stdout.replaceAll(/^reply:.*\n/gm, '') + run.stderr};
	}

	test('completes commands, flags, secret names and key names with a session open; nothing when locked', async t => {
		const {home, session} = await vaultWithSession(t);
		const bin = hushOnPath(t);
		const open = {HUSH_HOME: home, HUSH_SESSION: session};
		assert.deepEqual(complete('hush ro', open, bin).replies, ['rotate']);
		assert.deepEqual(complete('hush run --sec', open, bin).replies, ['--secret']);
		assert.deepEqual(complete('hush get op', open, bin).replies, ['openai-creds']);
		assert.deepEqual(complete('hush get openai-creds OP', open, bin).replies, ['OPENAI_API_KEY']);
		assert.deepEqual(complete('hush run --secret ', open, bin).replies, ['github', 'openai-creds']);
		// A file argument: bash's own file names (the test runs in the checkout).
		assert.deepEqual(complete('hush import dotenv package.j', open, bin).replies, ['package.json']);

		const lockedRun = complete('hush get ', {HUSH_HOME: home, HUSH_PASSPHRASE: 'correct horse battery'}, bin);
		assert.deepEqual(lockedRun.replies, []);
		assert.equal(lockedRun.output, '');
	});

	test('in a real terminal: TAB completes a name with a session; locked, TAB asks nothing and offers nothing', {timeout: 120_000}, async t => {
		const {home, session} = await vaultWithSession(t);
		const bin = hushOnPath(t);
		const terminal = ShellTerminal.start({env: {HUSH_HOME: home, HOME: process.env['HOME'] ?? '/root', TERM: 'xterm-256color', PS1: '$ '}});
		t.after(() => terminal.close());
		await terminal.waitFor(/^[#$] ?$/m);
		terminal.type('exec bash --norc --noprofile');
		terminal.press('Enter');
		// tmux gives a new session the PATH of its client, whatever the session's environment says.
		await terminal.run(`export PATH=${shellQuote(bin)}:"$PATH"; PS1="bash> "; source <(hush completion bash); complete -p hush`, 'complete -F _hush_complete hush');

		terminal.type(`export HUSH_SESSION=${session}; clear`);
		terminal.press('Enter');
		await terminal.waitFor(screen => screen.trim() === 'bash>');
		terminal.type('hush get op');
		terminal.press('Tab');
		await terminal.waitFor(/^bash> hush get openai-creds$/m);
		terminal.type('OP');
		terminal.press('Tab');
		await terminal.waitFor(/^bash> hush get openai-creds OPENAI_API_KEY$/m);
		terminal.press('Enter');
		await terminal.waitFor(/^sk-value/m);

		terminal.type('unset HUSH_SESSION; clear');
		terminal.press('Enter');
		await terminal.waitFor(screen => screen.trim() === 'bash>');
		terminal.type('hush get ');
		terminal.press('Tab', 'Tab');
		terminal.type('marker');
		const screen = await terminal.waitFor('bash> hush get marker');
		assert.doesNotMatch(screen, /passphrase|github|openai-creds/i);
	});
});
