import {type WireRecord, ProtocolError, parseWireRecord} from '../protocol/index.js';
import {array, boolean, integer, object} from '../protocol/fields.js';
import {maxPageSize} from '../protocol/wire.js';

/**
 * A page of changes as the client reads it: the envelope strictly, each record on its own, so a
 * record without the protocol's shape is set aside (quarantine.ts) and the others still apply.
 */

export type MalformedRecord = {raw: unknown; error: ProtocolError};

export type PulledPage = {records: WireRecord[]; malformed: MalformedRecord[]; cursor: number; more: boolean};

export function parsePulledPage(value: unknown, path = 'changes'): PulledPage {
	const page = object(value, path);
	const records: WireRecord[] = [];
	const malformed: MalformedRecord[] = [];
	for (const [index, raw] of array(page['records'], `${path}.records`, maxPageSize).entries()) {
		try {
			records.push(parseWireRecord(raw, `${path}.records[${index}]`));
		} catch (error) {
			if (!(error instanceof ProtocolError)) {
				throw error;
			}

			malformed.push({raw, error});
		}
	}

	return {records, malformed, cursor: integer(page['cursor'], `${path}.cursor`, 0), more: boolean(page['more'], `${path}.more`)};
}
