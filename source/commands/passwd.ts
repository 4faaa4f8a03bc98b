import {newPassphrase} from './shared/new-passphrase.js';
import type {CommandSpec} from './spec.js';

export const passwd: CommandSpec = {
	name: 'passwd',
	summary: 'Change the vault passphrase',
	usage: 'hush passwd',
	help: `Re-wraps the vault key under a new passphrase. Secrets are not re-encrypted (they are sealed
under a random vault key, not the passphrase). The current passphrase comes from
HUSH_PASSPHRASE or a prompt — a session or the keychain is not enough to change it; the new one
from HUSH_NEW_PASSPHRASE or a prompt (asked twice). A remembered device (--remember) keeps working.

Examples:
  hush passwd`,
	flags: {},
	args: {min: 0, max: 0, names: ''},
	async run(context) {
		const vault = await context.vault(['passphrase']);
		const passphrase = await newPassphrase(context.io, 'HUSH_NEW_PASSPHRASE', 'New passphrase');
		await vault.changePassphrase(passphrase);
		context.say('Passphrase changed');
	},
};
