import {spawn} from 'node:child_process';
import {existsSync} from 'node:fs';
import {createRequire} from 'node:module';
import {createConnection} from 'node:net';
import {HushError} from '../errors.js';
import {noteAbandonedKeychainCall} from './abandoned-calls.js';

export {releaseAbandonedKeychainCalls} from './abandoned-calls.js';

/**
 * The only module that touches the OS keychain (macOS Keychain, Windows Credential Manager, Linux
 * Secret Service) — through @github/keytar, loaded on first use only, so commands that never touch
 * the keychain never pay for (or fail on) its native module. Everything else in hush asks through
 * these functions, so a missing, locked or hung keychain is one clear error here and never a crash
 * or a hang elsewhere:
 *
 * - every call has a deadline (HUSH_KEYCHAIN_TIMEOUT_MS, default 10 s); on Linux the session bus is
 *   first asked to answer a handshake from JavaScript, within that deadline, because a native call
 *   stuck on a dead bus would hold the process open even after hush has reported the failure;
 * - enumeration (`findCredentials`) runs in a child process, because keytar segfaults on Linux when
 *   an item under the service has no `account` attribute — the child dies, hush reports it.
 */

/** No keychain can be reached (no native module, no Secret Service, locked, or no answer in time). */
export class KeychainUnavailableError extends HushError {}

/** The keychain answered, but holds no item for that service and account. */
export class KeychainItemNotFoundError extends HushError {}

/** Listing a service's items failed (for instance keytar crashed on an item without an account). */
export class KeychainEnumerationError extends HushError {}

export type KeychainCredential = {account: string; password: string};

type Keytar = {
	getPassword(service: string, account: string): Promise<string | null>;
	setPassword(service: string, account: string, password: string): Promise<void>;
	deletePassword(service: string, account: string): Promise<boolean>;
};

const keytarModule = '@github/keytar';

/** What to do about it, appended to every "unavailable" message. */
export const keychainFix =
	"start a Secret Service (e.g. gnome-keyring-daemon) in your session and unlock it, or use 'hush unlock' sessions (HUSH_SESSION) instead";

const defaultTimeoutMs = 10_000;

function timeoutMs(): number {
	const raw = Number(process.env['HUSH_KEYCHAIN_TIMEOUT_MS']);
	return Number.isInteger(raw) && raw > 0 ? raw : defaultTimeoutMs;
}

let keytar: Promise<Keytar> | undefined;

function loadKeytar(): Promise<Keytar> {
	keytar ??= (async () => {
		try {
			// Kept out of the bundle (scripts/build.js): the native addon loads from node_modules.
			const loaded = (await import(keytarModule)) as Keytar & {default?: Keytar};
			return loaded.default ?? loaded;
		} catch (error) {
			throw new KeychainUnavailableError(`the OS keychain is not available: its native module could not be loaded (${firstLine(error)}); use 'hush unlock' sessions (HUSH_SESSION) instead`);
		}
	})();
	return keytar;
}

/** One line of an error's message; keytar's errors never contain a password. */
function firstLine(error: unknown): string {
	const message = error instanceof Error ? error.message : String(error);
	return (message.split('\n')[0] ?? '').trim().replace(/\.$/, '');
}

let busProbe: Promise<void> | undefined;

/**
 * Linux: the D-Bus session bus must answer an authentication handshake before any native call goes
 * near it. A bus that is missing fails here at once; one that accepts but never answers fails at
 * the deadline, and no native thread is left waiting on it.
 */
function probeSessionBus(limit: number): Promise<void> {
	busProbe ??= new Promise<void>((resolve, reject) => {
		const path = sessionBusPath();
		if (path === undefined) {
			// No address we can probe (none set, or not a unix socket): libsecret reports it itself.
			resolve();
			return;
		}

		const socket = createConnection(path);
		const fail = (reason: string) => {
			clearTimeout(timer);
			socket.destroy();
			// Ask again next time: the keychain may have been started since (the TUI lives on).
			busProbe = undefined;
			reject(new KeychainUnavailableError(`the OS keychain is not available (${reason}): ${keychainFix}`));
		};

		const timer = setTimeout(() => fail(`the D-Bus session bus did not answer within ${formatSeconds(limit)}`), limit);
		let answer = '';
		socket.setEncoding('latin1');
		socket.on('connect', () => {
			const uid = String(process.getuid?.() ?? 0);
			socket.write(`\0AUTH EXTERNAL ${Buffer.from(uid).toString('hex')}\r\n`);
		});
		socket.on('data', (chunk: string) => {
			answer += chunk;
			if (answer.includes('\r\n')) {
				// OK or REJECTED: either way something alive is speaking D-Bus there.
				answered = true;
				clearTimeout(timer);
				socket.destroy();
				resolve();
			}
		});
		socket.on('error', (error: NodeJS.ErrnoException) => fail(`no D-Bus session bus at ${path.replace('\0', '@')}: ${error.code ?? error.message}`));
		let answered = false;
		socket.on('close', () => {
			if (!answered) {
				fail('the D-Bus session bus closed the connection');
			}
		});
	});
	return busProbe;
}

function sessionBusPath(): string | undefined {
	if (process.platform !== 'linux') {
		return undefined;
	}

	const address = process.env['DBUS_SESSION_BUS_ADDRESS'];
	if (address === undefined || address === '') {
		const runtime = process.env['XDG_RUNTIME_DIR'];
		return runtime && existsSync(`${runtime}/bus`) ? `${runtime}/bus` : undefined;
	}

	const first = address.split(';')[0] ?? '';
	if (!first.startsWith('unix:')) {
		return undefined;
	}

	const parts = new Map(first.slice(5).split(',').map(part => [part.slice(0, part.indexOf('=')), decodeURIComponent(part.slice(part.indexOf('=') + 1))]));
	const path = parts.get('path');
	const abstract = parts.get('abstract');
	return path ?? (abstract === undefined ? undefined : `\0${abstract}`);
}

async function call<T>(what: string, work: (keytar: Keytar) => Promise<T>): Promise<T> {
	const limit = timeoutMs();
	// Both at once: loading the native module does not touch the bus.
	const [api] = await Promise.all([loadKeytar(), probeSessionBus(limit)]);
	let timer: NodeJS.Timeout | undefined;
	const deadline = new Promise<never>((_resolve, reject) => {
		timer = setTimeout(() => {
			noteAbandonedKeychainCall();
			reject(new KeychainUnavailableError(`the OS keychain did not answer within ${formatSeconds(limit)} while ${what}: ${keychainFix}`));
		}, limit);
	});
	// Settles either way, so a call that fails after its deadline is never an unhandled rejection
	// (which would end a long-lived process such as the TUI).
	const settled = work(api).then(
		value => ({value}),
		(error: unknown) => ({error}),
	);
	try {
		const outcome = await Promise.race([settled, deadline]);
		if ('error' in outcome) {
			throw new KeychainUnavailableError(`the OS keychain is not available (${firstLine(outcome.error)}) while ${what}: ${keychainFix}`);
		}

		return outcome.value;
	} finally {
		clearTimeout(timer);
	}
}

function formatSeconds(ms: number): string {
	return `${Number((ms / 1000).toFixed(1))} s`;
}

/** Reads one password (SERVICE:ACCOUNT) from the OS keychain. */
export async function readKeychainPassword(service: string, account: string): Promise<string> {
	const password = await call(`reading ${service}:${account}`, async api => api.getPassword(service, account));
	if (password === null) {
		throw new KeychainItemNotFoundError(`the OS keychain has no item for service ${JSON.stringify(service)} and account ${JSON.stringify(account)}`);
	}

	return password;
}

/** Stores (or replaces) one password. */
export async function writeKeychainPassword(service: string, account: string, password: string): Promise<void> {
	await call(`storing ${service}:${account}`, async api => api.setPassword(service, account, password));
}

/** Deletes one item; false when there was none. */
export async function deleteKeychainPassword(service: string, account: string): Promise<boolean> {
	return call(`deleting ${service}:${account}`, async api => api.deletePassword(service, account));
}

/**
 * Every credential under `service`, listed by a child process: keytar's `findCredentials` crashes
 * the process that calls it when an item there lacks an `account` attribute, and that must never
 * be hush's own process (nor the TUI's). The child gets the service through its environment and
 * hands the credentials back over a pipe — nothing touches argv or disk.
 */
export async function findKeychainCredentials(service: string): Promise<KeychainCredential[]> {
	const keytarPath = resolveKeytar();
	const limit = timeoutMs();
	await probeSessionBus(limit);
	const script = `require(process.env.HUSH_KEYTAR_PATH).findCredentials(process.env.HUSH_KEYCHAIN_SERVICE).then(
		c => process.stdout.write(JSON.stringify({ok: c})),
		e => process.stdout.write(JSON.stringify({error: String(e && e.message || e)})))`;
	return new Promise((resolve, reject) => {
		const child = spawn(process.execPath, ['-e', script], {
			env: {...childEnvironment(), HUSH_KEYTAR_PATH: keytarPath, HUSH_KEYCHAIN_SERVICE: service},
			stdio: ['ignore', 'pipe', 'pipe'],
		});
		const chunks: Buffer[] = [];
		child.stdout.on('data', (chunk: Buffer) => chunks.push(chunk));
		child.stderr.resume();
		let timedOut = false;
		const timer = setTimeout(() => {
			timedOut = true;
			child.kill('SIGKILL');
		}, limit);
		child.on('error', error => {
			clearTimeout(timer);
			reject(new KeychainUnavailableError(`cannot list keychain service ${JSON.stringify(service)}: ${firstLine(error)}`));
		});
		child.on('close', (code, signal) => {
			clearTimeout(timer);
			const output = Buffer.concat(chunks);
			try {
				if (timedOut) {
					throw new KeychainUnavailableError(`the OS keychain did not answer within ${formatSeconds(limit)} while listing service ${JSON.stringify(service)}: ${keychainFix}`);
				}

				if (signal !== null || code !== 0) {
					throw new KeychainEnumerationError(
						`listing keychain service ${JSON.stringify(service)} crashed the keychain library (${signal ?? `exit ${code}`}); nothing was imported. ` +
							'An item under that service probably has no "account" attribute (a known keytar bug on Linux): give it one or remove it, or import accounts one at a time with --account',
					);
				}

				const parsed = JSON.parse(output.toString('utf8')) as {ok?: KeychainCredential[]; error?: string};
				if (parsed.error !== undefined) {
					throw new KeychainUnavailableError(`the OS keychain is not available (${firstLine(parsed.error)}) while listing service ${JSON.stringify(service)}: ${keychainFix}`);
				}

				resolve(parsed.ok ?? []);
			} catch (error) {
				reject(error instanceof HushError ? error : new KeychainEnumerationError(`listing keychain service ${JSON.stringify(service)} returned something unreadable`));
			} finally {
				output.fill(0);
				for (const chunk of chunks) {
					chunk.fill(0);
				}
			}
		});
	});
}

/** The caller's environment minus hush's own secrets and anything that would change how node starts. */
function childEnvironment(): NodeJS.ProcessEnv {
	const env = {...process.env};
	for (const name of ['HUSH_PASSPHRASE', 'HUSH_NEW_PASSPHRASE', 'HUSH_SESSION', 'NODE_OPTIONS']) {
		delete env[name];
	}

	return env;
}

function resolveKeytar(): string {
	try {
		return createRequire(import.meta.url).resolve(keytarModule);
	} catch (error) {
		throw new KeychainUnavailableError(`the OS keychain is not available: its native module could not be found (${firstLine(error)}); use 'hush unlock' sessions (HUSH_SESSION) instead`);
	}
}
