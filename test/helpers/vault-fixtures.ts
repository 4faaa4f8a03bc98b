/**
 * Shared setup for the vault-level suites: a throw-away home folder per test, a vault created with
 * the weakest KDF settings hush allows (so the suites stay quick), and raw SQLite access for the
 * tests that tamper with the file behind the vault's back.
 */
import {mkdtempSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {DatabaseSync} from 'node:sqlite';
import {type InitVaultOptions, Vault} from '../../source/vault/vault.js';
import type {RecordRow} from '../../source/vault/records.js';

/** The KDF floor (19 MiB, t=2, p=1): the cheapest parameters hush accepts. */
export const fastKdf = {memory: 19_456, passes: 2, parallelism: 1} as const;

export const passphrase = 'correct horse battery';

/** The part of node:test's context the helpers need. */
type AfterHook = {after(fn: () => void | Promise<void>): void};

const homes = new Set<string>();

/**
 * A fresh private temp folder. With a test context, it is removed when that test ends; without
 * one, call {@link cleanup} (or {@link cleanupAll}) yourself.
 */
export function makeHome(t?: AfterHook): string {
	const home = mkdtempSync(join(tmpdir(), 'hush-test-'));
	homes.add(home);
	t?.after(() => {
		cleanup(home);
	});
	return home;
}

export function cleanup(home: string): void {
	homes.delete(home);
	rmSync(home, {recursive: true, force: true});
}

export function cleanupAll(): void {
	for (const home of [...homes]) {
		cleanup(home);
	}
}

export async function newVault(home: string, extra: Partial<InitVaultOptions> = {}): Promise<Vault> {
	return Vault.init({home, passphrase, kdf: fastKdf, ...extra});
}

export function vaultFile(home: string): string {
	return join(home, 'vault.db');
}

/**
 * A second, raw connection to the vault file, for tests that edit it directly. Synchronous
 * writes are off: these edits are test scaffolding, and fsync per edit would only slow the suites.
 */
export function openRaw(home: string): DatabaseSync {
	const db = new DatabaseSync(vaultFile(home), {timeout: 10_000});
	db.exec('PRAGMA synchronous = OFF');
	return db;
}

/** How many rows `table` of the vault file holds, read straight from the file. */
export function rowsIn(home: string, table: 'records' | 'pages'): number {
	const db = openRaw(home);
	try {
		return (db.prepare(`SELECT COUNT(*) AS count FROM ${table}`).get() as {count: number}).count;
	} finally {
		db.close();
	}
}

/** A records row as stored: the codec's own row type. */
export type RawRecord = RecordRow;

export function readRecord(db: DatabaseSync, id: string): RawRecord {
	const row = db.prepare('SELECT * FROM records WHERE id = ?').get(id) as RawRecord | undefined;
	if (!row) {
		throw new Error(`test setup: no record ${id}`);
	}

	return row;
}

/** A copy with one byte XORed, leaving the input untouched. */
export function flipByte(bytes: Uint8Array, index: number, mask = 0x01): Uint8Array {
	const copy = new Uint8Array(bytes);
	copy[index] = copy[index]! ^ mask;
	return copy;
}

export function isAllZero(bytes: Uint8Array): boolean {
	return bytes.every(byte => byte === 0);
}
