import {getGroup, listGroup, startupGroup} from './groups/cli.js';
import {importGroup} from './groups/import.js';
import {kdfGroup} from './groups/kdf.js';
import {runGroup} from './groups/run.js';
import {tuiGroup} from './groups/tui.js';
import {filterGroup} from './groups/filter.js';
import {unlockGroup} from './groups/unlock.js';
import {syncGroup} from './groups/sync.js';
import {teamServerGroup} from './groups/team-server.js';
import {teamFlowsGroup} from './groups/team-flows.js';
import {teamGroup} from './groups/team.js';
import {scaleGroup} from './groups/scale.js';
import type {BenchGroup} from './types.js';

/**
 * Every benchmark group, in the order `npm run bench` runs them. To add one (TUI first frame,
 * keychain unlock, hush run, sync…), write a module under bench/groups/ that exports a
 * {@link BenchGroup} and list it here; goals that use its results go in bench/goals.ts.
 */
export const groups: readonly BenchGroup[] = [startupGroup, getGroup, listGroup, scaleGroup, kdfGroup, unlockGroup, runGroup, tuiGroup, filterGroup, syncGroup, importGroup, teamGroup, teamServerGroup, teamFlowsGroup];

export function findGroup(name: string): BenchGroup | undefined {
	return groups.find(group => group.name === name);
}
