import {unlockVault} from '../../unlock/index.js';
import type {Vault} from '../../vault/vault.js';
import type {CommandSpec, FlagSpec, FlagSpecs} from '../spec.js';

/**
 * The candidates behind `hush completion`: given the words of a command line after `hush` (the last
 * one the word being completed, maybe empty), what may come next. Shell scripts call it as
 * `hush __complete -- WORDS…` and offer what it prints, one candidate a line.
 *
 * Secret names and key names come from the vault only when it opens without anyone being asked —
 * a session (HUSH_SESSION) or the OS keychain — never HUSH_PASSPHRASE (a key derivation per TAB)
 * and never a prompt. Locked, or anything going wrong: no names. Names are the vault's data, which
 * sync can bring from elsewhere; only names made of characters no shell treats specially are
 * offered, so a hostile name cannot reach a command line through a TAB.
 */

/** A line telling the shell script to complete file names as well. */
export const filesDirective = ':files';

type Source = 'names' | 'keys' | 'files' | readonly string[];

/** What each command's positional arguments are, in order. */
const positionals: Record<string, readonly Source[]> = {
	get: ['names', 'keys'],
	rotate: ['names', 'keys'],
	set: ['names'],
	update: ['names'],
	show: ['names'],
	delete: ['names'],
	rename: ['names'],
	export: ['names'],
	audit: ['names'],
	resolve: ['names'],
	import: [['dotenv', 'keychain'], 'files'],
	completion: [['bash', 'zsh', 'fish']],
	remote: [['add', 'show', 'remove', 'auto-sync']],
	server: [['init', 'token']],
};

/** What each flag that takes a value takes, by command (`*`: any command). */
const flagValues: Record<string, Record<string, Source>> = {
	run: {secret: 'names'},
	update: {remove: 'keys'},
	list: {sort: ['name', 'updated', 'used']},
	export: {format: ['dotenv', 'json', 'shell']},
	check: {level: ['NONE', 'SECRET_EXISTS', 'SECRET_AND_KEY_EXISTS'], file: 'files', template: 'files'},
	inject: {in: 'files', out: 'files'},
	serve: {db: 'files'},
	'*': {},
};

const safeName = /^[A-Za-z0-9_][A-Za-z0-9._-]{0,127}$/;

const kebab = (name: string) => name.replace(/[A-Z]/g, letter => `-${letter.toLowerCase()}`);

type Lookup = {
	/** Opens the vault without asking anyone; undefined when it stays locked. */
	vault(): Promise<Vault | undefined>;
};

/** Candidates for the last word of `words`, already narrowed to those it starts. */
export async function completeWords(words: readonly string[], commands: readonly CommandSpec[], lookup: Lookup): Promise<string[]> {
	const current = words.at(-1) ?? '';
	const before = words.slice(0, -1);
	const visibleCommands = commands.map(command => command.name);
	const startingWith = (candidates: readonly string[]) => candidates.filter(candidate => candidate.startsWith(current));

	if (before.length === 0) {
		return startingWith(current.startsWith('-') ? ['--help', '--version'] : [...visibleCommands, 'help']);
	}

	const name = before[0]!;
	if (name === 'help') {
		return before.length === 1 ? startingWith(visibleCommands) : [];
	}

	const command = commands.find(candidate => candidate.name === name);
	if (!command) {
		return [];
	}

	const parsed = readLine(before.slice(1), command.flags);
	if (parsed.afterDashes) {
		return [];
	}

	const source = parsed.pendingFlag === undefined
		? (current.startsWith('-') ? flagNames(command.flags) : positionals[command.name]?.[parsed.args.length])
		: (flagValues[command.name]?.[parsed.pendingFlag] ?? flagValues['*']![parsed.pendingFlag]);
	if (source === undefined) {
		return [];
	}

	if (source === 'files') {
		return [filesDirective];
	}

	if (source === 'names' || source === 'keys') {
		const vault = await lookup.vault();
		if (!vault) {
			return [];
		}

		const secrets = vault.listSecrets();
		const candidates = source === 'names'
			? secrets.map(secret => secret.name)
			: secrets.find(secret => secret.name === parsed.args[0])?.keys ?? [];
		return startingWith(candidates.filter(candidate => safeName.test(candidate))).sort();
	}

	return startingWith(source);
}

function flagNames(flags: FlagSpecs): string[] {
	return [...Object.keys(flags).map(name => `--${kebab(name)}`), '--help'];
}

/** Which positionals are filled, and whether the last word is a flag still waiting for its value. */
function readLine(words: readonly string[], flags: FlagSpecs): {args: string[]; pendingFlag?: string; afterDashes: boolean} {
	const long = new Map(Object.entries(flags).map(([name, spec]) => [kebab(name), {name, spec}]));
	const short = new Map(Object.entries(flags).flatMap(([name, spec]) => (spec.shortFlag ? [[spec.shortFlag, {name, spec}] as const] : [])));
	const takesValue = (spec: FlagSpec) => spec.type !== 'boolean';
	const args: string[] = [];
	let pendingFlag: string | undefined;
	for (const word of words) {
		if (pendingFlag !== undefined) {
			pendingFlag = undefined;
			continue;
		}

		if (word === '--') {
			return {args, afterDashes: true};
		}

		if (word.startsWith('--')) {
			const known = word.includes('=') ? undefined : long.get(word.slice(2));
			if (known && takesValue(known.spec)) {
				pendingFlag = kebab(known.name);
			}
		} else if (word.startsWith('-') && word.length > 1) {
			const known = short.get(word.at(-1)!);
			if (known && takesValue(known.spec)) {
				pendingFlag = kebab(known.name);
			}
		} else {
			args.push(word);
		}
	}

	return {args, pendingFlag, afterDashes: false};
}

/** Opens the vault for completion: session or keychain only; undefined when locked or on any trouble. */
export function vaultWithoutAsking(env: NodeJS.ProcessEnv): Lookup & {close(): void} {
	let opened: Promise<Vault | undefined> | undefined;
	return {
		async vault() {
			opened ??= unlockVault({env, command: 'complete', methods: ['session', 'keychain'], warn() {}}).then(
				({vault}) => vault,
				() => undefined,
			);
			return opened;
		},
		// Not awaited: after a timeout the keychain may still be answering; the vault closes when it does.
		close() {
			void opened?.then(vault => vault?.close());
		},
	};
}
