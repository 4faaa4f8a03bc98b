import type {DatabaseSync, StatementSync} from 'node:sqlite';

const statements = new WeakMap<DatabaseSync, Map<string, StatementSync>>();

/**
 * `sql` prepared once per open file: a bulk write, a pull or a push runs the same few statements
 * for each of thousands of records, and preparing is a good part of running one.
 */
export function prepared(db: DatabaseSync, sql: string): StatementSync {
	let cache = statements.get(db);
	if (!cache) {
		cache = new Map();
		statements.set(db, cache);
	}

	let statement = cache.get(sql);
	if (!statement) {
		statement = db.prepare(sql);
		cache.set(sql, statement);
	}

	return statement;
}
