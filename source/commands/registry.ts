import {withAutoSync} from './auto-sync.js';
import {get, list, show} from './read-secret.js';
import {remove, rename} from './manage-secret.js';
import {serve, server} from './server.js';
import type {CommandSpec} from './spec.js';
import {clone, conflicts, remote, resolve, status, syncCommand} from './sync.js';
import {init, lock, passwd} from './vault-admin.js';
import {create, set, update} from './write-secret.js';

/** Every command, in the order `hush --help` lists them. */
export const commands: readonly CommandSpec[] = [init, set, create, update, show, get, list, remove, rename, lock, passwd, remote, syncCommand, clone, status, conflicts, resolve, serve, server];

/** Commands that change secrets: followed by a sync when auto-sync is on (see auto-sync.ts). */
const autoSynced = new Set(['set', 'create', 'update', 'delete', 'rename', 'resolve']);

export function findCommand(name: string): CommandSpec | undefined {
	const command = commands.find(candidate => candidate.name === name);
	return command && autoSynced.has(command.name) ? withAutoSync(command) : command;
}
