import {InvalidInputError} from '../errors.js';
import {clockNow} from './shared/clock.js';
import {age, table, visibility} from './shared/format.js';
import type {CommandSpec} from './spec.js';

const dayMs = 86_400_000;

export const stale: CommandSpec = {
	name: 'stale',
	summary: 'List secrets whose values have not changed in N days; exit 1 if any',
	usage: 'hush stale [--days N] [--json]',
	help: `Lists secrets whose values were last changed (created, updated or rotated) more than N days ago,
oldest first, with their age. Exit 1 if there are any, so CI can fail on them; 0 if none.

Options:
  --days N   the threshold in days (default 90)
  --json     an array of SecretSummary objects with "ageDays"

Examples:
  hush stale
  hush stale --days 30 || echo "time to rotate"`,
	flags: {days: {type: 'number'}, json: {type: 'boolean'}},
	args: {min: 0, max: 0, names: ''},
	async run(context) {
		const days = (context.flags['days'] as number | undefined) ?? 90;
		if (days < 0 || !Number.isInteger(days)) {
			throw new InvalidInputError(`--days takes a whole number of days, not ${days}`);
		}

		const now = clockNow(context.io.env);
		const vault = await context.vault();
		const cutoff = now - days * dayMs;
		const found = vault
			.listSecrets({sort: 'name'})
			.filter(secret => Date.parse(secret.updatedAt) < cutoff)
			.sort((a, b) => (a.updatedAt < b.updatedAt ? -1 : a.updatedAt > b.updatedAt ? 1 : 0));
		if (context.flags['json'] === true) {
			context.printJson(found.map(secret => ({...secret, ageDays: Math.floor((now - Date.parse(secret.updatedAt)) / dayMs)})));
		} else if (found.length > 0) {
			context.print(
				table(
					['NAME', 'VISIBILITY', 'UPDATED', 'AGE'],
					found.map(secret => [secret.name, visibility(secret), secret.updatedAt, age(secret.updatedAt, now)]),
				),
			);
		}

		if (found.length > 0) {
			context.say(`hush: ${found.length} ${found.length === 1 ? 'secret has' : 'secrets have'} not changed in over ${days} days: rotate with hush rotate NAME KEY`);
			return 1;
		}

		context.say(`no secret is older than ${days} days`);
	},
};
