import type {CommandSpec} from './spec.js';

/**
 * Every command, in the order `hush --help` lists them; one file per command, named after it. Each
 * file is imported only when its command runs, so `hush get` loads `get` and what `get` needs, not
 * the sync client, the importers or the server (see scripts/build.js: each becomes its own chunk).
 */
const loaders: Record<string, () => Promise<CommandSpec>> = {
	init: async () => (await import('./init.js')).init,
	set: async () => (await import('./set.js')).set,
	create: async () => (await import('./create.js')).create,
	update: async () => (await import('./update.js')).update,
	show: async () => (await import('./show.js')).show,
	get: async () => (await import('./get.js')).get,
	list: async () => (await import('./list.js')).list,
	delete: async () => (await import('./delete.js')).remove,
	rename: async () => (await import('./rename.js')).rename,
	unlock: async () => (await import('./unlock.js')).unlock,
	lock: async () => (await import('./lock.js')).lock,
	passwd: async () => (await import('./passwd.js')).passwd,
	run: async () => (await import('./run.js')).run,
	inject: async () => (await import('./inject.js')).inject,
	check: async () => (await import('./check.js')).check,
	import: async () => (await import('./import.js')).importCommand,
	export: async () => (await import('./export.js')).exportCommand,
	report: async () => (await import('./report.js')).report,
	stale: async () => (await import('./stale.js')).stale,
	rotate: async () => (await import('./rotate.js')).rotate,
	audit: async () => (await import('./audit.js')).audit,
	mcp: async () => (await import('./mcp.js')).mcp,
	remote: async () => (await import('./remote.js')).remote,
	sync: async () => (await import('./sync.js')).syncCommand,
	clone: async () => (await import('./clone.js')).clone,
	status: async () => (await import('./status.js')).status,
	conflicts: async () => (await import('./conflicts.js')).conflicts,
	resolve: async () => (await import('./resolve.js')).resolve,
	serve: async () => (await import('./serve.js')).serve,
	server: async () => (await import('./server.js')).server,
	whoami: async () => (await import('./whoami.js')).whoami,
	team: async () => (await import('./team.js')).team,
	join: async () => (await import('./join.js')).join,
	config: async () => (await import('./config.js')).config,
	completion: async () => (await import('./completion.js')).completion,
};

/** Every command's name, in help order, without loading any command. */
export const commandNames: readonly string[] = Object.keys(loaders);

/** Commands that change secrets: followed by a sync when auto-sync is on (see auto-sync.ts). */
const autoSynced = new Set(['set', 'create', 'update', 'delete', 'rename', 'rotate', 'import', 'resolve']);

/** The command called `name`, loaded; undefined when there is none. */
export async function loadCommand(name: string): Promise<CommandSpec | undefined> {
	const load = Object.hasOwn(loaders, name) ? loaders[name] : undefined;
	if (load === undefined) {
		return undefined;
	}

	const command = await load();
	if (command.name !== name) {
		throw new Error(`the registry's ${name} loads the command ${command.name}`);
	}

	if (!autoSynced.has(name)) {
		return command;
	}

	const {withAutoSync} = await import('./shared/auto-sync.js');
	return withAutoSync(command);
}

/** Every command, loaded (for `hush --help` and completion, which need them all). */
export async function loadCommands(): Promise<CommandSpec[]> {
	return Promise.all(commandNames.map(async name => (await loadCommand(name))!));
}
