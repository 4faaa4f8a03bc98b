import {audit} from './audit.js';
import {withAutoSync} from './shared/auto-sync.js';
import {check} from './check.js';
import {clone} from './clone.js';
import {completion} from './completion.js';
import {config} from './config.js';
import {conflicts} from './conflicts.js';
import {create} from './create.js';
import {remove} from './delete.js';
import {exportCommand} from './export.js';
import {get} from './get.js';
import {importCommand} from './import.js';
import {init} from './init.js';
import {inject} from './inject.js';
import {join} from './join.js';
import {list} from './list.js';
import {lock} from './lock.js';
import {mcp} from './mcp.js';
import {passwd} from './passwd.js';
import {remote} from './remote.js';
import {rename} from './rename.js';
import {report} from './report.js';
import {resolve} from './resolve.js';
import {rotate} from './rotate.js';
import {run} from './run.js';
import {serve} from './serve.js';
import {server} from './server.js';
import {set} from './set.js';
import {show} from './show.js';
import type {CommandSpec} from './spec.js';
import {stale} from './stale.js';
import {status} from './status.js';
import {syncCommand} from './sync.js';
import {team} from './team.js';
import {unlock} from './unlock.js';
import {update} from './update.js';
import {whoami} from './whoami.js';

/** Every command, in the order `hush --help` lists them. One file per command, named after it. */
export const commands: readonly CommandSpec[] = [
	init, set, create, update, show, get, list, remove, rename, unlock, lock, passwd,
	run, inject, check, importCommand, exportCommand, report, stale, rotate, audit, mcp,
	remote, syncCommand, clone, status, conflicts, resolve, serve, server,
	whoami, team, join, config, completion,
];

/** Commands that change secrets: followed by a sync when auto-sync is on (see auto-sync.ts). */
const autoSynced = new Set(['set', 'create', 'update', 'delete', 'rename', 'rotate', 'import', 'resolve']);

export function findCommand(name: string): CommandSpec | undefined {
	const command = commands.find(candidate => candidate.name === name);
	return command && autoSynced.has(command.name) ? withAutoSync(command) : command;
}
