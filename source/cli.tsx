#!/usr/bin/env node
import {main} from './commands/main.js';

// Secrets go into files hush creates; nobody else should be able to read any of them.
process.umask(0o077);

// `hush list | head` closes the pipe early: that is not an error.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
	if (error.code === 'EPIPE') {
		process.exit(0);
	}
});

process.exitCode = await main(process.argv.slice(2), {
	// Node makes process.stdin on first use, loading net (a pipe) or fs streams and readline (a
	// file) to do it: only the commands that read or prompt pay for that.
	get stdin() {
		return process.stdin;
	},
	stdout: process.stdout,
	stderr: process.stderr,
	env: process.env,
});
