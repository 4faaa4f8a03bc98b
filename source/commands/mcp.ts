import {HushError, VaultLockedError} from '../errors.js';
import type {CommandSpec} from './spec.js';
import packageJson from '../../package.json' with {type: 'json'};

export const mcp: CommandSpec = {
	name: 'mcp',
	summary: 'Serve the vault to AI agents over the Model Context Protocol (stdio), without values',
	usage: 'hush mcp',
	help: `Runs a Model Context Protocol server on standard input and output, for AI agents and editors.
Tools: list_secrets (metadata), show_secret (metadata and key names), create_secret (returns metadata
only, never echoes values) and check_secrets (which required secrets exist). There is deliberately no
tool that reads a value and none that deletes.

The server cannot prompt (standard input carries the protocol), so it unlocks with HUSH_PASSPHRASE
from its environment; without it, every tool answers with an error that says how to unlock.

Example client configuration (Claude Desktop, Cursor, …):
  {"mcpServers": {"hush": {"command": "hush", "args": ["mcp"], "env": {"HUSH_PASSPHRASE": "…"}}}}

Examples:
  hush mcp
  npx @modelcontextprotocol/inspector hush mcp`,
	flags: {},
	args: {min: 0, max: 0, names: ''},
	async run(context) {
		const {serveMcp} = await import('../mcp/server.js');
		await serveMcp({
			name: 'hush',
			version: packageJson.version,
			stdin: context.io.stdin,
			stdout: context.io.stdout,
			async unlock() {
				if (context.io.env['HUSH_PASSPHRASE'] === undefined) {
					throw new VaultLockedError(
						'the hush vault is locked: hush mcp cannot prompt, so set HUSH_PASSPHRASE in this MCP server\'s environment (the "env" of its entry in your client\'s configuration) and restart it',
					);
				}

				try {
					return await context.vault();
				} catch (error) {
					throw error instanceof HushError ? error : new HushError('cannot open the vault');
				}
			},
		});
	},
};
