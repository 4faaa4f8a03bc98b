import {forgetDeviceKey} from './shared/forget-device-key.js';
import {deviceSlot} from '../vault/keyslots.js';
import {LockedVault} from '../vault/vault.js';
import type {CommandSpec} from './spec.js';

export const lock: CommandSpec = {
	name: 'lock',
	summary: 'Forget remembered unlocks: the passphrase is needed again',
	usage: 'hush lock',
	help: `Removes every way of unlocking the vault except the passphrase: the remembered device (its key
slot, and its key in the OS keychain) and every session (HUSH_SESSION tokens stop working at once).
Needs no passphrase itself.

Examples:
  hush lock`,
	flags: {},
	args: {min: 0, max: 0, names: ''},
	async run(context) {
		const locked = LockedVault.open({home: context.io.env['HUSH_HOME']});
		let removed: number;
		let hadDevice: boolean;
		const vaultId = locked.id;
		try {
			hadDevice = locked.hasKeyslot(deviceSlot);
			removed = locked.removeConvenienceKeyslots();
		} finally {
			locked.close();
		}

		// The slot is gone, so the keychain item opens nothing any more; removing it is tidying up.
		// Only a vault that had one touches the keychain at all.
		if (hadDevice) {
			await forgetDeviceKey(context, vaultId);
		}

		context.say(removed > 0 ? `Locked: removed ${removed} remembered unlock(s); the passphrase is needed again` : 'Locked: the vault opens only with its passphrase');
	},
};
