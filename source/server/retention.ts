import {describeError} from '../errors.js';
import {pruneAudit} from './data.js';
import type {Store} from './store.js';

/**
 * The audit table's retention: entries older than `days` are deleted when the server starts (before
 * it accepts connections) and then every hour. 0 keeps everything. Several servers sharing one
 * PostgreSQL database each prune; the deletes are idempotent.
 */

export const defaultAuditRetentionDays = 365;
const hour = 60 * 60 * 1000;

export function auditCutoff(days: number, now = Date.now()): string {
	return new Date(now - days * 24 * hour).toISOString();
}

export async function pruneOnce(store: Store, days: number): Promise<number> {
	return days > 0 ? pruneAudit(work => store.transaction(work), auditCutoff(days)) : 0;
}

/** Prunes now, then hourly until the returned stop() is called. A failed prune is reported, never fatal. */
export async function startAuditRetention(store: Store, days: number, report: (line: string) => void): Promise<() => Promise<void>> {
	if (days <= 0) {
		return async () => undefined;
	}

	const prune = async () => {
		try {
			const pruned = await pruneOnce(store, days);
			if (pruned > 0) {
				report(`hush server: removed ${pruned} audit entries older than ${days} days`);
			}
		} catch (error) {
			report(`hush server: pruning the audit log failed (will retry in an hour): ${describeError(error)}`);
		}
	};

	await prune();
	let running: Promise<void> = Promise.resolve();
	const timer = setInterval(() => {
		running = prune();
	}, hour);
	timer.unref();
	return async () => {
		clearInterval(timer);
		await running;
	};
}
