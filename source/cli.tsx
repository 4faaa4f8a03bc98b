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
	stdin: process.stdin,
	stdout: process.stdout,
	stderr: process.stderr,
	env: process.env,
});
