import {RollbackError} from '../errors.js';
import type {DatabaseSync} from 'node:sqlite';

/** What a write transaction did to the records, for the rollback digest's check at commit (rollback.ts). */

/** The first image of each row a transaction wrote: its rowid and canonical text, or null when the row is new. */
type BeforeImage = {rowid: number; text: string | null};

/**
 * What a write transaction did to the records: each row's first image, the last text it wrote
 * (`after`, with an undo journal for savepoints), and the buckets it touched.
 */
export type PendingWrites = {
	db: DatabaseSync;
	before: Map<string, BeforeImage>;
	after: Map<string, string>;
	journal: Array<[id: string, previous: string | undefined]>;
	buckets: Set<number>;
};

/**
 * A touched bucket's text (rollback.ts) as it stood before the transaction: each row written by it
 * as first found (left out if it was new), the others as they are. Checks on the way that each row
 * the transaction wrote still holds what it wrote last.
 */
export function textBefore(pending: PendingWrites, rows: ReadonlyArray<{rowid: number; id: string; text: string}>): string {
	const before: string[] = [];
	for (const row of rows) {
		const written = pending.after.get(row.id);
		if (written !== undefined && written !== row.text) {
			// Only SQL inside the file (a trigger) rewrites a row as hush writes it.
			throw new RollbackError('a record changed as it was written (SQL in the vault file): the vault file was altered');
		}

		const image = pending.before.get(row.id);
		const text = image === undefined ? row.text : image.text;
		if (text !== null) {
			before.push(`${row.rowid}:${text}`);
		}
	}

	return before.join('\n');
}
