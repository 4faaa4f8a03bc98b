import {collectValues} from '../../inputs/collect-values.js';
import {InvalidInputError} from '../../errors.js';
import {type SecretMetadataInput, type SecretValues, assertValidType} from '../../vault/model.js';
import type {CommandContext, FlagSpecs} from '../spec.js';

/** Flags that supply values, shared by set, create and update. */
export const valueFlags = {
	values: {type: 'string'},
	stdin: {type: 'string'},
	env: {type: 'string', isMultiple: true},
	keychain: {type: 'string', isMultiple: true},
	interactive: {type: 'boolean', shortFlag: 'i'},
} satisfies FlagSpecs;

export const metadataFlags = {
	type: {type: 'string'},
	description: {type: 'string'},
	integration: {type: 'string'},
	writeOnly: {type: 'boolean'},
	expires: {type: 'string'},
	json: {type: 'boolean'},
} satisfies FlagSpecs;

export const valueHelp = `Values (any mix; key names are kept exactly as typed):
  --KEY=@FILE           read the value from FILE
  --stdin KEY           the whole of standard input
                        Both: a one-line value loses ONE trailing newline (\\n or \\r\\n,
                        what echo and editors add); multi-line contents (a PEM) stay exact
  --env KEY[=VAR]       from environment variable VAR (default: KEY); repeatable
  --keychain KEY=SERVICE:ACCOUNT
                        from the OS keychain item SERVICE, ACCOUNT; repeatable
  --values JSON|YAML    a mapping of KEY: value, inline or as @FILE
  -i, --interactive     prompt for key names and hidden values
  --KEY=VALUE           literal; works, but shell history and ps can see it
                        (--KEY=@@text stores the literal "@text")`;

export const metadataHelp = `Metadata:
  --type T              generic, token, credentials, url, certificate, env_var
  --description D       free text
  --integration I       where it is used, e.g. github
  --write-only          usable by 'hush run' and 'hush inject', never shown (one-way)
  --expires WHEN        a date (2027-01-31), a duration (30d, 12w, 48h), or never
  --json                print the resulting secret's metadata as JSON`;

export const argvWarning =
	'hush: warning: a value given as --KEY=VALUE is visible in shell history and the process list; prefer --KEY=@FILE, --stdin KEY, --env KEY or -i';

/** Values from every source the flags name, and whether any was typed literally on the command line. */
export async function valuesFromFlags(context: CommandContext): Promise<{values: SecretValues; fromArgv: boolean}> {
	const {flags, io} = context;
	return collectValues(
		{
			assignments: context.assignments,
			document: flags['values'] as string | undefined,
			stdinKey: flags['stdin'] as string | undefined,
			env: (flags['env'] as string[] | undefined) ?? [],
			keychain: (flags['keychain'] as string[] | undefined) ?? [],
			interactive: flags['interactive'] === true,
		},
		{stdin: io.stdin, stderr: io.stderr, env: io.env},
	);
}

export function metadataFromFlags(flags: Record<string, unknown>, now = Date.now()): SecretMetadataInput {
	const meta: SecretMetadataInput = {};
	if (flags['type'] !== undefined) {
		const type = String(flags['type']);
		assertValidType(type);
		meta.type = type;
	}

	if (flags['description'] !== undefined) {
		meta.description = String(flags['description']);
	}

	if (flags['integration'] !== undefined) {
		meta.integration = String(flags['integration']);
	}

	if (flags['writeOnly'] !== undefined) {
		meta.writeOnly = flags['writeOnly'] === true;
	}

	if (flags['expires'] !== undefined) {
		meta.expiresAt = parseExpiry(String(flags['expires']), now);
	}

	return meta;
}

const durationUnits: Record<string, number> = {h: 3600e3, d: 86_400e3, w: 7 * 86_400e3};

/** `never`, a duration like `30d`, or a date; returns an ISO time or null (no expiry). */
export function parseExpiry(text: string, now = Date.now()): string | null {
	if (text === 'never' || text === 'none') {
		return null;
	}

	const duration = /^(\d+)([hdw])$/.exec(text);
	if (duration) {
		return new Date(now + Number(duration[1]) * durationUnits[duration[2]!]!).toISOString();
	}

	const parsed = /^\d{4}-\d{2}-\d{2}/.test(text) ? Date.parse(text) : Number.NaN;
	if (Number.isNaN(parsed)) {
		throw new InvalidInputError(`--expires ${JSON.stringify(text)}: use a date (2027-01-31), a duration (30d, 12w, 48h), or never`);
	}

	return new Date(parsed).toISOString();
}

export {privateFlag} from './private-flag.js';
