import {parseWireRecord, type WireRecord} from '../protocol/index.js';
import {keySpaceOf} from '../vault/key-generation.js';
import type {SyncStore} from '../vault/sync-store.js';
import {quarantined} from './quarantine.js';

/**
 * Team records set aside only because their key generation had not reached this device yet (a new
 * member before approval, anyone before a re-key's wraps arrive): once the keyring holds that
 * generation they are worth another try, since the cursor has moved past them and the server will
 * not send them again until someone changes them. Everything else stays set aside as it was.
 */
export function retriableTeamRecords(store: SyncStore): WireRecord[] {
	const held = new Set(store.teamKeyring()?.generations.map(keys => keys.generation) ?? []);
	if (held.size === 0) {
		return [];
	}

	const records: WireRecord[] = [];
	for (const entry of quarantined(store)) {
		if (entry.rev === null) {
			continue;
		}

		let record: WireRecord;
		try {
			record = parseWireRecord(JSON.parse(entry.raw) as unknown);
		} catch {
			continue;
		}

		const space = keySpaceOf(record.keyGeneration);
		const seen = store.syncBase(record.id)?.seen_rev ?? 0;
		if (space.space === 'team' && held.has(space.generation) && record.rev >= seen) {
			records.push(record);
		}
	}

	return records;
}
