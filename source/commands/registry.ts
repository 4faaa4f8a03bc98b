import {audit} from './audit.js';
import {check} from './check.js';
import {report, stale} from './governance.js';
import {exportCommand} from './export.js';
import {importCommand} from './import.js';
import {inject} from './inject.js';
import {mcp} from './mcp.js';
import {get, list, show} from './read-secret.js';
import {rotate} from './rotate.js';
import {run} from './run.js';
import {remove, rename} from './manage-secret.js';
import type {CommandSpec} from './spec.js';
import {init, lock, passwd, unlock} from './vault-admin.js';
import {create, set, update} from './write-secret.js';

/** Every command, in the order `hush --help` lists them. */
export const commands: readonly CommandSpec[] = [
	init, set, create, update, show, get, list, remove, rename, unlock, lock, passwd,
	run, inject, check, importCommand, exportCommand, report, stale, rotate, audit, mcp,
];

export function findCommand(name: string): CommandSpec | undefined {
	return commands.find(command => command.name === name);
}
