/** hush mcp, spoken to over stdio by the official SDK's client, as an agent would. */
import assert from 'node:assert/strict';
import {describe, test, type TestContext} from 'node:test';
import {Client} from '@modelcontextprotocol/sdk/client/index.js';
import {StdioClientTransport} from '@modelcontextprotocol/sdk/client/stdio.js';
import {assertOneLineError, cliPath, hush, hushOk, initHome, listJson, passphrase} from './helpers/hush-cli.js';

async function connect(t: TestContext, home: string, {locked = false, extraEnv = {}}: {locked?: boolean; extraEnv?: Record<string, string>} = {}): Promise<{client: Client; seen: string[]}> {
	const env: Record<string, string> = {PATH: process.env['PATH']!, HUSH_HOME: home, ...extraEnv};
	if (!locked) {
		env['HUSH_PASSPHRASE'] = passphrase;
	}

	const transport = new StdioClientTransport({command: process.execPath, args: [cliPath, 'mcp'], env, stderr: 'pipe'});
	const client = new Client({name: 'hush-test', version: '1.0.0'});
	// Every message from the server, raw, so the test can prove no value ever crossed the wire.
	const seen: string[] = [];
	await client.connect(transport);
	const original = transport.onmessage;
	transport.onmessage = message => {
		seen.push(JSON.stringify(message));
		original?.(message);
	};

	t.after(async () => {
		await client.close();
	});
	return {client, seen};
}

const text = (result: Awaited<ReturnType<Client['callTool']>>) => (result.content as Array<{type: string; text: string}>)[0]!.text;

describe('hush mcp', () => {
	test('offers list, show, create and check; no delete and no value read, and says so', async t => {
		const home = await initHome(t);
		const {client} = await connect(t, home);
		const {tools} = await client.listTools();
		assert.deepEqual(tools.map(tool => tool.name).sort(), ['check_secrets', 'create_secret', 'list_secrets', 'show_secret']);
		assert.ok(!tools.some(tool => /delete|remove|reveal|get_value|read_value/i.test(tool.name)));
		for (const tool of tools) {
			assert.match(tool.description ?? '', /never (returns secret values|echoed back)/, tool.name);
		}

		assert.match(tools.find(tool => tool.name === 'create_secret')!.description!, /no tool to read values or delete secrets/);
	});

	test('creates a secret and no response ever contains its value', async t => {
		const home = await initHome(t);
		const {client, seen} = await connect(t, home);
		const value = 'sk-mcp-canary-5e1f0a9d';
		const created = await client.callTool({
			name: 'create_secret',
			arguments: {name: 'agent-made', values: {API_KEY: value, REGION: 'eu-west-1-canary'}, type: 'token', integration: 'openai'},
		});
		assert.ok(!created.isError, text(created));
		const summary = JSON.parse(text(created)) as Record<string, unknown>;
		assert.equal(summary['name'], 'agent-made');
		assert.deepEqual(summary['keys'], ['API_KEY', 'REGION']);
		assert.ok(!('values' in summary));

		const listed = JSON.parse(text(await client.callTool({name: 'list_secrets', arguments: {}}))) as Array<{name: string}>;
		assert.deepEqual(listed.map(secret => secret.name), ['agent-made']);
		const shown = JSON.parse(text(await client.callTool({name: 'show_secret', arguments: {name: 'agent-made'}}))) as {keys: string[]};
		assert.deepEqual(shown.keys, ['API_KEY', 'REGION']);
		const checked = JSON.parse(text(await client.callTool({name: 'check_secrets', arguments: {references: ['agent-made.API_KEY', 'agent-made.NOPE', 'other']}})));
		assert.deepEqual(checked.present, ['agent-made.API_KEY']);
		assert.deepEqual(checked.missing.map((entry: {reference: string}) => entry.reference), ['agent-made.NOPE', 'other']);

		const again = await client.callTool({name: 'create_secret', arguments: {name: 'agent-made', values: {API_KEY: value}}});
		assert.equal(again.isError, true);
		assert.match(text(again), /already exists/);
		const invalid = await client.callTool({name: 'create_secret', arguments: {name: 'bad', values: {'9KEY': value}}});
		assert.equal(invalid.isError, true);

		assert.ok(seen.length >= 6);
		for (const message of seen) {
			assert.ok(!message.includes(value) && !message.includes('eu-west-1-canary'), `a response held a value: ${message}`);
		}

		const stored = await hush(['get', 'agent-made', 'API_KEY'], {home});
		assert.equal(stored.stdout, value, 'the value was stored');
	});

	test('a locked vault is a tool error that says how to unlock', async t => {
		const home = await initHome(t);
		const {client} = await connect(t, home, {locked: true});
		const result = await client.callTool({name: 'list_secrets', arguments: {}});
		assert.equal(result.isError, true);
		assert.match(text(result), /vault is locked: hush mcp cannot prompt: put a session in this MCP server's environment \(HUSH_SESSION from 'hush unlock --raw'\)/);
		assert.doesNotMatch(text(result), /HUSH_PASSPHRASE/, 'the advice never puts the passphrase into an AI client\'s configuration');
	});

	test('answers list_secrets with only HUSH_SESSION set, and stops answering once hush lock ends the session', async t => {
		const home = await initHome(t);
		assert.equal((await hush(['set', 'deploy-key', '--stdin', 'TOKEN'], {home, input: 'tok-123'})).code, 0);
		const started = await hush(['unlock', '--raw'], {home});
		assert.equal(started.code, 0, started.stderr);
		const {client} = await connect(t, home, {locked: true, extraEnv: {HUSH_SESSION: started.stdout}});
		const listed = await client.callTool({name: 'list_secrets', arguments: {}});
		assert.ok(!listed.isError, text(listed));
		assert.deepEqual((JSON.parse(text(listed)) as Array<{name: string}>).map(secret => secret.name), ['deploy-key']);

		assert.equal((await hush(['lock'], {home, locked: true})).code, 0);
		const {client: afterLock} = await connect(t, home, {locked: true, extraEnv: {HUSH_SESSION: started.stdout}});
		const refused = await afterLock.callTool({name: 'list_secrets', arguments: {}});
		assert.equal(refused.isError, true);
		assert.match(text(refused), /HUSH_SESSION has ended/);
	});
});

describe('hush mcp: what an agent creates', () => {
	test('cannot shadow a secret in either space: one tool error, nothing stored, get still returns the original', async t => {
		const home = await initHome(t);
		await hushOk(['set', 'github', '--stdin', 'GITHUB_TOKEN'], {home, input: 'ghp-original-token'});
		await hushOk(['create', 'deploy', '--stdin', 'TOKEN', '--private'], {home, input: 'private-original'});
		const before = await listJson(home);
		const {client, seen} = await connect(t, home);

		const attempts = [
			{name: 'github', private: true, pattern: /a public secret named github already exists: an agent may not create/},
			{name: 'github', private: false, pattern: /a public secret named github already exists/},
			{name: 'github', private: undefined, pattern: /a public secret named github already exists/},
			{name: 'deploy', private: false, pattern: /a private secret named deploy already exists: an agent may not create/},
			{name: 'deploy', private: true, pattern: /a private secret named deploy already exists/},
		];
		for (const attempt of attempts) {
			const result = await client.callTool({
				name: 'create_secret',
				arguments: {name: attempt.name, values: {GITHUB_TOKEN: 'agent-shadow-value', TOKEN: 'agent-shadow-value'}, ...(attempt.private === undefined ? {} : {private: attempt.private})},
			});
			assert.equal(result.isError, true, `${attempt.name} private=${attempt.private}: ${text(result)}`);
			assert.match(text(result), attempt.pattern);
			assert.equal(text(result).split('\n').length, 1, 'one line');
		}

		assert.ok(seen.every(message => !message.includes('agent-shadow-value')));
		assert.deepEqual(await listJson(home), before, 'nothing was stored');
		assert.equal((await hushOk(['get', 'github', 'GITHUB_TOKEN'], {home})).stdout, 'ghp-original-token');
		assert.equal((await hushOk(['get', 'deploy', 'TOKEN'], {home})).stdout, 'private-original');
		const run = await hushOk(['run', '--no-masking', '--secret', 'github', '--', process.execPath, '-e', 'process.stdout.write(process.env.GITHUB_TOKEN)'], {home});
		assert.equal(run.stdout, 'ghp-original-token');
	});

	test('what it creates is marked: show, show --json, list, list --json and report say so; human-made secrets are not', async t => {
		const home = await initHome(t);
		await hushOk(['set', 'human-made', '--stdin', 'KEY'], {home, input: 'human-value'});
		const {client} = await connect(t, home);
		const created = await client.callTool({name: 'create_secret', arguments: {name: 'agent-key', values: {API_KEY: 'agent-value-1'}, private: true}});
		assert.ok(!created.isError, text(created));
		assert.equal((JSON.parse(text(created)) as {createdByAgent: boolean}).createdByAgent, true);
		// The agent cannot opt out of the mark: an unknown argument is dropped, the server sets it.
		const optOut = await client.callTool({name: 'create_secret', arguments: {name: 'sneaky', values: {API_KEY: 'agent-value-2'}, createdByAgent: false}});
		assert.ok(!optOut.isError, text(optOut));

		const listed = await listJson(home);
		assert.deepEqual(
			listed.map(secret => [secret['name'], secret['createdByAgent']]),
			[['agent-key', true], ['human-made', false], ['sneaky', true]],
		);
		const shown = await hushOk(['show', 'agent-key'], {home});
		assert.match(shown.stdout, /^ {2}agent-made {3}yes: an AI agent created it through hush mcp$/m);
		assert.match((await hushOk(['show', 'human-made'], {home})).stdout, /^ {2}agent-made {3}no$/m);
		assert.equal((JSON.parse((await hushOk(['show', 'agent-key', '--json'], {home})).stdout) as {createdByAgent: boolean}).createdByAgent, true);

		const table = (await hushOk(['list'], {home})).stdout.split('\n');
		assert.match(table.find(row => row.startsWith('agent-key'))!, /^agent-key\s+private agent\s/);
		assert.match(table.find(row => row.startsWith('human-made'))!, /^human-made\s+public\s+generic/);

		const report = JSON.parse((await hushOk(['report', '--json'], {home})).stdout) as {createdByAgent: unknown};
		assert.deepEqual(report.createdByAgent, [{name: 'agent-key', private: true}, {name: 'sneaky', private: false}]);
		assert.match((await hushOk(['report'], {home})).stdout, /^made by agents 2: agent-key \(private\), sneaky \(public\)$/m);

		// The mark stays through a person's later edits.
		await hushOk(['update', 'agent-key', '--description', 'checked by me'], {home});
		assert.equal((await listJson(home)).find(secret => secret['name'] === 'agent-key')!['createdByAgent'], true);
	});

	test('an agent\'s private secret made first cannot later shadow a public one a person creates or renames to', async t => {
		const home = await initHome(t);
		const {client} = await connect(t, home);
		const created = await client.callTool({name: 'create_secret', arguments: {name: 'stripe', values: {STRIPE_KEY: 'agent-planted'}, private: true}});
		assert.ok(!created.isError, text(created));

		assertOneLineError(await hush(['create', 'stripe', '--stdin', 'STRIPE_KEY'], {home, input: 'sk-real'}), /created by an AI agent through hush mcp, already exists and would shadow/);
		await hushOk(['create', 'other', '--stdin', 'STRIPE_KEY'], {home, input: 'sk-real'});
		assertOneLineError(await hush(['rename', 'other', 'stripe'], {home}), /would shadow/);
		await hushOk(['create', 'mine', '--stdin', 'STRIPE_KEY', '--private'], {home, input: 'sk-mine'});
		await hushOk(['rename', 'mine', 'stripe-2'], {home});
		assert.deepEqual((await listJson(home)).map(secret => [secret['name'], secret['private']]), [['other', false], ['stripe', true], ['stripe-2', true]]);
		// The agent's own secret may still be moved to public once a person has checked it: it shadows nothing.
		await hushOk(['update', 'stripe', '--private=false'], {home});
		assert.deepEqual((await listJson(home)).find(secret => secret['name'] === 'stripe')?.['private'], false);
	});
});

describe('hush mcp over a plain pipe', () => {
	test('requests sent just before stdin closes are still answered, then the server exits 0', async t => {
		const home = await initHome(t);
		const lines = [
			{jsonrpc: '2.0', id: 1, method: 'initialize', params: {protocolVersion: '2025-06-18', capabilities: {}, clientInfo: {name: 'pipe', version: '1'}}},
			{jsonrpc: '2.0', method: 'notifications/initialized'},
			{jsonrpc: '2.0', id: 2, method: 'tools/call', params: {name: 'list_secrets', arguments: {}}},
		];
		const run = await hush(['mcp'], {home, input: lines.map(line => JSON.stringify(line)).join('\n') + '\n'});
		assert.equal(run.code, 0, run.stderr);
		const responses = run.stdout.trim().split('\n').map(line => JSON.parse(line) as {id: number; result: {content?: Array<{text: string}>}});
		assert.deepEqual(responses.map(response => response.id), [1, 2]);
		assert.deepEqual(JSON.parse(responses[1]!.result.content![0]!.text), []);
	});
});
