import {KeyNotFoundError, WriteOnlyError} from '../errors.js';
import type {VaultCore} from './core.js';
import {resolveSecret} from './lookup.js';
import type {LookupOptions, RevealOptions} from './options.js';
import type {SecretSummary} from './model.js';
import {lastUseOfRecord} from './audit.js';
import {RevealedSecret} from './secret.js';
import {toSummary} from './summary.js';

/** The summary of a secret whose values the caller's team role does not open; undefined when they open. */
export function summaryIfValuesUnavailable(core: VaultCore, reference: string, options: LookupOptions): SecretSummary | undefined {
	const {row, meta} = resolveSecret(core, reference, options);
	return core.codec.canOpenValues(row) ? undefined : toSummary(row.id, meta, lastUseOfRecord(core.db, row.id));
}

/** One reveal inside the caller's transaction: checks, decrypts, and logs the read. The caller wipes it. */
export function revealRecord(core: VaultCore, reference: string, options: RevealOptions): RevealedSecret {
	const {row, meta} = resolveSecret(core, reference, options);
	if (meta.writeOnly && options.allowWriteOnly === false) {
		throw new WriteOnlyError(`secret ${meta.name} is write-only: its values can be used by 'hush run' and 'hush inject' but never shown`);
	}

	const missing = options.requireKeys?.find(key => !meta.keys.includes(key));
	if (missing !== undefined) {
		throw new KeyNotFoundError(`secret ${meta.name} has no key ${missing} (keys: ${meta.keys.join(', ')})`);
	}

	const values = core.codec.openValues(row);
	const at = core.now();
	core.audit(options.action ?? 'read', row.id, at);
	return new RevealedSecret(toSummary(row.id, meta, at), values);
}

/** Many reveals in one transaction (export --all): all or none; on a failure the ones already open are wiped. */
export function revealRecords(core: VaultCore, references: readonly string[], options: RevealOptions): RevealedSecret[] {
	const revealed: RevealedSecret[] = [];
	try {
		for (const reference of references) {
			revealed.push(revealRecord(core, reference, options));
		}

		return revealed;
	} catch (error) {
		for (const secret of revealed) {
			secret.wipe();
		}

		throw error;
	}
}
