import type {DatabaseSync} from 'node:sqlite';
import {type IntegrityError, RollbackError} from '../errors.js';

/**
 * What SQL in the file itself could do behind hush's back, refused at open. A trigger runs inside
 * hush's own transactions (one that rewrites a row as hush writes it would have the rollback digest
 * seal the old row: rollback.ts); a view or a rebuilt `records` table without its keys lets two rows
 * share an id or a name MAC, so a lookup and the check of its bucket could see different rows.
 * hush makes none of these, so any is the mark of a file altered outside hush.
 */

const recordsColumns = [
	['id', 'TEXT', 1],
	['name_mac', 'BLOB', 0],
	['revision', 'INTEGER', 0],
	['key_generation', 'INTEGER', 0],
	['meta_nonce', 'BLOB', 0],
	['meta_ciphertext', 'BLOB', 0],
	['values_nonce', 'BLOB', 0],
	['values_ciphertext', 'BLOB', 0],
] as const;

export function assertOwnSchema(db: DatabaseSync): void {
	const planted = db.prepare("SELECT type, name FROM sqlite_schema WHERE type IN ('trigger', 'view')").all() as Array<{type: string; name: string}>;
	if (planted.length > 0) {
		throw altered(`holds a SQL ${planted[0]!.type} hush never makes`);
	}

	const columns = (db.prepare('PRAGMA table_info(records)').all() as Array<{name: string; type: string; pk: number}>).map(column => [column.name, column.type, column.pk]);
	if (JSON.stringify(columns) !== JSON.stringify(recordsColumns)) {
		throw altered('has a records table hush never made');
	}

	// Computed in SQL: node:sqlite refuses to read a rowid beyond 2^53 as a number.
	const {outOfRange} = db.prepare('SELECT (SELECT MIN(rowid) FROM records) < 1 OR (SELECT MAX(rowid) FROM records) > 9007199254740991 AS outOfRange').get() as {outOfRange: number | null};
	if (outOfRange === 1) {
		throw altered('has a record at a rowid hush never gives');
	}

	const indexes = db.prepare('PRAGMA index_list(records)').all() as Array<{name: string; unique: number; origin: string}>;
	const uniqueOn = (origin: string, column: string) =>
		indexes.some(index => index.unique === 1 && index.origin === origin && JSON.stringify((db.prepare(`PRAGMA index_info(${JSON.stringify(index.name)})`).all() as Array<{name: string}>).map(info => info.name)) === JSON.stringify([column]));
	if (!uniqueOn('pk', 'id') || !uniqueOn('u', 'name_mac')) {
		throw altered('has a records table without the keys hush made');
	}
}

function altered(what: string): IntegrityError {
	return new RollbackError(`the vault file ${what}: the vault file was altered`);
}
