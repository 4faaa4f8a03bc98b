import {mkdirSync} from 'node:fs';
import {join} from 'node:path';
import {Vault} from '../source/vault/vault.js';
import {type RunningServer, serverToken, startServer} from '../test/helpers/sync-server.js';

/**
 * What the team benches share: a real `hush serve` (SQLite) on 127.0.0.1 with a founder's token,
 * and member vaults at argon2id's floor, so the times are the team protocol's, not the KDF's.
 */

export const floorKdf = {memory: 19 * 1024, passes: 2, parallelism: 1};

/** A fresh server database in `dir`, a running `hush serve` on it and a read-write token for `user`. */
export async function benchServer(dir: string, user: string): Promise<{server: RunningServer; token: string}> {
	const db = join(dir, 'server.db');
	await serverToken(db, ['init']);
	const token = await serverToken(db, ['token', 'create', '--user', user, '--perm', 'secrets:read,secrets:write']);
	return {server: await startServer(db), token};
}

/** A new vault in its own home under `dir`, with a passphrase of its own, at the KDF floor. */
export async function floorVault(dir: string, name: string): Promise<Vault> {
	const home = join(dir, name);
	mkdirSync(home, {mode: 0o700});
	return Vault.init({home, passphrase: `${name} passphrase`, kdf: floorKdf, command: 'bench'});
}
