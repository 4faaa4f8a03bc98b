import {HushError} from '../errors.js';
import {unlockVault} from '../unlock/index.js';
import type {Vault} from '../vault/vault.js';
import type {CommandSpec} from './spec.js';
import {version} from '../version.js';

export const mcp: CommandSpec = {
	name: 'mcp',
	summary: 'Serve the vault to AI agents over the Model Context Protocol (stdio), without values',
	usage: 'hush mcp',
	help: `Runs a Model Context Protocol server on standard input and output, for AI agents and editors.
Tools: list_secrets (metadata), show_secret (metadata and key names), create_secret (returns metadata
only, never echoes values) and check_secrets (which required secrets exist). There is deliberately no
tool that reads a value and none that deletes.

The server cannot prompt (standard input carries the protocol). It unlocks like every command,
without asking: a session in HUSH_SESSION, else the OS keychain (after 'hush unlock --remember'),
else HUSH_PASSPHRASE. Keep the passphrase out of AI clients' configuration files: give the server
a session, which ends on its own and at 'hush lock', or remember the device. Locked, every tool
answers with an error that says how to unlock.

Example client configuration (Claude Desktop, Cursor, …), after 'hush unlock --remember':
  {"mcpServers": {"hush": {"command": "hush", "args": ["mcp"]}}}
or with a session (hush unlock --raw --timeout 8h):
  {"mcpServers": {"hush": {"command": "hush", "args": ["mcp"], "env": {"HUSH_SESSION": "hs1.…"}}}}

Examples:
  hush mcp
  npx @modelcontextprotocol/inspector hush mcp`,
	flags: {},
	args: {min: 0, max: 0, names: ''},
	async run(context) {
		let vault: Vault | undefined;
		const {serveMcp} = await import('../mcp/server.js');
		await serveMcp({
			name: 'hush',
			version,
			stdin: context.io.stdin,
			stdout: context.io.stdout,
			async unlock() {
				try {
					const unlocked = await unlockVault({env: context.io.env, command: 'mcp', lockedHint});
					// stderr is the MCP client's log: say how the server got in, so a stray passphrase shows.
					context.say(`hush mcp: vault unlocked by ${unlocked.by}`);
					vault = unlocked.vault;
					return vault;
				} catch (error) {
					throw error instanceof HushError ? error : new HushError('cannot open the vault');
				}
			},
		}).finally(() => vault?.close());
	},
};

const lockedHint =
	"hush mcp cannot prompt: put a session in this MCP server's environment (HUSH_SESSION from 'hush unlock --raw'), or run 'hush unlock --remember' once so the OS keychain opens the vault, then restart the server";
