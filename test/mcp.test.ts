/** hush mcp, spoken to over stdio by the official SDK's client, as an agent would. */
import assert from 'node:assert/strict';
import {describe, test, type TestContext} from 'node:test';
import {Client} from '@modelcontextprotocol/sdk/client/index.js';
import {StdioClientTransport} from '@modelcontextprotocol/sdk/client/stdio.js';
import {cliPath, hush, initHome, passphrase} from './helpers/hush-cli.js';

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
