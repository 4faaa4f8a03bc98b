import {audit} from './audit.js';
import {check} from './check.js';
import {report, stale} from './governance.js';
import {exportCommand} from './export.js';
import {importCommand} from './import.js';
import {inject} from './inject.js';
import {mcp} from './mcp.js';
import {withAutoSync} from './auto-sync.js';
import {get, list, show} from './read-secret.js';
import {rotate} from './rotate.js';
import {run} from './run.js';
import {remove, rename} from './manage-secret.js';
import {serve, server} from './server.js';
import type {CommandSpec} from './spec.js';
import {clone} from './clone.js';
import {conflicts} from './conflicts.js';
import {remote} from './remote.js';
import {resolve} from './resolve.js';
import {status} from './status.js';
import {syncCommand} from './sync.js';
import {init} from './init.js';
import {lock} from './lock.js';
import {passwd} from './passwd.js';
import {unlock} from './unlock.js';
import {create, set, update} from './write-secret.js';

/** Every command, in the order `hush --help` lists them. */
export const commands: readonly CommandSpec[] = [
	init, set, create, update, show, get, list, remove, rename, unlock, lock, passwd,
	run, inject, check, importCommand, exportCommand, report, stale, rotate, audit, mcp,
	remote, syncCommand, clone, status, conflicts, resolve, serve, server,
];

/** Commands that change secrets: followed by a sync when auto-sync is on (see auto-sync.ts). */
const autoSynced = new Set(['set', 'create', 'update', 'delete', 'rename', 'rotate', 'import', 'resolve']);

export function findCommand(name: string): CommandSpec | undefined {
	const command = commands.find(candidate => candidate.name === name);
	return command && autoSynced.has(command.name) ? withAutoSync(command) : command;
}
