import {execFileSync} from 'node:child_process';
import {copyFileSync, existsSync, mkdirSync} from 'node:fs';
import {join} from 'node:path';
import {measureAgainstBaseline} from '../measure.js';
import type {BenchContext, BenchGroup, CommandResult} from '../types.js';
import type {BenchVault} from '../vaults.js';
import {printsTargetValue} from '../vaults.js';
import {startSecretService} from '../../test/helpers/secret-service.js';

/** Issue 4's bar for `hush get` unlocked without a passphrase. */
export const unlockGoal = {medianMs: 150, ratio: 3} as const;
const size = 10_000;

/**
 * `hush get NAME KEY` on the 10,000-secret vault, unlocked by the device key in the OS keychain and
 * by HUSH_SESSION, each beside `node -e 0`. The keychain is a real, private Secret Service
 * (dbus-run-session + gnome-keyring, as in the tests). Both run on a copy of the shared vault, so
 * the other groups keep measuring passphrase unlock.
 */
export const unlockGroup: BenchGroup = {
	name: 'unlock',
	description: 'hush get on 10,000 secrets unlocked by the OS keychain (key slot 2) and by HUSH_SESSION, no KDF',
	vaults: [size],
	async run(context) {
		const shared = context.vault(size);
		const vault: BenchVault = {...shared, home: join(context.workDir, 'vault-unlock')};
		mkdirSync(vault.home, {recursive: true, mode: 0o700});
		for (const suffix of ['', '-wal']) {
			const from = join(shared.home, `vault.db${suffix}`);
			if (existsSync(from)) {
				copyFileSync(from, join(vault.home, `vault.db${suffix}`));
			}
		}

		context.log('starting a private Secret Service (dbus-run-session + gnome-keyring)');
		const keyring = await startSecretService();
		try {
			const hushWith = (args: string[], env: NodeJS.ProcessEnv): string =>
				execFileSync(process.execPath, [context.cli, ...args], {env: {...context.env(vault), ...keyring.env, ...env}, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe']});
			hushWith(['unlock', '--remember'], {});
			const token = hushWith(['unlock', '--raw'], {});
			const commands: CommandResult[] = [];
			const variants: Array<{id: string; command: string; env: NodeJS.ProcessEnv}> = [
				{id: `get-keychain@${size}`, command: 'hush get NAME KEY, unlocked by the keychain', env: {...keyring.env}},
				// No bus at all for the session run: it must not need one.
				{id: `get-session@${size}`, command: 'hush get NAME KEY, unlocked by HUSH_SESSION', env: {HUSH_SESSION: token, DBUS_SESSION_BUS_ADDRESS: undefined}},
			];
			for (const variant of variants) {
				const env: NodeJS.ProcessEnv = {...context.env(vault), ...variant.env};
				delete env['HUSH_PASSPHRASE'];
				for (const [key, value] of Object.entries(variant.env)) {
					if (value === undefined) {
						delete env[key];
					}
				}

				const spec = {executable: context.cli, args: ['get', vault.target.name, vault.target.key], env, cwd: context.workDir};
				context.log(`${variant.command} (${size.toLocaleString('en-US')} secrets): warm-up, ${context.runs.fast} timed runs, ${context.runs.rss} memory runs, each paired with node -e 0`);
				const measured = await measureAgainstBaseline(spec, {
					runs: context.runs.fast,
					rssRuns: context.runs.rss,
					scratchDir: context.workDir,
					validate: printsTargetValue(vault),
				});
				commands.push({id: variant.id, group: 'unlock', command: variant.command, secrets: size, ...measured});
			}

			return {commands};
		} finally {
			await keyring.stop();
		}
	},
};

/** PASS when the median is within both bounds; evaluated by bench/goals.ts. */
export function unlockGoals(commands: readonly CommandResult[]): Array<{id: string; description: string; status: 'PASS' | 'MISS' | 'SKIP'; measured: string}> {
	return (['keychain', 'session'] as const).map(kind => {
		const id = `get-${kind}@${size}`;
		const description = `hush get unlocked by ${kind === 'keychain' ? 'the keychain' : 'HUSH_SESSION'}: median ≤ ${unlockGoal.medianMs} ms and ≤ ${unlockGoal.ratio}× node -e 0 (10,000 secrets)`;
		const result = commands.find(command => command.id === id);
		if (!result) {
			return {id, description, status: 'SKIP', measured: 'needs group unlock'};
		}

		const ratio = result.timing.median / result.baseline.median;
		const pass = result.timing.median <= unlockGoal.medianMs && ratio <= unlockGoal.ratio;
		return {id, description, status: pass ? 'PASS' : 'MISS', measured: `median ${result.timing.median.toFixed(1)} ms, ${ratio.toFixed(2)}× (node -e 0 ${result.baseline.median.toFixed(1)} ms)`};
	});
}
