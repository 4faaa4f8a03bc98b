import {promptForValues} from '../inputs/interactive.js';
import {assertCanPrompt, promptLine} from '../inputs/prompt.js';
import {readTextFile} from '../runtime/read-input.js';
import {type Reference, type ReferenceCheck, checkReferences, findTemplateReferences, parseReference} from '../runtime/references.js';
import {InvalidInputError} from '../errors.js';
import type {SecretValues} from '../vault/model.js';
import type {Vault} from '../vault/vault.js';
import type {CommandContext, CommandSpec} from './spec.js';
import {visible} from '../text/visible.js';

export const validationLevels = ['NONE', 'SECRET_EXISTS', 'SECRET_AND_KEY_EXISTS'] as const;
export type ValidationLevel = (typeof validationLevels)[number];

/** `--level`, then HUSH_SECRET_VALIDATION_LEVEL, then SECRET_AND_KEY_EXISTS. */
export function validationLevel(flag: unknown, env: NodeJS.ProcessEnv): ValidationLevel {
	const [text, source] = flag === undefined ? [env['HUSH_SECRET_VALIDATION_LEVEL'], 'HUSH_SECRET_VALIDATION_LEVEL'] : [String(flag), '--level'];
	if (text === undefined || text === '') {
		return 'SECRET_AND_KEY_EXISTS';
	}

	const level = text.toUpperCase();
	if (!(validationLevels as readonly string[]).includes(level)) {
		throw new InvalidInputError(`${source} ${JSON.stringify(text)}: use NONE, SECRET_EXISTS or SECRET_AND_KEY_EXISTS`);
	}

	return level as ValidationLevel;
}

export const check: CommandSpec = {
	name: 'check',
	summary: 'Check that the secrets a program needs exist, before it runs',
	usage: 'hush check REF... [--file F] [--template F] [--level NONE|SECRET_EXISTS|SECRET_AND_KEY_EXISTS] [-i] [--json]',
	help: `Each REF is NAME or NAME.KEY (optionally private:NAME.KEY or public:NAME.KEY). Prints every
reference as present or missing; exit 1 if anything is missing.

Levels (--level, else HUSH_SECRET_VALIDATION_LEVEL, else SECRET_AND_KEY_EXISTS):
  NONE                   skip the check entirely (the vault is not even opened)
  SECRET_EXISTS          only secret names must exist; key names are not checked
  SECRET_AND_KEY_EXISTS  the secret and, for NAME.KEY, that key must exist

Checks read metadata only: no value is decrypted or logged, so write-only secrets pass too. The vault
still has to be unlocked (HUSH_PASSPHRASE or the prompt), because names are stored encrypted and
keyed by the vault key: nobody without it can tell which names exist.

Options:
  --file F       references from F, one per line (blank lines and # comments ignored)
  --template F   every {{NAME.KEY}} reference in the template F (as hush inject reads it)
  --level L      NONE, SECRET_EXISTS or SECRET_AND_KEY_EXISTS
  -i             on a terminal, offer to create each missing secret or key with hidden prompts
  --json         {"level", "present": [...], "missing": [...]}

Examples:
  hush check openai-creds.OPENAI_API_KEY db
  hush check --template config.tmpl.yaml && hush inject --in config.tmpl.yaml --out config.yaml
  HUSH_SECRET_VALIDATION_LEVEL=SECRET_EXISTS hush check --file required-secrets.txt`,
	flags: {
		file: {type: 'string', isMultiple: true},
		template: {type: 'string', isMultiple: true},
		level: {type: 'string'},
		interactive: {type: 'boolean', shortFlag: 'i'},
		json: {type: 'boolean'},
	},
	args: {min: 0, max: Number.POSITIVE_INFINITY, names: 'REF...'},
	async run(context) {
		const level = validationLevel(context.flags['level'], context.io.env);
		const references = gatherReferences(context);
		if (references.length === 0) {
			throw new InvalidInputError('nothing to check: give REF..., --file F or --template F (see hush check --help)');
		}

		const interactive = context.flags['interactive'] === true;
		if (interactive) {
			assertCanPrompt({stdin: context.io.stdin, stderr: context.io.stderr}, 'drop -i, and create missing secrets with hush set');
		}

		if (level === 'NONE') {
			if (context.flags['json'] === true) {
				context.printJson({level, skipped: true, present: [], missing: []});
			}

			context.say(`validation level NONE: ${references.length} ${references.length === 1 ? 'reference' : 'references'} not checked`);
			return;
		}

		const vault = await context.vault();
		const keys = level === 'SECRET_AND_KEY_EXISTS';
		let checks = checkReferences(vault, references, {keys});
		if (interactive && checks.some(result => !result.present)) {
			await fillGaps(context, vault, checks);
			checks = checkReferences(vault, references, {keys});
		}

		const label = (result: ReferenceCheck) => (keys || result.reference.key === undefined ? result.reference.text : `${result.reference.text} (key not checked)`);
		const present = checks.filter(result => result.present);
		const missing = checks.filter(result => !result.present);
		if (context.flags['json'] === true) {
			context.printJson({
				level,
				present: present.map(result => result.reference.text),
				missing: missing.map(result => ({reference: result.reference.text, reason: result.reason})),
			});
		} else {
			const lines = [
				...present.map(result => `present  ${label(result)}`),
				...missing.map(result => `missing  ${result.reference.text}  (${result.reason!})`),
			];
			context.print(`${lines.map(line => visible(line)).join('\n')}\n`);
		}

		if (missing.length > 0) {
			context.say(`hush: ${missing.length} of ${checks.length} ${checks.length === 1 ? 'reference is' : 'references are'} missing (level ${level})`);
			return 1;
		}
	},
};

function gatherReferences(context: CommandContext): Reference[] {
	const references = context.args.map(text => parseReference(text));
	for (const file of (context.flags['file'] as string[] | undefined) ?? []) {
		for (const line of readTextFile(file, 'reference file').split(/\r?\n/)) {
			const text = line.replace(/#.*/, '').trim();
			if (text !== '') {
				references.push(parseReference(text));
			}
		}
	}

	for (const file of (context.flags['template'] as string[] | undefined) ?? []) {
		references.push(...findTemplateReferences(readTextFile(file, 'template')).map(match => match.reference));
	}

	// One line per distinct reference, in the order first given.
	const seen = new Set<string>();
	return references.filter(reference => {
		const id = `${String(reference.private)}:${reference.name}.${reference.key ?? ''}`;
		return seen.has(id) ? false : (seen.add(id), true);
	});
}

/** `-i`: for each missing secret or key, a hidden prompt; an empty answer skips it. */
async function fillGaps(context: CommandContext, vault: Vault, checks: readonly ReferenceCheck[]): Promise<void> {
	const streams = {stdin: context.io.stdin, stderr: context.io.stderr};
	const handled = new Set<string>();
	for (const {reference, present, secret} of checks) {
		const id = `${String(reference.private)}:${reference.name}.${reference.key ?? ''}`;
		if (present || handled.has(id)) {
			continue;
		}

		handled.add(id);
		let values: SecretValues;
		if (reference.key === undefined) {
			context.say(`Secret ${reference.name} is missing: enter its keys and values (empty key name to skip).`);
			values = Object.fromEntries(await promptForValues(streams));
		} else {
			const value = await promptLine(streams, `Value for ${visible(`${reference.name}.${reference.key}`)} (hidden, empty to skip): `, {hidden: true});
			values = value === '' ? {} : {[reference.key]: value};
		}

		if (Object.keys(values).length === 0) {
			context.say(`skipped ${reference.text}`);
			continue;
		}

		if (secret) {
			vault.updateSecret(secret.id, {values});
			context.say(`added ${Object.keys(values).join(', ')} to ${secret.name}`);
		} else {
			vault.setSecret(reference.name, values, {private: reference.private});
			context.say(`created ${reference.private ? 'private' : 'public'} secret ${reference.name}`);
		}
	}
}
