import {measureAgainstBaseline} from '../measure.js';
import type {BenchGroup} from '../types.js';
import {deriveOnce, kdfDescription} from './kdf.js';

const size = 10_000;
const goal = 3;

/**
 * `hush run --secret NAME -- true` on the 10,000-secret vault: unlock (argon2id), resolve one
 * secret, one decryption and one audit entry, spawn `true` with masking pipes, pass its exit code
 * back. One KDF derivation is timed beside every run, as for get, so the KDF's share is reported
 * on its own; the goal (issue 5) is the rest of the command within 3× `node -e 0`.
 */
export const runGroup: BenchGroup = {
	name: 'run',
	description: 'hush run --secret NAME -- true: unlock, one secret injected, spawn, exit code back; the KDF timed beside it',
	vaults: [size],
	async run(context) {
		const vault = context.vault(size);
		const spec = context.hush(['run', '--secret', vault.target.name, '--', 'true'], vault);
		context.log(`hush run -- true (${size.toLocaleString('en-US')} secrets): warm-up, ${context.runs.fast} timed runs, ${context.runs.rss} memory runs, each paired with node -e 0 and an in-process KDF derivation`);
		const {alongside, ...measured} = await measureAgainstBaseline(spec, {
			runs: context.runs.fast,
			rssRuns: context.runs.rss,
			scratchDir: context.workDir,
			validate(stdout) {
				if (stdout !== '') {
					throw new Error(`hush run -- true printed ${JSON.stringify(stdout.slice(0, 80))}`);
				}
			},
			alongside: deriveOnce,
		});
		const kdf = alongside!;
		const withoutKdf = measured.timing.median - kdf.median;
		const ratio = withoutKdf / measured.baseline.median;
		context.log(
			`run@${size}: median ${measured.timing.median.toFixed(1)} ms, KDF ${kdf.median.toFixed(1)} ms, without the KDF ${withoutKdf.toFixed(1)} ms = ${ratio.toFixed(2)}× node -e 0 (${measured.baseline.median.toFixed(1)} ms): goal ≤ ${goal}× ${ratio <= goal ? 'PASS' : 'MISS'}`,
		);
		return {
			commands: [{id: `run@${size}`, group: 'run', command: 'hush run --secret NAME -- true', secrets: size, ...measured}],
			inProcess: [{id: `kdf-run@${size}`, group: 'run', label: `${kdfDescription}, beside run at ${size.toLocaleString('en-US')}`, timing: kdf}],
		};
	},
};
