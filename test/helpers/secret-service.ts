/**
 * A real, private Secret Service for the keychain tests (and the keychain bench): a D-Bus session
 * bus from `dbus-run-session`, with `gnome-keyring-daemon` unlocked on it, in a throw-away home.
 * Nothing touches the keychain of whoever runs the tests. Readiness is a condition, not a delay:
 * the shell stores and reads back a probe item before it reports the bus address.
 *
 * The bus lives as long as the shell's standard input stays open; {@link SecretService.stop}
 * closes it, `dbus-run-session` then ends the bus, and gnome-keyring-daemon exits with it.
 */
import {type ChildProcessWithoutNullStreams, spawn} from 'node:child_process';
import {mkdtempSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';

export type ToolRun = {code: number | null; stdout: string; stderr: string};

export type SecretService = {
	/** Environment for processes that should use this keychain (and no other). */
	env: {DBUS_SESSION_BUS_ADDRESS: string};
	/** Runs `secret-tool` against this keychain, with `input` on its stdin. */
	secretTool(args: readonly string[], input?: string): Promise<ToolRun>;
	stop(): Promise<void>;
};

const readyMarker = 'SECRET-SERVICE-READY ';

const startScript = `
set -eu
printf '%s' test-keyring | gnome-keyring-daemon --unlock --components=secrets >/dev/null
printf '%s' probe | secret-tool store --label=hush-test-probe service hush-test-probe account ready
test "$(secret-tool lookup service hush-test-probe account ready)" = probe
secret-tool clear service hush-test-probe account ready
echo "${readyMarker}$DBUS_SESSION_BUS_ADDRESS"
exec cat >/dev/null
`;

export async function startSecretService(timeoutMs = 60_000): Promise<SecretService> {
	const home = mkdtempSync(join(tmpdir(), 'hush-keyring-'));
	const baseEnv = {PATH: process.env['PATH'] ?? '/usr/bin:/bin', HOME: home, XDG_DATA_HOME: join(home, 'data'), XDG_CONFIG_HOME: join(home, 'config'), XDG_CACHE_HOME: join(home, 'cache'), LANG: 'C.UTF-8'};
	const child: ChildProcessWithoutNullStreams = spawn('dbus-run-session', ['--', 'sh', '-c', startScript], {env: baseEnv, stdio: ['pipe', 'pipe', 'pipe']});
	const closed = new Promise<void>(resolve => child.on('close', () => resolve()));
	let stderr = '';
	child.stderr.setEncoding('utf8').on('data', chunk => (stderr += chunk));

	const address = await new Promise<string>((resolve, reject) => {
		let stdout = '';
		const timer = setTimeout(() => {
			child.kill('SIGKILL');
			reject(new Error(`the test Secret Service did not start within ${timeoutMs} ms: ${stderr}`));
		}, timeoutMs);
		child.on('error', error => {
			clearTimeout(timer);
			reject(new Error(`cannot start dbus-run-session (${error.message}): run bash scripts/ensure-test-tools.sh, or apt-get install dbus gnome-keyring libsecret-tools`));
		});
		child.stdout.setEncoding('utf8').on('data', chunk => {
			stdout += chunk;
			const line = stdout.split('\n').find(candidate => candidate.startsWith(readyMarker));
			if (line) {
				clearTimeout(timer);
				resolve(line.slice(readyMarker.length).trim());
			}
		});
		child.on('close', code => {
			clearTimeout(timer);
			reject(new Error(`the test Secret Service exited (${code}) before it was ready: ${stderr}`));
		});
	});

	const env = {DBUS_SESSION_BUS_ADDRESS: address};
	return {
		env,
		secretTool(args, input = '') {
			return new Promise((resolve, reject) => {
				const tool = spawn('secret-tool', [...args], {env: {...baseEnv, ...env}, stdio: ['pipe', 'pipe', 'pipe']});
				let out = '';
				let err = '';
				tool.stdout.setEncoding('utf8').on('data', chunk => (out += chunk));
				tool.stderr.setEncoding('utf8').on('data', chunk => (err += chunk));
				tool.on('error', reject);
				tool.on('close', code => resolve({code, stdout: out, stderr: err}));
				tool.stdin.end(input);
			});
		},
		async stop() {
			child.stdin.end();
			await closed;
			rmSync(home, {recursive: true, force: true});
		},
	};
}

/**
 * Stores an item the way libsecret's generic schema does (what keytar reads and writes). With
 * `account` undefined the item gets `username` instead: the shape that crashes keytar's
 * findCredentials on Linux.
 */
export async function storeItem(service: SecretService, attributes: {service: string; account?: string; username?: string}, secret: string): Promise<void> {
	const args = ['store', '--label', `${attributes.service} test item`, 'xdg:schema', 'org.freedesktop.Secret.Generic', 'service', attributes.service];
	if (attributes.account !== undefined) {
		args.push('account', attributes.account);
	}

	if (attributes.username !== undefined) {
		args.push('username', attributes.username);
	}

	const run = await service.secretTool(args, secret);
	if (run.code !== 0) {
		throw new Error(`secret-tool store failed: ${run.stderr}`);
	}
}

/** The secret of one item, or undefined when there is none. */
export async function lookupItem(service: SecretService, attributes: Record<string, string>): Promise<string | undefined> {
	const run = await service.secretTool(['lookup', ...Object.entries(attributes).flat()]);
	return run.code === 0 ? run.stdout : undefined;
}
