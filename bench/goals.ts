import {scaleGoalResults} from './groups/scale.js';
import {syncGoalResults} from './groups/sync.js';
import {unlockGoals} from './groups/unlock.js';
import type {CommandResult, InProcessResult} from './types.js';

/** A figure computed from others, e.g. `hush get` minus the KDF. */
export type DerivedResult = {
	id: string;
	label: string;
	ms: number;
	/** The `node -e 0` median the command was paired with. */
	baselineMs: number;
	ratio: number;
};

export type GoalStatus = 'PASS' | 'MISS' | 'SKIP';

export type GoalResult = {
	id: string;
	description: string;
	status: GoalStatus;
	/** What was measured, in words, or why the goal was skipped. */
	measured: string;
};

type Results = {commands: readonly CommandResult[]; inProcess: readonly InProcessResult[]};

const sizes = [1000, 10_000];
const getOverheadLimit = 3;
const listLimitMs = 1500;

const count = (size: number): string => size.toLocaleString('en-US');

/**
 * `hush get` minus one KDF derivation. The derivation timed beside that very get's runs is preferred
 * (same moments, same noise on a busy machine); the standalone `kdf` group is the fallback.
 */
export function derive(results: Results): DerivedResult[] {
	const derived: DerivedResult[] = [];
	for (const size of sizes) {
		const get = results.commands.find(result => result.id === `get@${size}`);
		const kdf = results.inProcess.find(result => result.id === `kdf@${size}`) ?? results.inProcess.find(result => result.id === 'kdf');
		if (get && kdf) {
			const ms = get.timing.median - kdf.timing.median;
			derived.push({
				id: `get-minus-kdf@${size}`,
				label: `hush get minus KDF, ${count(size)} secrets`,
				ms,
				baselineMs: get.baseline.median,
				ratio: ms / get.baseline.median,
			});
		}
	}

	return derived;
}

/** Issue 2's bar. A MISS is reported, never fatal: a slow machine must not fail a build. */
export function evaluateGoals(results: Results, derived: readonly DerivedResult[]): GoalResult[] {
	const goals: GoalResult[] = [];
	for (const size of sizes) {
		const description = `hush get minus KDF within ${getOverheadLimit}× node -e 0 (${count(size)} secrets)`;
		const figure = derived.find(result => result.id === `get-minus-kdf@${size}`);
		goals.push(
			figure
				? {
						id: `get-minus-kdf@${size}`,
						description,
						status: figure.ratio <= getOverheadLimit ? 'PASS' : 'MISS',
						measured: `${figure.ratio.toFixed(2)}× (${figure.ms.toFixed(1)} ms vs ${figure.baselineMs.toFixed(1)} ms)`,
					}
				: {id: `get-minus-kdf@${size}`, description, status: 'SKIP', measured: 'needs group get'},
		);
	}

	const list = results.commands.find(result => result.id === 'list@10000');
	const description = `hush list --json under ${listLimitMs / 1000} s (10,000 secrets)`;
	goals.push(
		list
			? {id: 'list@10000', description, status: list.timing.median < listLimitMs ? 'PASS' : 'MISS', measured: `median ${list.timing.median.toFixed(0)} ms`}
			: {id: 'list@10000', description, status: 'SKIP', measured: 'needs group list'},
	);
	goals.push(...unlockGoals(results.commands));
	goals.push(...scaleGoalResults(results.commands));
	goals.push(...syncGoalResults(results.inProcess));
	return goals;
}
