import {printsTargetValue} from '../vaults.js';
import {type PairedMeasurement, type PairedOptions, type ProcessSpec, type Stats, measureAgainstBaseline} from '../measure.js';
import type {BenchContext, BenchGroup, CommandResult, InProcessResult} from '../types.js';
import {deriveOnce, kdfDescription} from './kdf.js';

/** Issue 2's vault sizes. */
export const vaultSizes = [1000, 10_000] as const;

async function measure(
	context: BenchContext,
	row: Omit<CommandResult, keyof PairedMeasurement>,
	spec: ProcessSpec,
	options: Pick<PairedOptions, 'runs' | 'validate' | 'alongside'>,
): Promise<{result: CommandResult; alongside?: Stats}> {
	const size = row.secrets === null ? '' : ` (${row.secrets.toLocaleString('en-US')} secrets)`;
	const extra = options.alongside ? ' and an in-process KDF derivation' : '';
	context.log(`${row.command}${size}: warm-up, ${options.runs} timed runs, ${context.runs.rss} memory runs, each paired with node -e 0${extra}`);
	const {alongside, ...measured} = await measureAgainstBaseline(spec, {...options, rssRuns: context.runs.rss, scratchDir: context.workDir});
	return {result: {...row, ...measured}, ...(alongside ? {alongside} : {})};
}

export const startupGroup: BenchGroup = {
	name: 'startup',
	description: 'hush --version: start-up cost of the CLI bundle, no vault',
	async run(context) {
		const spec = context.hush(['--version']);
		const {result} = await measure(context, {id: 'version', group: 'startup', command: 'hush --version', secrets: null}, spec, {
			runs: context.runs.fast,
			validate(stdout) {
				if (!/^\d+\.\d+\.\d+/.test(stdout)) {
					throw new Error(`hush --version printed ${JSON.stringify(stdout)}`);
				}
			},
		});
		return {commands: [result]};
	},
};

export const getGroup: BenchGroup = {
	name: 'get',
	description: 'hush get NAME KEY: unlock (argon2id), one lookup, one decryption, one audit entry; the KDF timed beside it',
	vaults: vaultSizes,
	async run(context) {
		const commands: CommandResult[] = [];
		const inProcess: InProcessResult[] = [];
		for (const size of vaultSizes) {
			const vault = context.vault(size);
			const spec = context.hush(['get', vault.target.name, vault.target.key], vault);
			const {result, alongside} = await measure(context, {id: `get@${size}`, group: 'get', command: 'hush get NAME KEY', secrets: size}, spec, {
				runs: context.runs.fast,
				validate: printsTargetValue(vault),
				alongside: deriveOnce,
			});
			commands.push(result);
			if (alongside) {
				inProcess.push({id: `kdf@${size}`, group: 'get', label: `${kdfDescription}, beside get at ${size.toLocaleString('en-US')}`, timing: alongside});
			}
		}

		return {commands, inProcess};
	},
};

export const listGroup: BenchGroup = {
	name: 'list',
	description: 'hush list --json: unlock, decrypt every secret’s metadata, print JSON',
	vaults: vaultSizes,
	async run(context) {
		const commands: CommandResult[] = [];
		for (const size of vaultSizes) {
			const vault = context.vault(size);
			const spec = context.hush(['list', '--json'], vault);
			const {result} = await measure(context, {id: `list@${size}`, group: 'list', command: 'hush list --json', secrets: size}, spec, {
				runs: size >= 10_000 ? context.runs.slow : context.runs.fast,
				validate(stdout) {
					const parsed: unknown = JSON.parse(stdout);
					if (!Array.isArray(parsed) || parsed.length !== size) {
						throw new Error(`hush list --json printed ${Array.isArray(parsed) ? parsed.length : 'no'} secrets, expected ${size}`);
					}
				},
			});
			commands.push(result);
		}

		return {commands};
	},
};
