// CAS write load against a running hush server: N concurrent clients, each pushing its own record
// W times as a compare-and-swap chain (baseRev = the revision it wrote last), all into one vault.
// With --contended, every other write goes instead to one record all clients share (409 → adopt
// the server's revision, retry), which measures conflict handling rather than throughput. The
// server only stores ciphertext, so random bytes stand in for sealed records.
//
//   node --import tsx bench/load-cas.ts URL TOKEN [--clients 16] [--writes 50] [--contended]
//
// The token needs secrets:read,secrets:write. Prints one JSON line: writes, conflicts, seconds, writes/s.
import {randomBytes, randomUUID} from 'node:crypto';
import {performance} from 'node:perf_hooks';
import type {VaultHeader} from '../source/protocol/index.js';
import {RemoteClient} from '../source/sync/client.js';

export type LoadResult = {clients: number; writes: number; conflicts: number; seconds: number; writesPerSecond: number};

function sealedRecord(id: string, rev: number, baseRev: number) {
	return {
		id,
		rev,
		baseRev,
		deleted: false,
		private: false,
		keyGeneration: 1,
		meta: {nonce: randomBytes(12).toString('base64'), ciphertext: randomBytes(220).toString('base64')},
		values: {nonce: randomBytes(12).toString('base64'), ciphertext: randomBytes(120).toString('base64')},
	};
}

export async function casLoad(url: string, token: string, options: {clients?: number; writes?: number; contended?: boolean} = {}): Promise<LoadResult> {
	const clients = options.clients ?? 16;
	const writes = options.writes ?? 50;
	const vaultId = randomUUID();
	const setup = new RemoteClient(url, token);
	await setup.putHeader(vaultId, loadTestHeader(vaultId));
	const sharedId = randomUUID();
	let conflicts = 0;
	const started = performance.now();
	await Promise.all(
		Array.from({length: clients}, async () => {
			const client = new RemoteClient(url, token);
			const own = randomUUID();
			let ownRev = 0;
			let sharedRev = 0;
			for (let index = 0; index < writes; index++) {
				// The client's own record (never contended); with --contended, every other write is to the shared one.
				if (!options.contended || index % 2 === 0) {
					const [result] = await client.push(vaultId, [sealedRecord(own, ownRev + 1, ownRev)]);
					if (result?.status !== 'ok') {
						throw new Error(`an uncontended CAS write failed: ${JSON.stringify(result)}`);
					}

					ownRev += 1;
					continue;
				}

				for (;;) {
					const [result] = await client.push(vaultId, [sealedRecord(sharedId, sharedRev + 1, sharedRev)]);
					if (result?.status === 'ok') {
						sharedRev += 1;
						break;
					}

					if (result?.status !== 'conflict') {
						throw new Error(`unexpected push result ${JSON.stringify(result)}`);
					}

					conflicts++;
					sharedRev = result.current?.rev ?? 0;
				}
			}
		}),
	);
	const seconds = (performance.now() - started) / 1000;
	return {clients, writes: clients * writes, conflicts, seconds, writesPerSecond: (clients * writes) / seconds};
}

if (import.meta.url === `file://${process.argv[1]}`) {
	const [url, token, ...rest] = process.argv.slice(2);
	if (!url || !token) {
		process.stderr.write('usage: node --import tsx bench/load-cas.ts URL TOKEN [--clients 16] [--writes 50]\n');
		process.exit(2);
	}

	const flag = (name: string, fallback: number) => {
		const index = rest.indexOf(name);
		return index === -1 ? fallback : Number(rest[index + 1]);
	};

	const result = await casLoad(url, token, {clients: flag('--clients', 16), writes: flag('--writes', 50), contended: rest.includes('--contended')});
	process.stdout.write(`${JSON.stringify(result)}\n`);
}

/** A well-formed header for a throwaway vault: random key material nobody will ever unlock. */
function loadTestHeader(vaultId: string): VaultHeader {
	const now = new Date().toISOString();
	return {
		format: 1,
		vaultId,
		createdAt: now,
		keyGeneration: 1,
		keyslot: {
			slot: 1,
			kind: 'passphrase',
			kdf: JSON.stringify({algorithm: 'argon2id', memoryKiB: 65_536, passes: 3, parallelism: 4}),
			salt: randomBytes(16).toString('base64'),
			nonce: randomBytes(12).toString('base64'),
			wrappedKey: randomBytes(48).toString('base64'),
			createdAt: now,
			expiresAt: null,
		},
	};
}
