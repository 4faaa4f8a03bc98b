import {clockNow} from './shared/clock.js';
import {table} from './shared/format.js';
import type {CommandContext, CommandSpec} from './spec.js';
import {HushError, InvalidInputError} from '../errors.js';
import {defaultTeamAuditLimit, maxTeamAuditPage} from '../protocol/team-audit.js';
import {readRemote} from '../sync/settings.js';

export const audit: CommandSpec = {
	name: 'audit',
	summary: 'Show the access log, or verify its hash chain',
	usage: 'hush audit [NAME] [--since DATE] [--json] | hush audit --verify | hush audit --team [--limit N] [--json]',
	help: `Shows who did what, when, through which command: creates, updates, deletes, renames, and every
read of values (get, show --show-values, run, inject, export). Entries hold record ids; hush decrypts
each secret's metadata to show its name. Deleted secrets are shown by id.

--verify checks the keyed hash chain instead: an edited, deleted or reordered entry, or a removed tail,
is reported with the first broken entry, and the exit status is 1. It also checks the rollback
digest over every record (each read checks the records it reads): a record restored from an older
copy of the vault file fails it, and the exit status is 1.

Options:
  NAME          only entries about that secret (a deleted secret: give its id)
  --since WHEN  only entries from WHEN on: a date (2026-01-31), a time (ISO 8601), or a duration (7d, 12h)
  --json        an array of {seq, at, actor, action, recordId, secret, private, command}
                (secret and private are null for vault-wide entries and deleted secrets)
  --verify      check the chain and the rollback digest; prints how many entries and records were verified
  --team        the server's audit of this team vault (admins of the team only): who pulled, pushed,
                invited, joined or changed the membership, oldest first
  --limit N     with --team: the newest N entries (1–1000, default 100)
                (--json: an array of {seq, at, user, action, recordId, records, secret})

Examples:
  hush audit openai-creds --since 30d
  hush audit --json | jq '.[] | select(.action == "read")'
  hush audit --verify
  hush audit --team --limit 20`,
	flags: {since: {type: 'string'}, json: {type: 'boolean'}, verify: {type: 'boolean'}, team: {type: 'boolean'}, limit: {type: 'number'}},
	args: {min: 0, max: 1, names: '[NAME]'},
	async run(context) {
		const since = context.flags['since'] === undefined ? undefined : parseSince(String(context.flags['since']), clockNow(context.io.env));
		if (context.flags['team'] === true) {
			if (context.args.length > 0 || since !== undefined || context.flags['verify'] === true) {
				throw new InvalidInputError('--team shows the server\'s audit of the whole team vault: drop NAME, --since and --verify');
			}

			await teamAudit(context, teamAuditLimit(context.flags['limit']));
			return;
		}

		if (context.flags['limit'] !== undefined) {
			throw new InvalidInputError('--limit goes with --team');
		}

		if (context.flags['verify'] === true) {
			if (context.args.length > 0 || since !== undefined) {
				throw new InvalidInputError('--verify checks the whole log: drop NAME and --since');
			}

			const vault = await context.vault();
			const result = vault.verifyAuditLog();
			// Unlocking checked it already (a mismatch stops there, exit 1); this is the report.
			const rollback = vault.verifyRollbackDigest();
			if (context.flags['json'] === true) {
				context.printJson({...result, rollbackDigest: {ok: true, records: rollback.records}});
			}

			if (!result.ok) {
				throw new HushError(`audit log broken at entry ${result.firstBroken}: ${result.reason}`);
			}

			context.say(`audit log intact: ${result.entries} ${result.entries === 1 ? 'entry' : 'entries'} verified`);
			context.say(`rollback digest intact: ${rollback.records} ${rollback.records === 1 ? 'record' : 'records'} verified`);
			return;
		}

		const vault = await context.vault();
		const entries = vault.auditLog({reference: context.args[0], since});
		const live = new Map(vault.listSecrets().map(secret => [secret.id, secret]));
		const rows = entries.map(entry => {
			const secret = entry.recordId === null ? undefined : live.get(entry.recordId);
			return {...entry, secret: secret?.name ?? null, private: secret?.private ?? null};
		});
		if (context.flags['json'] === true) {
			context.printJson(rows);
			return;
		}

		if (rows.length === 0) {
			context.say('no audit entries match');
			return;
		}

		context.print(
			table(
				['SEQ', 'TIME', 'ACTOR', 'ACTION', 'SECRET', 'COMMAND'],
				rows.map(row => [
					String(row.seq),
					row.at,
					row.actor,
					row.action,
					row.recordId === null ? '—' : row.secret === null ? `${row.recordId} (deleted)` : `${row.secret}${row.private ? ' (private)' : ''}`,
					row.command,
				]),
			),
		);
	},
};

function teamAuditLimit(value: unknown): number {
	if (value === undefined) {
		return defaultTeamAuditLimit;
	}

	if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 1 || value > maxTeamAuditPage) {
		throw new InvalidInputError(`--limit takes a whole number from 1 to ${maxTeamAuditPage}`);
	}

	return value;
}

/** `hush audit --team`: the server's rows, checked field by field, shown through the table's escaping. */
async function teamAudit(context: CommandContext, limit: number): Promise<void> {
	const vault = await context.vault();
	const store = vault.syncStore();
	const remote = store.read(() => readRemote(store, vault.id));
	if (!remote) {
		throw new HushError('this vault has no remote: the team audit is kept by the team\'s server (hush remote add URL)');
	}

	const {fetchTeamAudit} = await import('../sync/team-audit-client.js');
	const entries = await fetchTeamAudit(remote, {limit});
	const names = new Map(vault.listSecrets().map(secret => [secret.id, secret.name]));
	const rows = entries.map(entry => ({...entry, secret: entry.recordId === null ? null : (names.get(entry.recordId) ?? null)}));
	if (context.flags['json'] === true) {
		context.printJson(rows);
		return;
	}

	if (rows.length === 0) {
		context.say('no audit entries for this team vault');
		return;
	}

	context.print(
		table(
			['SEQ', 'TIME', 'USER', 'ACTION', 'SECRET', 'RECORDS'],
			rows.map(row => [String(row.seq), row.at, row.user, row.action, row.recordId === null ? '—' : (row.secret ?? row.recordId), row.records === null ? '' : String(row.records)]),
		),
	);
}

/** A date, an ISO time, or a duration back from now (`7d`, `12h`, `2w`). */
export function parseSince(text: string, now: number): string {
	const duration = /^(\d+)([hdw])$/.exec(text);
	if (duration) {
		const unit = {h: 3_600_000, d: 86_400_000, w: 604_800_000}[duration[2] as 'h' | 'd' | 'w'];
		return new Date(now - Number(duration[1]) * unit).toISOString();
	}

	const parsed = /^\d{4}-\d{2}-\d{2}/.test(text) ? Date.parse(text) : Number.NaN;
	if (Number.isNaN(parsed)) {
		throw new InvalidInputError(`--since ${JSON.stringify(text)}: use a date (2026-01-31), an ISO time, or a duration (7d, 12h, 2w)`);
	}

	return new Date(parsed).toISOString();
}
