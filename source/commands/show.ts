import {clockNow} from './shared/clock.js';
import {age, mask, visibility} from './shared/format.js';
import {privateFlag} from './shared/secret-flags.js';
import type {CommandSpec} from './spec.js';
import {ValuesUnavailableError, WriteOnlyError} from '../errors.js';
import type {SecretSummary} from '../vault/model.js';
import {visible, visibleLines} from '../text/visible.js';

export const show: CommandSpec = {
	name: 'show',
	summary: 'Show a secret\'s metadata and keys, values masked',
	usage: 'hush show NAME [--show-values] [--private=true|false] [--json]',
	help: `Shows metadata, key names and each value's length in characters; values stay masked unless
--show-values (which is logged in the audit log). Counting the characters opens the values but is
no read: nothing is logged. Write-only secrets never show their values, only their lengths. A
length one more than expected is often a trailing newline from a file: see hush set --help.

Options:
  --show-values         print the values too
  --private=true|false  pick the private or public secret of that name
  --json                print a SecretSummary object with "lengths" (KEY: characters), or
                        with "values" instead when --show-values

Examples:
  hush show openai-creds
  hush show openai-creds --show-values --json | jq -r .values.OPENAI_API_KEY`,
	flags: {showValues: {type: 'boolean'}, private: {type: 'boolean'}, json: {type: 'boolean'}},
	args: {min: 1, max: 1, names: 'NAME'},
	async run(context) {
		const now = clockNow(context.io.env);
		const vault = await context.vault();
		const lookup = {private: privateFlag(context.flags)};
		const reference = context.args[0]!;
		if (context.flags['showValues'] === true) {
			let revealed;
			try {
				revealed = vault.revealSecret(reference, {...lookup, allowWriteOnly: false});
			} catch (error) {
				if (!(error instanceof WriteOnlyError || error instanceof ValuesUnavailableError)) {
					throw error;
				}

				// Values this caller may not open are marked, not fatal: the rest of the secret still shows.
				const summary = vault.describeSecret(reference, lookup);
				const why = error instanceof WriteOnlyError ? 'unavailable (write-only: used by hush run and hush inject only)' : 'unavailable (your team role opens names and keys, not values)';
				if (context.flags['json'] === true) {
					context.printJson({...summary, values: Object.fromEntries(summary.keys.map(key => [key, null])), unavailable: summary.keys});
				} else {
					context.print(describe(summary, now, () => why));
				}

				return;
			}

			try {
				const {summary} = revealed;
				if (context.flags['json'] === true) {
					context.printJson({...summary, values: revealed.values});
				} else {
					context.print(describe(summary, now, key => `${indent(visibleLines(revealed.get(key)))}  ${count([...revealed.get(key)].length)}`));
				}
			} finally {
				revealed.wipe();
			}

			return;
		}

		const {summary, lengths} = vault.measureSecret(reference, lookup);
		if (context.flags['json'] === true) {
			context.printJson(lengths ? {...summary, lengths} : {...summary, unavailable: summary.keys});
		} else if (lengths) {
			context.print(describe(summary, now, key => `${summary.writeOnly ? '(write-only)' : mask}  ${count(lengths[key])}`));
		} else {
			context.print(describe(summary, now, () => 'unavailable (your team role opens names and keys, not values)'));
		}
	},
};

/** Every field one line, control characters made visible; a revealed value keeps its line breaks. */
function describe(summary: SecretSummary, now: number, value: (key: string) => string): string {
	const rows: Array<[string, string]> = [
		['id', summary.id],
		['visibility', visibility(summary)],
		['type', summary.type],
		['description', summary.description || '—'],
		['integration', summary.integration || '—'],
		['write-only', summary.writeOnly ? 'yes' : 'no'],
		['created', `${summary.createdAt} by ${summary.createdBy}`],
		['agent-made', summary.createdByAgent ? 'yes: an AI agent created it through hush mcp' : 'no'],
		['updated', `${summary.updatedAt} (${age(summary.updatedAt, now)})`],
		['last used', summary.lastUsedAt ? `${summary.lastUsedAt} (${age(summary.lastUsedAt, now)})` : 'never'],
		['expires', summary.expiresAt ?? 'never'],
	];
	const keys = summary.keys.map(key => visible(key));
	const width = Math.max(...keys.map(key => key.length), 0);
	return [
		visible(summary.name),
		...rows.map(([label, text]) => `  ${label.padEnd(12)} ${visible(text)}`),
		'  keys',
		...summary.keys.map((key, index) => `    ${keys[index]!.padEnd(width)}  ${value(key)}`),
		'',
	].join('\n');
}

function count(length: number | undefined): string {
	return `(${length ?? 0} ${length === 1 ? 'char' : 'chars'})`;
}

/** Multi-line values (certificates) continue under their first line. */
function indent(text: string): string {
	return text.replaceAll('\n', '\n      ');
}
