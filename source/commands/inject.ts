import {writeFileAtomic} from '../runtime/atomic-file.js';
import {readPipedInput, readTextFile} from '../runtime/read-input.js';
import {checkReferences, findTemplateReferences} from '../runtime/references.js';
import {HushError} from '../errors.js';
import type {CommandSpec} from './spec.js';

export const inject: CommandSpec = {
	name: 'inject',
	summary: 'Fill {{NAME.KEY}} references in a template with secret values',
	usage: 'hush inject [--in FILE] [--out FILE]',
	help: `Copies a template (--in FILE, or standard input) to --out FILE (or standard output), replacing
every {{NAME.KEY}} with that key's value. Whitespace inside the braces is allowed ({{ db.PASSWORD }}),
and {{private:NAME.KEY}} or {{public:NAME.KEY}} picks a visibility (otherwise private first, then
public). Other {{…}} text is left as it is. Write-only secrets can be injected.

If any reference cannot be resolved, every one of them is listed, the exit status is 1 and nothing is
written. --out is written atomically (a 0600 file beside it, renamed into place) with mode 0600.
Each secret used is logged in the audit log as an inject. inject always resolves every reference,
whatever HUSH_SECRET_VALIDATION_LEVEL says: it cannot write a value it does not have (run hush check
first to see what is missing without touching any value).

Options:
  --in FILE    the template (default: standard input)
  --out FILE   where to write the result (default: standard output)

Examples:
  hush inject --in config.tmpl.yaml --out config.yaml
  echo 'DATABASE_URL={{ db.URL }}' | hush inject > .env`,
	flags: {in: {type: 'string'}, out: {type: 'string'}},
	args: {min: 0, max: 0, names: ''},
	async run(context) {
		const input = context.flags['in'] as string | undefined;
		const output = context.flags['out'] as string | undefined;
		const template = input === undefined ? (await readPipedInput(context.io.stdin, 'a template')).toString('utf8') : readTextFile(input, 'template');
		const matches = findTemplateReferences(template);
		const vault = await context.vault();
		const checks = checkReferences(vault, matches.map(match => match.reference), {keys: true});
		const missing = [...new Set(checks.filter(check => !check.present).map(check => `{{${check.reference.text}}} (${check.reason!})`))];
		if (missing.length > 0) {
			throw new HushError(`${missing.length} unresolvable ${missing.length === 1 ? 'reference' : 'references'}, nothing written: ${missing.join(', ')}`);
		}

		const bySecret = new Map<string, Map<string, Buffer>>();
		for (const check of checks) {
			const {id} = check.secret!;
			if (!bySecret.has(id)) {
				const revealed = vault.revealSecret(id, {action: 'inject', allowWriteOnly: true});
				bySecret.set(id, new Map(revealed.keys.map(key => [key, Buffer.from(revealed.buffer(key))])));
				revealed.wipe();
			}
		}

		const parts: Buffer[] = [];
		let position = 0;
		for (const [index, match] of matches.entries()) {
			parts.push(Buffer.from(template.slice(position, match.start), 'utf8'), bySecret.get(checks[index]!.secret!.id)!.get(match.reference.key)!);
			position = match.end;
		}

		parts.push(Buffer.from(template.slice(position), 'utf8'));
		const result = Buffer.concat(parts);
		try {
			if (output === undefined) {
				context.io.stdout.write(result);
			} else {
				try {
					writeFileAtomic(output, result);
				} catch (error) {
					const code = (error as NodeJS.ErrnoException).code;
					throw new HushError(`cannot write ${output}: ${code === 'ENOENT' ? 'no such folder' : code === 'EACCES' || code === 'EPERM' ? 'permission denied' : code === 'EISDIR' ? 'it is a folder' : (code ?? 'write failed')}; nothing written`);
				}

				context.say(`wrote ${output} (${matches.length} ${matches.length === 1 ? 'reference' : 'references'} from ${bySecret.size} ${bySecret.size === 1 ? 'secret' : 'secrets'})`);
			}
		} finally {
			for (const values of bySecret.values()) {
				for (const value of values.values()) {
					value.fill(0);
				}
			}

			// stdout may still hold the bytes until written; only the file path's copy is wiped.
			if (output !== undefined) {
				result.fill(0);
			}
		}
	},
};
