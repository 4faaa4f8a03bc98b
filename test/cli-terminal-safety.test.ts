/**
 * Playing the attacker against the CLI: metadata holding terminal escapes is refused at input, and
 * a record planted past that check (a modified client, a pulled record) prints only as visible
 * escapes in every human-readable output, while --json, get and export stay exact.
 */
import assert from 'node:assert/strict';
import {describe, test} from 'node:test';
import {assertOneLineError, clockAt, hush, hushOk, initHome} from './helpers/hush-cli.js';
import {plant, plantedActor, plantedDescription, plantedIntegration, plantedKey, plantedName, terminalControls} from './helpers/planted.js';

function assertNoTerminalControls(label: string, output: string): void {
	const found = terminalControls.exec(output);
	assert.equal(found, null, `${label} printed U+${found?.[0].codePointAt(0)!.toString(16).padStart(4, '0')} raw: ${JSON.stringify(output)}`);
}

describe('planted escapes never reach the terminal raw', () => {
	test('list, show, report, stale and audit show planted control characters as visible escapes', {timeout: 120_000}, async t => {
		const home = await initHome(t);
		await plant(home);
		// A week on, so the planted secret is stale at --days 1.
		const later = clockAt(Date.now() + 7 * 86_400_000);
		const runs = {
			list: await hush(['list'], {home, env: later}),
			show: await hush(['show', plantedName], {home, env: later}),
			// Before --show-values, which counts as a use.
			report: await hush(['report'], {home, env: later}),
			'show --show-values': await hush(['show', plantedName, '--show-values'], {home, env: later}),
			stale: await hush(['stale', '--days', '1'], {home, env: later}),
			audit: await hush(['audit'], {home, env: later}),
			'audit NAME': await hush(['audit', plantedName], {home, env: later}),
			// An error that echoes the planted name back: the secret has no key NOPE.
			'get (error)': await hush(['get', plantedName, 'NOPE'], {home}),
		};
		for (const [label, run] of Object.entries(runs)) {
			assertNoTerminalControls(`${label} stdout`, run.stdout);
			assertNoTerminalControls(`${label} stderr`, run.stderr);
			assert.doesNotMatch(run.stdout, /^hush: all fine/m, `${label}: a planted line break forged a line`);
		}

		assert.equal(runs.list.code, 0, runs.list.stderr);
		assert.match(runs.list.stdout, /evil\\x1b\]52;c;cHduZWQ=\\x07/);
		assert.match(runs.list.stdout, /int\\x1b\]8;;https:\/\/evil\.example\/\\x1b\\click/);
		assert.equal(runs.show.code, 0, runs.show.stderr);
		assert.match(runs.show.stdout, /description +desc \\x1b\]52;c;cHduZWQ=\\x07 .*\\x1b\[31mred\\x1b\[0m \\x9b2J \\u202eevil\\u202c one\\nhush: all fine$/m);
		assert.match(runs.show.stdout, /by mallory\\x1b\]52;c;cHduZWQ=\\x07$/m);
		assert.match(runs.show.stdout, /^ {4}KEY\\x1b\]8;;https:\/\/evil\.example\/\\x1b\\click/m);
		assert.match(runs['show --show-values'].stdout, /planted-value/);
		assert.match(runs.report.stdout, /never used +1\n {2}evil\\x1b\]52/);
		assert.match(runs.report.stdout, /by integration int\\x1b\]8;;/);
		assert.match(runs.report.stdout, /^ {2}evil\\x1b\]52;c;cHduZWQ=\\x07 \(public\) .* EXPIRED$/m);
		assert.equal(runs.stale.code, 1);
		assert.match(runs.stale.stdout, /^evil\\x1b\]52;c;cHduZWQ=\\x07 +public/m);
		assert.equal(runs.audit.code, 0, runs.audit.stderr);
		assert.match(runs.audit.stdout, /mallory\\x1b\]52;c;cHduZWQ=\\x07 +update +evil\\x1b\]52;c;cHduZWQ=\\x07 +cmd\\x1b\]8;;/);
		assert.match(runs['audit NAME'].stdout, /mallory\\x1b\]52/);
		assert.equal(runs['get (error)'].code, 1);
		assertOneLineError(runs['get (error)'], /evil\\x1b\]52;c;cHduZWQ=\\x07 has no key NOPE/);

		// The planted file is well formed: the audit chain holds, the record opens.
		await hushOk(['audit', '--verify'], {home});
	});

	test('--json, get and export stay exact', {timeout: 120_000}, async t => {
		const home = await initHome(t);
		await plant(home);
		const [listed] = JSON.parse((await hushOk(['list', '--json'], {home})).stdout) as Array<Record<string, unknown>>;
		assert.equal(listed!['name'], plantedName);
		assert.equal(listed!['description'], plantedDescription);
		assert.equal(listed!['integration'], plantedIntegration);
		assert.equal(listed!['createdBy'], plantedActor);
		assert.deepEqual(listed!['keys'], [plantedKey]);
		assert.equal((await hushOk(['get', plantedName, plantedKey], {home})).stdout, 'planted-value');
		const exported = JSON.parse((await hushOk(['export', plantedName, '--format', 'json'], {home})).stdout) as Record<string, string>;
		assert.deepEqual(exported, {[plantedKey]: 'planted-value'});
	});
});

describe('control characters in free-text metadata are refused at input', () => {
	const cases: Array<{label: string; flags: string[]; field: string; code: string}> = [
		{label: 'OSC 52 in --description', flags: ['--description', '\u001b]52;c;cHduZWQ=\u0007'], field: 'description', code: 'U\\+001B'},
		{label: 'OSC 8 in --integration', flags: ['--integration', '\u001b]8;;https://evil.example/\u001b\\gh'], field: 'integration', code: 'U\\+001B'},
		{label: 'a line break in --description', flags: ['--description', 'one\ntwo'], field: 'description', code: 'U\\+000A'},
		{label: 'a C1 CSI in --description', flags: ['--description', 'x\u009b2J'], field: 'description', code: 'U\\+009B'},
		{label: 'DEL in --integration', flags: ['--integration', 'git\u007fhub'], field: 'integration', code: 'U\\+007F'},
		{label: 'a bidi override in --description', flags: ['--description', 'pay \u202etxt.exe'], field: 'description', code: 'U\\+202E'},
		{label: 'a bidi isolate in --integration', flags: ['--integration', '\u2066x\u2069'], field: 'integration', code: 'U\\+2066'},
	];
	for (const {label, flags, field, code} of cases) {
		test(`set with ${label} exits 2 with one line, and stores nothing`, {timeout: 60_000}, async t => {
			const home = await initHome(t);
			const run = await hush(['set', 'x', '--stdin', 'TOKEN', ...flags], {home, input: 'value'});
			assert.equal(run.code, 2, run.stderr);
			assertOneLineError(run, new RegExp(`${field} holds the control character ${code}`));
			assert.doesNotMatch(run.stderr, /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/);
			assert.equal(run.stdout, '');
			assert.equal((await hushOk(['list', '--json'], {home})).stdout.trim(), '[]');
		});
	}

	test('update refuses an escape in --description too; printable Unicode is kept', {timeout: 60_000}, async t => {
		const home = await initHome(t);
		await hushOk(['set', 'x', '--stdin', 'TOKEN', '--description', 'Zugang für café ✓ — שלום'], {home, input: 'value'});
		const run = await hush(['update', 'x', '--description', 'a\u0007b'], {home});
		assert.equal(run.code, 2);
		assertOneLineError(run, /description holds the control character U\+0007/);
		const [listed] = JSON.parse((await hushOk(['list', '--json'], {home})).stdout) as Array<Record<string, unknown>>;
		assert.equal(listed!['description'], 'Zugang für café ✓ — שלום');
	});
});
