/**
 * `hush mcp`: a Model Context Protocol server on stdio for AI agents. It exposes metadata only:
 * list, show, create and check. There is deliberately no tool that reads a value and none that
 * deletes; created values are never echoed back. This module pulls in the MCP SDK, so the CLI
 * loads it only for `hush mcp`.
 */
import {McpServer} from '@modelcontextprotocol/sdk/server/mcp.js';
import {StdioServerTransport} from '@modelcontextprotocol/sdk/server/stdio.js';
import {z} from 'zod';
import {checkReferences, parseReference} from '../runtime/references.js';
import {HushError} from '../errors.js';
import {secretTypes} from '../vault/model.js';
import type {Vault} from '../vault/vault.js';

export type McpOptions = {
	name: string;
	version: string;
	stdin: NodeJS.ReadableStream;
	stdout: NodeJS.WritableStream;
	/** Unlocks the vault without prompting, or throws a HushError saying how to unlock. */
	unlock(): Promise<Vault>;
};

type ToolResult = {content: Array<{type: 'text'; text: string}>; isError?: boolean};

const noValues = 'It never returns secret values.';

/** Serves until the client closes standard input. */
export async function serveMcp(options: McpOptions): Promise<void> {
	let vault: Vault | undefined;
	const withVault = async (work: (vault: Vault) => unknown): Promise<ToolResult> => {
		try {
			vault ??= await options.unlock();
			return {content: [{type: 'text', text: JSON.stringify(work(vault), null, 2)}]};
		} catch (error) {
			// hush's own errors are one line and never hold a value; anything else is not echoed at all.
			const message = error instanceof HushError ? error.message : 'unexpected error inside hush (run hush with HUSH_DEBUG=1 in a terminal to see it)';
			return {content: [{type: 'text', text: message}], isError: true};
		}
	};

	const server = new McpServer({name: options.name, version: options.version});
	server.registerTool(
		'list_secrets',
		{
			description: `Lists the secrets in the hush vault: metadata (name, visibility, type, integration, key names, timestamps) only. ${noValues}`,
			inputSchema: {
				type: z.enum(secretTypes).optional().describe('only secrets of this type'),
				integration: z.string().optional().describe('only secrets for this integration, e.g. github'),
				private: z.boolean().optional().describe('only private (true) or only public (false) secrets'),
			},
			annotations: {readOnlyHint: true},
		},
		async filter => withVault(vault => vault.listSecrets(filter)),
	);
	server.registerTool(
		'show_secret',
		{
			description: `Shows one secret's metadata and key names (private first, then public, unless "private" picks one). ${noValues}`,
			inputSchema: {
				name: z.string().describe('the secret name (or id)'),
				private: z.boolean().optional(),
			},
			annotations: {readOnlyHint: true},
		},
		async ({name, private: isPrivate}) => withVault(vault => vault.describeSecret(name, {private: isPrivate})),
	);
	server.registerTool(
		'create_secret',
		{
			description:
				'Creates a new secret from key/value pairs, marked as created by an AI agent. Fails if the name is taken, public or private (there is no overwrite, and no private copy of an existing name). Returns the new secret\'s metadata only: the values are never echoed back. There is no tool to read values or delete secrets.',
			inputSchema: {
				name: z.string().describe('1–128 letters, digits, . _ -'),
				values: z.record(z.string(), z.string()).describe('KEY: value pairs; keys like OPENAI_API_KEY'),
				type: z.enum(secretTypes).optional(),
				description: z.string().optional(),
				integration: z.string().optional(),
				private: z.boolean().optional().describe('create it as a private secret'),
				writeOnly: z.boolean().optional().describe('usable by hush run and inject, never shown (cannot be undone)'),
			},
			annotations: {destructiveHint: false, idempotentHint: false},
		},
		// Whatever the agent sends, what it creates is marked as its own and may not shadow a name in either space.
		async ({name, values, ...options}) => withVault(vault => vault.createSecret(name, values, {...options, createdByAgent: true})),
	);
	server.registerTool(
		'check_secrets',
		{
			description: `Checks that required secrets exist before something runs. References are NAME or NAME.KEY (optionally private:NAME.KEY). Returns which are present and which are missing. Reads metadata only. ${noValues}`,
			inputSchema: {
				references: z.array(z.string()).min(1).describe('e.g. ["openai-creds.OPENAI_API_KEY", "db"]'),
				level: z.enum(['SECRET_EXISTS', 'SECRET_AND_KEY_EXISTS']).optional().describe('SECRET_AND_KEY_EXISTS (default) also checks key names'),
			},
			annotations: {readOnlyHint: true},
		},
		async ({references, level}) =>
			withVault(vault => {
				const checks = checkReferences(
					vault,
					references.map(text => parseReference(text)),
					{keys: level !== 'SECRET_EXISTS'},
				);
				return {
					level: level ?? 'SECRET_AND_KEY_EXISTS',
					present: checks.filter(check => check.present).map(check => check.reference.text),
					missing: checks.filter(check => !check.present).map(check => ({reference: check.reference.text, reason: check.reason})),
				};
			}),
	);

	const transport = new StdioServerTransport(options.stdin as NodeJS.ReadStream, options.stdout as NodeJS.WriteStream);
	const closed = new Promise<void>(resolve => {
		options.stdin.once('end', resolve);
		options.stdin.once('close', resolve);
	});
	await server.connect(transport);
	const answered = trackRequests(transport);
	try {
		await closed;
		// A client may send its last requests and close its end at once: answer them before leaving.
		await answered();
	} finally {
		await server.close();
		vault?.close();
	}
}

type Message = {id?: string | number; method?: string};

/** Counts requests the server has not answered yet; the returned function resolves once there are none. */
function trackRequests(transport: StdioServerTransport): () => Promise<void> {
	const open = new Set<string | number>();
	let idle: (() => void) | undefined;
	const receive = transport.onmessage!;
	transport.onmessage = message => {
		const {id, method} = message as Message;
		if (id !== undefined && method !== undefined) {
			open.add(id);
		}

		receive(message);
	};

	const send = transport.send.bind(transport);
	transport.send = async message => {
		await send(message);
		const {id, method} = message as Message;
		if (id !== undefined && method === undefined) {
			open.delete(id);
			if (open.size === 0) {
				idle?.();
			}
		}
	};

	return async () => {
		if (open.size > 0) {
			await new Promise<void>(resolve => {
				idle = resolve;
			});
		}
	};
}
