import {InvalidInputError} from '../../errors.js';
import {parseBackup} from '../shared/backup-document.js';
import type {CommandContext} from '../spec.js';
import {parseJsonDocument, refuseFlags, readImportText, sourceLabel} from './read-source.js';
import {storeImported} from './store.js';

/**
 * `hush import json FILE|-`: a backup from `hush export --all --format json`, every secret with
 * its metadata and history (created, updated, by whom). Last use is not carried: it is the audit
 * log's, and this vault's log starts with the import.
 */
export async function importJson(context: CommandContext): Promise<void> {
	const source = context.args[1];
	if (source === undefined) {
		throw new InvalidInputError(`'hush import json' needs a FILE, or - for standard input (see hush import --help)`);
	}

	refuseFlags(context, 'json', ['name', 'private', 'type', 'description', 'integration', 'writeOnly', 'expires']);
	const label = sourceLabel(source);
	const {secrets, labels, leftOut} = parseBackup(parseJsonDocument(await readImportText(source, context.io.stdin, 'hush export'), label), label);
	if (secrets.length === 0) {
		throw new InvalidInputError(`${label} holds no secrets: nothing imported`);
	}

	const stored = await storeImported(context, secrets, labels);
	if (context.flags['json'] === true) {
		context.printJson(stored);
	}

	if (leftOut > 0) {
		context.say(`hush: warning: the export left out ${leftOut} write-only ${leftOut === 1 ? 'secret' : 'secrets'} (exported without --include-write-only): not restored`);
	}

	context.say(`Imported ${stored.length} ${stored.length === 1 ? 'secret' : 'secrets'} from ${label}`);
}
