/**
 * One rule for values from files and pipes (@FILE, --stdin, rotate, the TUI's file reader): a
 * one-line value loses one trailing newline; multi-line contents stay exact. hush show gives each
 * value's length, so a stray newline is visible without revealing anything.
 */
import assert from 'node:assert/strict';
import {writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {describe, test} from 'node:test';
import {trimValueNewline} from '../source/inputs/value-file.js';
import {hush, hushOk, initHome, vaultDigest} from './helpers/hush-cli.js';

describe('trailing newlines', () => {
	test('the rule itself', () => {
		assert.equal(trimValueNewline('sk-abc\n'), 'sk-abc');
		assert.equal(trimValueNewline('sk-abc\r\n'), 'sk-abc');
		assert.equal(trimValueNewline('sk-abc'), 'sk-abc');
		assert.equal(trimValueNewline('sk-abc\n\n'), 'sk-abc\n\n', 'two newlines: more than one line, kept');
		assert.equal(trimValueNewline('-----BEGIN-----\nabc\n-----END-----\n'), '-----BEGIN-----\nabc\n-----END-----\n');
		assert.equal(trimValueNewline('line one\r\nline two'), 'line one\r\nline two');
		assert.equal(trimValueNewline('\n'), '', 'a lone newline becomes empty (and is then refused as an empty value)');
	});

	test('@FILE, --stdin and rotate follow it; show gives each length and logs no read', async t => {
		const home = await initHome(t);
		const key = join(home, 'key.txt');
		const pem = join(home, 'cert.pem');
		const pemText = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n';
		writeFileSync(key, 'sk-0123456789abcdef0123456789abcdef0123\n');
		writeFileSync(pem, pemText);
		await hushOk(['set', 'api', `--FROM_FILE=@${key}`, `--PEM=@${pem}`], {home});
		await hushOk(['set', 'api', '--stdin', 'FROM_STDIN'], {home, input: 'piped-value\r\n'});
		await hushOk(['set', 'api', '--stdin', 'MULTI'], {home, input: 'a\nb\n'});
		assert.equal((await hushOk(['get', 'api', 'FROM_FILE'], {home})).stdout, 'sk-0123456789abcdef0123456789abcdef0123');
		assert.equal((await hushOk(['get', 'api', 'PEM'], {home})).stdout, pemText);
		assert.equal((await hushOk(['get', 'api', 'FROM_STDIN'], {home})).stdout, 'piped-value');
		assert.equal((await hushOk(['get', 'api', 'MULTI'], {home})).stdout, 'a\nb\n');
		writeFileSync(key, 'sk-rotated\n');
		await hushOk(['rotate', 'api', 'FROM_FILE', `@${key}`], {home});
		assert.equal((await hushOk(['get', 'api', 'FROM_FILE'], {home})).stdout, 'sk-rotated');

		const before = vaultDigest(home);
		const show = await hushOk(['show', 'api'], {home});
		assert.ok(show.stdout.includes(`    FROM_FILE   ••••••••  (10 chars)\n`), show.stdout);
		assert.ok(show.stdout.includes(`    PEM         ••••••••  (${pemText.length} chars)\n`), show.stdout);
		assert.ok(show.stdout.includes(`    FROM_STDIN  ••••••••  (11 chars)\n`), show.stdout);
		assert.ok(!show.stdout.includes('sk-rotated'));
		const json = JSON.parse((await hushOk(['show', 'api', '--json'], {home})).stdout) as {lengths: Record<string, number>};
		assert.deepEqual(json.lengths, {FROM_FILE: 10, PEM: pemText.length, FROM_STDIN: 11, MULTI: 4});
		assert.equal(vaultDigest(home), before, 'counting is no read: show logs nothing');

		await hushOk(['set', 'wo', '--K=@@clé🔑', '--write-only'], {home});
		const writeOnly = await hushOk(['show', 'wo'], {home});
		assert.match(writeOnly.stdout, /^ {4}K {2}\(write-only\) {2}\(5 chars\)$/m, 'characters, not bytes');
		const help = await hushOk(['set', '--help'], {home});
		assert.match(help.stdout, /a one-line value loses ONE trailing newline/);
		const lone = await hush(['set', 'x', '--stdin', 'K'], {home, input: '\n'});
		assert.equal(lone.code, 2);
	});
});
