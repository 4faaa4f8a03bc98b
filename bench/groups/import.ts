import {mkdirSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {Vault} from '../../source/vault/vault.js';
import {runOnce, summarize} from '../measure.js';
import type {BenchGroup, InProcessResult} from '../types.js';
import {benchPassphrase} from '../vaults.js';

const size = 10_000;

/** The cheapest KDF hush accepts: the import's own cost is what is timed, not the unlock. */
const floorKdf = {memory: 19_456, passes: 2, parallelism: 1};

/** A backup as `hush export --all --format json` writes it, of `count` varied secrets. */
function backupDocument(count: number): string {
	const secrets = Array.from({length: count}, (_, index) => ({
		name: `svc-${index}`,
		private: index % 3 === 0,
		type: index % 2 === 0 ? 'token' : 'env_var',
		description: `service ${index}`,
		integration: 'bench',
		writeOnly: index % 11 === 0,
		expiresAt: null,
		createdAt: '2025-01-02T03:04:05.000Z',
		createdBy: 'bench',
		createdByAgent: false,
		updatedAt: '2025-06-07T08:09:10.000Z',
		values: {API_KEY: `key-${index}-${'k'.repeat(24 + (index % 40))}`, ...(index % 5 === 0 ? {USER: `user-${index}`} : {})},
	}));
	return JSON.stringify({format: 'hush-export', version: 1, exportedAt: '2025-06-07T08:09:10.000Z', includesWriteOnly: true, secrets, leftOut: []});
}

/**
 * `hush import json` of 10,000 secrets into a fresh vault (one transaction), and `hush export
 * --all` of them back, each end to end as a user runs them. Every import needs an empty vault, so
 * each run gets its own (made beforehand, untimed); runs are few because each one is long.
 */
export const importGroup: BenchGroup = {
	name: 'import',
	description: `hush import json and hush export --all --format json of ${size.toLocaleString('en-US')} secrets, end to end`,
	async run(context) {
		const runs = Math.min(context.runs.slow, 3);
		const file = join(context.workDir, 'import-backup.json');
		writeFileSync(file, backupDocument(size));
		const imports: number[] = [];
		const exports: number[] = [];
		for (let run = 0; run < runs; run++) {
			const home = join(context.workDir, `import-${run}`);
			mkdirSync(home);
			const vault = await Vault.init({home, passphrase: benchPassphrase, kdf: floorKdf, actor: 'bench', command: 'bench'});
			vault.close();
			const env = {...context.env(), HUSH_HOME: home};
			const imported = await runOnce({executable: context.cli, args: ['import', 'json', file], env, cwd: context.workDir}, {capture: true});
			if (!imported.stderr.includes(`Imported ${size} secrets`)) {
				throw new Error(`hush import json said: ${imported.stderr.trim()}`);
			}

			imports.push(imported.ms);
			const exported = await runOnce({executable: context.cli, args: ['export', '--all', '--format', 'json', '--include-write-only'], env, cwd: context.workDir}, {capture: true});
			const count = (JSON.parse(exported.stdout) as {secrets: unknown[]}).secrets.length;
			if (count !== size) {
				throw new Error(`hush export --all gave ${count} secrets, not ${size}`);
			}

			exports.push(exported.ms);
			context.log(`  run ${run + 1}/${runs}: import ${(imported.ms / 1000).toFixed(1)} s, export ${(exported.ms / 1000).toFixed(1)} s`);
		}

		const inProcess: InProcessResult[] = [
			{id: `import-json@${size}`, group: 'import', label: `hush import json, ${size.toLocaleString('en-US')} secrets in one transaction (end to end, KDF at the floor)`, timing: summarize(imports)},
			{id: `export-all@${size}`, group: 'import', label: `hush export --all --format json, ${size.toLocaleString('en-US')} secrets (end to end, KDF at the floor)`, timing: summarize(exports)},
		];
		return {inProcess};
	},
};
