import {join} from 'node:path';

export {resolveHome} from '../home.js';

export function vaultPath(home: string): string {
	return join(home, 'vault.db');
}
