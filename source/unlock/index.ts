export {type UnlockMethod, type UnlockRequest, type Unlocked, type UnlockedBy, allUnlockMethods, unlockLocked, unlockVault, unlockWithoutAsking} from './chain.js';
export {askOnTerminal} from './ask-on-terminal.js';
export {type OpenVaultOptions, openVault} from './open-vault.js';
