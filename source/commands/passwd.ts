import {forgetDeviceKey} from './shared/forget-device-key.js';
import {newPassphrase} from './shared/new-passphrase.js';
import type {CommandSpec} from './spec.js';

export const passwd: CommandSpec = {
	name: 'passwd',
	summary: 'Change the vault passphrase',
	usage: 'hush passwd',
	help: `Re-wraps the vault key under a new passphrase. Secrets are not re-encrypted (they are sealed
under a random vault key, not the passphrase). The current passphrase comes from
HUSH_PASSPHRASE or a prompt — a session or the keychain is not enough to change it; the new one
from HUSH_NEW_PASSPHRASE or a prompt (asked twice). Like hush lock, it ends every session
(HUSH_SESSION tokens stop working at once) and forgets a remembered device (its key slot, and its
key in the OS keychain): run hush unlock [--remember] again with the new passphrase.

Examples:
  hush passwd`,
	flags: {},
	args: {min: 0, max: 0, names: ''},
	async run(context) {
		const vault = await context.vault(['passphrase']);
		const passphrase = await newPassphrase(context.io, 'HUSH_NEW_PASSPHRASE', 'New passphrase');
		const vaultId = vault.id;
		const ended = await vault.changePassphrase(passphrase);
		// The slot is gone, so the keychain item opens nothing any more; removing it is tidying up.
		if (ended.forgotDevice) {
			await forgetDeviceKey(context, vaultId);
		}

		const endedWhat = [
			ended.endedSessions > 0 ? `${ended.endedSessions} session(s)` : '',
			ended.forgotDevice ? 'the remembered device' : '',
		].filter(Boolean);
		context.say(endedWhat.length > 0 ? `Passphrase changed; ended ${endedWhat.join(' and ')}` : 'Passphrase changed');
	},
};
