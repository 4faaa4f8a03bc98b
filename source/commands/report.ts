import type {SecretSummary} from '../vault/model.js';
import {clockNow} from './shared/clock.js';
import type {CommandSpec} from './spec.js';
import {visible} from '../text/visible.js';

const dayMs = 86_400_000;
const expiryWindowDays = 30;

export type Inventory = {
	total: number;
	byType: Record<string, number>;
	byVisibility: {private: number; public: number};
	byIntegration: Record<string, number>;
	writeOnly: number;
	/** Secrets an AI agent created through hush mcp. */
	createdByAgent: Array<{name: string; private: boolean}>;
	neverUsed: string[];
	expiringSoon: Array<{name: string; private: boolean; expiresAt: string; expired: boolean}>;
};

export function inventory(secrets: readonly SecretSummary[], now: number): Inventory {
	const count = (into: Record<string, number>, key: string) => {
		into[key] = (into[key] ?? 0) + 1;
	};

	const report: Inventory = {total: secrets.length, byType: {}, byVisibility: {private: 0, public: 0}, byIntegration: {}, writeOnly: 0, createdByAgent: [], neverUsed: [], expiringSoon: []};
	for (const secret of secrets) {
		count(report.byType, secret.type);
		report.byVisibility[secret.private ? 'private' : 'public']++;
		count(report.byIntegration, secret.integration || '(none)');
		report.writeOnly += secret.writeOnly ? 1 : 0;
		if (secret.createdByAgent) {
			report.createdByAgent.push({name: secret.name, private: secret.private});
		}

		if (secret.lastUsedAt === null) {
			report.neverUsed.push(secret.name);
		}

		if (secret.expiresAt !== null && Date.parse(secret.expiresAt) <= now + expiryWindowDays * dayMs) {
			report.expiringSoon.push({name: secret.name, private: secret.private, expiresAt: secret.expiresAt, expired: Date.parse(secret.expiresAt) <= now});
		}
	}

	report.expiringSoon.sort((a, b) => (a.expiresAt < b.expiresAt ? -1 : a.expiresAt > b.expiresAt ? 1 : 0));
	return report;
}

export const report: CommandSpec = {
	name: 'report',
	summary: 'Inventory: totals by type, visibility and integration; unused and expiring secrets',
	usage: 'hush report [--json]',
	help: `Counts secrets by type, by visibility and by integration, and write-only ones; lists secrets an
AI agent created (through hush mcp), secrets never used (no read, inject or export in the audit log)
and those expiring within ${expiryWindowDays} days (or already expired). Reads metadata only.

Options:
  --json   the same as one object

Examples:
  hush report
  hush report --json | jq '.expiringSoon[].name'`,
	flags: {json: {type: 'boolean'}},
	args: {min: 0, max: 0, names: ''},
	async run(context) {
		const now = clockNow(context.io.env);
		const vault = await context.vault();
		const result = inventory(vault.listSecrets(), now);
		if (context.flags['json'] === true) {
			context.printJson(result);
			return;
		}

		const counts = (record: Record<string, number>) =>
			Object.entries(record)
				.sort(([a], [b]) => (a < b ? -1 : 1))
				.map(([key, value]) => `${visible(key)} ${value}`)
				.join(', ') || '—';
		const lines = [
			`secrets        ${result.total}`,
			`by type        ${counts(result.byType)}`,
			`by visibility  private ${result.byVisibility.private}, public ${result.byVisibility.public}`,
			`by integration ${counts(result.byIntegration)}`,
			`write-only     ${result.writeOnly}`,
			`made by agents ${result.createdByAgent.length}${result.createdByAgent.length > 0 ? `: ${result.createdByAgent.map(entry => `${visible(entry.name)} (${entry.private ? 'private' : 'public'})`).join(', ')}` : ''}`,
			// One name a line: a vault of hundreds made this one line of thousands of characters.
			`never used     ${result.neverUsed.length}`,
			...result.neverUsed.map(name => `  ${visible(name)}`),
			`expiring within ${expiryWindowDays} days: ${result.expiringSoon.length}`,
			...result.expiringSoon.map(entry => `  ${visible(entry.name)} (${entry.private ? 'private' : 'public'})  ${visible(entry.expiresAt)}${entry.expired ? '  EXPIRED' : ''}`),
		];
		context.print(`${lines.join('\n')}\n`);
	},
};
