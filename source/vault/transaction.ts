import type {DatabaseSync} from 'node:sqlite';

/**
 * Runs `work` as one write transaction. BEGIN IMMEDIATE takes the write lock up front, so the
 * reads inside see the latest committed state and no other process can write until we finish:
 * read-modify-write without lost updates.
 */
export function inTransaction<T>(db: DatabaseSync, work: () => T): T {
	db.exec('BEGIN IMMEDIATE');
	const hooks = commitHooks.get(db) ?? [];
	try {
		const result = work();
		for (const hook of hooks) {
			hook.beforeCommit();
		}

		db.exec('COMMIT');
		return result;
	} catch (error) {
		if (db.isTransaction) {
			db.exec('ROLLBACK');
		}

		throw error;
	} finally {
		for (const hook of hooks) {
			hook.afterEnd();
		}
	}
}

/**
 * Runs `work` inside a savepoint of the current transaction: if it throws, its writes are undone
 * and so is what it told the commit hooks (the digest moves its rows made), so the transaction can
 * go on and commit the rest with a digest that matches the rows.
 */
export function inSavepoint<T>(db: DatabaseSync, work: () => T): T {
	const restores = (commitHooks.get(db) ?? []).map(hook => hook.snapshot());
	db.exec('SAVEPOINT hush_step');
	try {
		const result = work();
		db.exec('RELEASE hush_step');
		return result;
	} catch (error) {
		db.exec('ROLLBACK TO hush_step');
		db.exec('RELEASE hush_step');
		for (const restore of restores) {
			restore();
		}

		throw error;
	}
}

/**
 * Work a transaction's writes leave to its end: the rollback digest and the metadata pages the
 * record writes moved are sealed once, just before COMMIT, whichever code ran the transaction.
 * `snapshot` returns how to put the hook back as it is now, for a savepoint that rolls back.
 */
export type CommitHook = {beforeCommit(): void; afterEnd(): void; snapshot(): () => void};

const commitHooks = new WeakMap<DatabaseSync, CommitHook[]>();

/** Runs `hook` around every {@link inTransaction} on `db` until the returned function is called. */
export function addCommitHook(db: DatabaseSync, hook: CommitHook): () => void {
	commitHooks.set(db, [...(commitHooks.get(db) ?? []), hook]);
	return () => {
		commitHooks.set(db, (commitHooks.get(db) ?? []).filter(candidate => candidate !== hook));
	};
}
