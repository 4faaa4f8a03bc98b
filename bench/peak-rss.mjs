// Peak-memory probe, loaded into a measured process with NODE_OPTIONS=--import=<this file>.
// When the process exits it writes its own peak resident set size in KiB, and where that figure
// came from, to the file named by BENCH_PEAK_RSS_FILE. Plain JavaScript importing only node:fs, so
// it adds almost nothing to what it measures; the baseline (node -e 0) carries the same probe.
//
// On Linux the figure is VmHWM from /proc/self/status, not process.resourceUsage().maxRSS:
// getrusage's maxRSS survives execve, so a child forked from a big parent (the bench, after it
// built a 10,000-secret vault) reports the parent's size instead of its own. VmHWM belongs to the
// process's own address space, which exec replaces. Elsewhere maxRSS is used.
import {readFileSync, writeFileSync} from 'node:fs';

const file = process.env.BENCH_PEAK_RSS_FILE;
if (file) {
	// Children of the measured process (hush run, a pager…) must neither load the probe nor
	// overwrite this process's figure.
	delete process.env.BENCH_PEAK_RSS_FILE;
	delete process.env.NODE_OPTIONS;
	process.on('exit', () => {
		let line = `${process.resourceUsage().maxRSS} maxRSS`;
		try {
			const match = /^VmHWM:\s*(\d+)\s*kB/m.exec(readFileSync('/proc/self/status', 'utf8'));
			if (match) {
				line = `${match[1]} VmHWM`;
			}
		} catch {
			// Not Linux: keep maxRSS.
		}

		writeFileSync(file, `${line}\n`);
	});
}
