import {importCommand} from './import.js';
import {get, list, show} from './read-secret.js';
import {remove, rename} from './manage-secret.js';
import type {CommandSpec} from './spec.js';
import {init, lock, passwd, unlock} from './vault-admin.js';
import {create, set, update} from './write-secret.js';

/** Every command, in the order `hush --help` lists them. */
export const commands: readonly CommandSpec[] = [init, set, create, update, show, get, list, remove, rename, importCommand, unlock, lock, passwd];

export function findCommand(name: string): CommandSpec | undefined {
	return commands.find(command => command.name === name);
}
