#!/usr/bin/env -S node --min-semi-space-size=4 --max-semi-space-size=4
// The `hush` executable (dist/cli.js). The V8 flags fix the young generation's size: listing 100,000
// secrets makes much short-lived garbage, and V8's default young generation on a machine with
// gigabytes of memory doubled hush list's peak memory (275 MiB against 135 MiB at 100,000), for no
// gain in time. V8 starts it at 1 MiB and grows it by collecting: `hush get` paid two scavenges
// (about 8 ms) on the way, and none once it starts at its full 4 MiB. A flag is read only when V8
// starts, hence the shebang (env -S: GNU coreutils 8.30 and later, the BSDs and macOS) and the
// re-executed CLI below carrying it too. It must run on any Node from 18 on: hush itself needs Node 24
// (node:sqlite), which it depends on through the `node` npm package, while the `node` on a person's
// PATH is often older. On Node 24 it loads the CLI in this process, so `hush get` pays for no second
// process; on an older Node it re-executes the CLI with the Node 24 hush was installed with.
// Built for node18 by scripts/build.js, so nothing here may need a newer Node.
// No static imports of Node's modules: an ESM import of one builds its whole export list, which
// runs every lazy getter (node:process makes process.stdin, node:fs loads fs/promises, ...), and
// on Node 24 nothing below but the check and the import is needed. The fallback imports its own.

const neededMajor = 24;
/** The shebang's V8 flags, for the CLI re-executed on Node 24. */
const v8Flags = ['--min-semi-space-size=4', '--max-semi-space-size=4'];
const cli = new URL('hush.js', import.meta.url);

function canRunHere(): boolean {
	const major = Number(process.versions.node.split('.')[0]);
	// process.getBuiltinModule arrived in Node 22.3 (and 20.16): absent on an 18, which gets this far.
	return major >= neededMajor && typeof process.getBuiltinModule === 'function' && process.getBuiltinModule('node:sqlite') !== undefined;
}

/** The Node 24 binary of the `node` package hush depends on, or why there is none. */
async function bundledNode(from: string): Promise<{path: string} | {problem: string}> {
	const [{accessSync, constants, readFileSync}, nodeModule, {dirname, join}] = await Promise.all([import('node:fs'), import('node:module'), import('node:path')]);
	let manifestPath: string;
	try {
		manifestPath = nodeModule.createRequire(from).resolve('node/package.json');
	} catch {
		return {problem: "its 'node' package is not installed"};
	}

	try {
		const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as {version?: unknown; bin?: unknown};
		const major = typeof manifest.version === 'string' ? Number(manifest.version.split('.')[0]) : 0;
		if (!(major >= neededMajor)) {
			return {problem: `its 'node' package is version ${String(manifest.version)}`};
		}

		const bin = typeof manifest.bin === 'object' && manifest.bin !== null ? (manifest.bin as Record<string, unknown>)['node'] : manifest.bin;
		const path = join(dirname(manifestPath), typeof bin === 'string' ? bin : 'bin/node');
		accessSync(path, constants.X_OK);
		return {path};
	} catch {
		return {problem: "its 'node' package has no runnable Node binary (were install scripts disabled?)"};
	}
}

// Ctrl-C and Ctrl-\ at a terminal reach the whole foreground process group, the child included:
// passing them on too would deliver them twice. Sent by anything else (kill, a CI runner), they are.
const forwarded = ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGQUIT', 'SIGUSR2'] as const;

async function runWith(node: string): Promise<void> {
	// Imported here: on Node 24, the usual case, nothing is spawned and child_process (with net and
	// dgram behind it) would only slow every start.
	const [{spawn}, {fileURLToPath}] = await Promise.all([import('node:child_process'), import('node:url')]);
	const child = spawn(node, [...v8Flags, fileURLToPath(cli), ...process.argv.slice(2)], {stdio: 'inherit'});
	const atTerminal = Boolean(process.stdin.isTTY || process.stderr.isTTY);
	const forward = (signal: NodeJS.Signals) => {
		if (!(atTerminal && (signal === 'SIGINT' || signal === 'SIGQUIT'))) {
			child.kill(signal);
		}
	};

	for (const signal of forwarded) {
		process.on(signal, forward);
	}

	child.once('error', error => {
		process.stderr.write(`hush: cannot start Node ${neededMajor} (${node}): ${(error as NodeJS.ErrnoException).code ?? 'unknown error'}\n`);
		process.exit(1);
	});
	child.once('exit', (code, signal) => {
		for (const name of forwarded) {
			process.off(name, forward);
		}

		if (signal) {
			// Die the way the child died, so a shell or CI runner sees the signal too.
			process.kill(process.pid, signal);
			return;
		}

		process.exit(code ?? 1);
	});
}

if (canRunHere()) {
	await import(cli.href);
} else {
	const node = await bundledNode(import.meta.url);
	if ('path' in node) {
		await runWith(node.path);
	} else {
		process.stderr.write(`hush: needs Node.js ${neededMajor} or newer (this is Node ${process.versions.node}) and ${node.problem}: reinstall hush with npm (scripts enabled) or run it with Node ${neededMajor}\n`);
		process.exitCode = 1;
	}
}
