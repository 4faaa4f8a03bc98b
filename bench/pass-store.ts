import {execFileSync, spawnSync} from 'node:child_process';
import {mkdirSync, readdirSync, renameSync, rmSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';

/**
 * A `pass` store (gpg) of `size` entries, made for the comparison beside hush in the scale group:
 * a throwaway GNUPGHOME with one passphrase-less key (the analogue of hush unlocked by a session),
 * and each entry one gpg-encrypted file as `pass insert` writes it. The entries are encrypted in
 * one `gpg --encrypt-files` run rather than a thousand `pass insert`s, which only makes set-up
 * faster; what is timed is `pass show` and `pass ls` themselves.
 */

export type PassStore = {env: NodeJS.ProcessEnv; entry: string; value: string; close(): void};

export function passInstalled(): boolean {
	return !spawnSync('pass', ['version'], {stdio: 'ignore'}).error;
}

export function makePassStore(dir: string, size: number, baseEnv: NodeJS.ProcessEnv): PassStore {
	const gnupg = join(dir, 'gnupg');
	const store = join(dir, 'store');
	const staging = join(dir, 'plain');
	for (const folder of [gnupg, store, staging]) {
		mkdirSync(folder, {recursive: true, mode: 0o700});
	}

	const env: NodeJS.ProcessEnv = {...baseEnv, GNUPGHOME: gnupg, PASSWORD_STORE_DIR: store};
	const gpg = (args: string[]) => execFileSync('gpg', ['--batch', '--yes', '--quiet', ...args], {env, stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8'});
	gpg(['--pinentry-mode', 'loopback', '--passphrase', '', '--quick-gen-key', 'hush bench <bench@localhost>', 'default', 'default', 'never']);
	const fingerprint = /^fpr:+([0-9A-F]{40}):/m.exec(gpg(['--with-colons', '--list-keys']))?.[1];
	if (!fingerprint) {
		throw new Error('gpg made no key for the pass store');
	}

	execFileSync('pass', ['init', fingerprint], {env, stdio: 'ignore'});
	const names = Array.from({length: size}, (_, index) => `bench/secret-${String(index).padStart(6, '0')}`);
	const files = names.map((_, index) => join(staging, `${index}`));
	for (const [index, file] of files.entries()) {
		writeFileSync(file, `value-${index}-${'x'.repeat(24)}\n`, {mode: 0o600});
	}

	gpg(['--recipient', fingerprint, '--encrypt-files', ...files]);
	mkdirSync(join(store, 'bench'), {mode: 0o700});
	for (const [index, file] of files.entries()) {
		renameSync(`${file}.gpg`, join(store, `${names[index]!}.gpg`));
	}

	rmSync(staging, {recursive: true, force: true});
	if (readdirSync(join(store, 'bench')).length !== size) {
		throw new Error(`the pass store holds ${readdirSync(join(store, 'bench')).length} entries, expected ${size}`);
	}

	const middle = Math.floor(size / 2);
	return {
		env,
		entry: names[middle]!,
		value: `value-${middle}-${'x'.repeat(24)}\n`,
		close() {
			spawnSync('gpgconf', ['--kill', 'gpg-agent'], {env, stdio: 'ignore'});
		},
	};
}
