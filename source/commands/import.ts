import {InvalidInputError} from '../errors.js';
import {importBitwarden} from './import/bitwarden.js';
import {importDoppler} from './import/doppler.js';
import {importDotenv} from './import/dotenv.js';
import {importJson} from './import/json.js';
import {importKeychain} from './import/keychain.js';
import {metadataFlags, metadataHelp} from './shared/secret-flags.js';
import type {CommandContext, CommandSpec} from './spec.js';

/** `hush import SOURCE …`: each source is one module under commands/import/, so more slot in beside these. */
const sources: Record<string, (context: CommandContext) => Promise<void>> = {
	dotenv: importDotenv,
	keychain: importKeychain,
	json: importJson,
	bitwarden: importBitwarden,
	doppler: importDoppler,
};

export const importCommand: CommandSpec = {
	name: 'import',
	summary: 'Bring secrets in: a hush export, Bitwarden, Doppler, a .env file or the OS keychain',
	usage: 'hush import json|bitwarden FILE|- | hush import dotenv|doppler FILE|- --name NAME | hush import keychain --service S [--account A] --name NAME',
	help: `Every import is one transaction: a file with one bad item or line imports nothing, and the
message names that item or line (never a value). On a terminal a progress bar runs on stderr.
A name already in the vault fails the import: rename or delete that secret first.

json: a backup from 'hush export --all --format json': every secret, public and private, with
its type, description, integration, expiry, write-only flag and created/updated times.

bitwarden: a Bitwarden unencrypted JSON export, one secret per item. Logins become USERNAME,
PASSWORD, TOTP, URL; secure notes NOTES; cards CARDHOLDER_NAME, BRAND, NUMBER, EXP_MONTH,
EXP_YEAR, CODE; SSH keys SSH_PRIVATE_KEY, SSH_PUBLIC_KEY; every item its NOTES and custom fields
(as keys named after them). Identities are personal details, not credentials: skipped, with a
warning. Item names become hush names (github-work), -2, -3 for repeats; renamings are reported.

doppler: the JSON of 'doppler secrets download --no-file --format json' into secret NAME.

dotenv: a .env file read as the dotenv package reads it: KEY=value, export prefixes, # comments
(inline after unquoted values), '', "" and \`\` quotes stripped (may span lines), \\n and \\r
expanded in double quotes. Unlike dotenv, a line that is no assignment or a quote never closed
is an error. A key given twice: the last wins (as in dotenv), with a warning.
dotenv and doppler: hush stores no empty values, so EMPTY= is left out with a warning; a
program then sees EMPTY unset. The type defaults to env_var.

keychain: copies the OS keychain items of service S (every account, or only --account A) into
secret NAME, one key per account. Account names become env-var-safe keys (bob@example.com →
BOB_EXAMPLE_COM); each mapping is reported. NAME is created, or its keys are updated (like set).
An item with no account attribute (which crashes the keychain library on Linux) is skipped and
named in a warning; the other items are imported.

Options:
  --name NAME           the secret to create (dotenv, doppler) or copy into (keychain)
  --service S           keychain: the service to copy from
  --account A           keychain: only this account
  --private[=true|false] dotenv, doppler, bitwarden: create as private; keychain: or pick which
                        existing secret to update

${metadataHelp}
Metadata flags go with dotenv, doppler and keychain; json and bitwarden take it from the file.

Examples:
  hush export --all --format json > backup.json && hush import json backup.json
  hush import bitwarden bitwarden_export.json --private
  doppler secrets download --no-file --format json | hush import doppler - --name api-prod
  hush import dotenv .env --name myapp-dev
  hush import keychain --service github.com --name github`,
	flags: {service: {type: 'string'}, account: {type: 'string'}, name: {type: 'string'}, private: {type: 'boolean'}, ...metadataFlags},
	args: {min: 1, max: 2, names: 'SOURCE'},
	async run(context) {
		const source = context.args[0]!;
		const run = Object.hasOwn(sources, source) ? sources[source] : undefined;
		if (!run) {
			throw new InvalidInputError(`unknown import source ${JSON.stringify(source)}: use ${Object.keys(sources).join(', ')} (see hush import --help)`);
		}

		await run(context);
	},
};
