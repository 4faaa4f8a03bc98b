import {InvalidInputError} from '../../errors.js';

/**
 * The moment that what hush reports about time is measured from: the ages in `hush list` and
 * `hush show` ("5m ago"), hush stale's cutoff and ages, hush report's expiry window and
 * `hush audit --since 7d`.
 *
 * It is the system clock, unless HUSH_NOW holds an ISO 8601 time. HUSH_NOW is for tests, and this
 * is the only place that reads it: a test that drives the built CLI fixes "now" relative to the
 * timestamps an earlier hush process wrote, so "just now" cannot become "1m ago" on a slow machine.
 * It changes nothing hush writes: timestamps in the vault and the audit log, session expiry and
 * --expires durations always follow the system clock.
 */
export function clockNow(env: NodeJS.ProcessEnv): number {
	const fixed = env['HUSH_NOW'];
	if (fixed === undefined || fixed === '') {
		return Date.now();
	}

	const parsed = /^\d{4}-\d{2}-\d{2}T/.test(fixed) ? Date.parse(fixed) : Number.NaN;
	if (Number.isNaN(parsed)) {
		throw new InvalidInputError(`HUSH_NOW ${JSON.stringify(fixed)}: use an ISO 8601 time such as 2026-01-31T12:00:00Z (HUSH_NOW is for tests)`);
	}

	return parsed;
}
