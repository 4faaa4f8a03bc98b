import type {FastifyInstance} from 'fastify';
import {type ChangesPage, type PushRecord, type PushResponse, type PushResult, changesQuerySchema, noQuerySchema, pushBodySchema, sealedChars, vaultParamsSchema} from '../protocol/index.js';
import {actor, reachVault} from './auth.js';
import type {RouteContext} from './context.js';
import {type AuditInput, type StoredRecord, appendAudit, changesSince, findRecord, setLastSeq, writeRecord} from './data.js';
import {ApiError} from './errors.js';
import {queryNumber} from './query.js';
import {requireTeamMember} from './team-members.js';

/**
 * Whether a team member's role forbids one pushed record (the caller has already
 * refused a private record of someone else as absent). Any current member keeps private records of
 * their own; a public record is written by write and admin members only; and turning a public record
 * private takes it from everyone else, so only an admin does that (a public record has no owner on
 * the server). Turning one's own private record public is a public write.
 */
function roleForbids(role: string | null, current: StoredRecord | null, makePrivate: boolean): boolean {
	if (!makePrivate) {
		return role !== 'write' && role !== 'admin';
	}

	return current !== null && !current.wire.private && role !== 'admin';
}

/**
 * Changes since a cursor, and pushes: compare-and-swap on each record's revision, all of one push
 * in one transaction with its audit entries.
 */
export function recordRoutes(app: FastifyInstance, {store, limits, authorize}: RouteContext): void {
	app.get<{Params: {vaultId: string}; Querystring: {since?: string; limit?: string}}>(
		'/v1/vaults/:vaultId/changes',
		{schema: {params: vaultParamsSchema, querystring: changesQuerySchema}},
		async (request): Promise<ChangesPage> => {
			const since = queryNumber(request.query.since, 'since', 0, 0, Number.MAX_SAFE_INTEGER);
			const limit = queryNumber(request.query.limit, 'limit', limits.pageSize, 1, limits.pageSize);
			const token = await authorize(request, 'secrets:read');
			const {vaultId} = request.params;
			return store.transaction(async tx => {
				const vault = await reachVault(tx, token, vaultId);
				await requireTeamMember(tx, vaultId, token.user);
				const fetched = await changesSince(tx, {vaultId, since, upTo: vault.lastSeq, user: token.user, limit});
				const rows = withinPageBytes(fetched);
				const more = rows.length < fetched.length || fetched.length === limit;
				// The cursor covers everything up to the vault's sequence at this read when the page is not
				// full. It is never raised to `since`: a client whose cursor is ahead of the server's sequence
				// learns that the server has gone back in time.
				const cursor = more ? rows.at(-1)!.seq : vault.lastSeq;
				// One row per pull, with its count: a row per record returned grew the table by the size of
				// the vault on every sync of every device, for ids the records table already holds.
				await appendAudit(tx, actor(request, token), [{vaultId, recordId: null, action: 'pull', records: rows.length}]);
				return {records: rows.map(row => row.wire), cursor, more};
			});
		},
	);

	app.post<{Params: {vaultId: string}; Body: {records: PushRecord[]}}>(
		'/v1/vaults/:vaultId/records',
		{schema: {params: vaultParamsSchema, querystring: noQuerySchema, body: pushBodySchema(limits.maxRecordsPerRequest)}},
		async (request, reply) => {
			const token = await authorize(request, 'secrets:write');
			const {vaultId} = request.params;
			const {records} = request.body;
			const ids = new Set(records.map(record => record.id));
			if (ids.size !== records.length) {
				throw new ApiError(400, 'invalid_request', 'a record appears twice in one push');
			}

			for (const record of records) {
				if (record.deleted !== (record.values === null)) {
					throw new ApiError(400, 'invalid_request', `record ${record.id}: a deleted record has no values, and a live one has them`);
				}
			}

			const results = await store.transaction(async tx => {
				// Locking the vault's row serialises writers per vault, so sequence numbers are handed out
				// in commit order and a reader's cursor never skips a write that commits later.
				const vault = await reachVault(tx, token, vaultId, store.forUpdate);
				const access = await requireTeamMember(tx, vaultId, token.user);
				let seq = vault.lastSeq;
				const results: PushResult[] = [];
				const audit: AuditInput[] = [];
				const now = new Date().toISOString();
				for (const record of records) {
					const current = await findRecord(tx, vaultId, record.id);
					if (current && current.owner !== null && current.owner !== token.user) {
						results.push({id: record.id, status: 'not_found'});
						audit.push({vaultId, recordId: record.id, action: 'push_refused'});
						continue;
					}

					if (access.team && roleForbids(access.role, current, record.private)) {
						results.push({id: record.id, status: 'forbidden'});
						audit.push({vaultId, recordId: record.id, action: 'push_forbidden'});
						continue;
					}

					const currentRev = current ? current.wire.rev : 0;
					if (record.baseRev !== currentRev || record.rev <= currentRev) {
						results.push({id: record.id, status: 'conflict', current: current ? current.wire : null});
						audit.push({vaultId, recordId: record.id, action: 'push_conflict'});
						continue;
					}

					seq += 1;
					await writeRecord(tx, {vaultId, record, seq, owner: record.private ? token.user : null, exists: current !== null, now});
					results.push({id: record.id, status: 'ok', rev: record.rev, seq});
					audit.push({vaultId, recordId: record.id, action: record.deleted ? 'delete' : current ? 'update' : 'create'});
				}

				await setLastSeq(tx, vaultId, seq);
				await appendAudit(tx, actor(request, token), audit);
				return results;
			});
			const conflict = results.some(result => result.status === 'conflict');
			const response: PushResponse = {results};
			return reply.status(conflict ? 409 : 200).send(response);
		},
	);
}

/**
 * A page's records up to about {@link maxPageBytes} of ciphertext (always at least one): a page of
 * 2,000 large records (up to 512 KiB of base64 each) would otherwise run to a gigabyte, for the
 * server to build and a client to refuse. The rest follow on the next page.
 */
export const maxPageBytes = 16 * 1024 * 1024;

function withinPageBytes(rows: readonly StoredRecord[]): readonly StoredRecord[] {
	let bytes = 0;
	for (const [index, {wire}] of rows.entries()) {
		bytes += sealedChars(wire);
		if (bytes > maxPageBytes && index > 0) {
			return rows.slice(0, index);
		}
	}

	return rows;
}
