/**
 * Records an attacker plants: metadata holding terminal escapes, written past hush's input checks
 * the way a modified client or a record pulled from a server would be — sealed through the vault's
 * own sync store (sealMerged), and an audit entry appended with the vault's own audit key. The
 * file stays well formed: every record opens and the audit chain verifies.
 */
import {DatabaseSync} from 'node:sqlite';
import {join} from 'node:path';
import {openVault} from '../../source/unlock/open-vault.js';
import {appendAudit} from '../../source/vault/audit.js';
import {passphrase} from './hush-cli.js';

/** OSC 52: write "pwned" (base64) to the clipboard; ended by BEL. */
export const osc52 = '\u001b]52;c;cHduZWQ=\u0007';
/** OSC 8: a hyperlink hiding its target behind harmless text; ended by ST (ESC \). */
export const osc8 = '\u001b]8;;https://evil.example/\u001b\\click\u001b]8;;\u001b\\';
/** SGR colour, a C1 CSI (U+009B) that clears the screen, a bidi override and a forged line. */
export const colour = '\u001b[31mred\u001b[0m';
export const c1 = '\u009b2J';
export const bidi = '\u202eevil\u202c';
export const forgedLine = 'one\nhush: all fine';

export const plantedName = `evil${osc52}`;
export const plantedKey = `KEY${osc8}`;
export const plantedDescription = `desc ${osc52} ${osc8} ${colour} ${c1} ${bidi} ${forgedLine}`;
export const plantedIntegration = `int${osc8}${c1}`;
export const plantedActor = `mallory${osc52}`;
export const plantedCommand = `cmd${osc8}`;

/** Plants one secret (planted name, key, description, integration, createdBy) and one audit entry about it. */
export async function plant(home: string): Promise<{id: string}> {
	const vault = await openVault({home, passphrase});
	let id: string;
	let auditKey: Uint8Array;
	try {
		const created = vault.createSecret('placeholder', {TOKEN: 'planted-value'}, {type: 'token', expiresAt: new Date(Date.now() + 86_400_000).toISOString()});
		id = created.id;
		const store = vault.syncStore();
		store.write(() => {
			const row = store.record(created.id)!;
			const meta = store.openMeta(row);
			store.sealMerged({
				id: created.id,
				revision: row.revision + 1,
				meta: {...meta, name: plantedName, keys: [plantedKey], description: plantedDescription, integration: plantedIntegration, createdBy: plantedActor},
				values: new Map([[plantedKey, Buffer.from('planted-value')]]),
			});
		});
		auditKey = store.deriveKey('audit');
	} finally {
		vault.close();
	}

	const db = new DatabaseSync(join(home, 'vault.db'));
	try {
		db.exec('BEGIN IMMEDIATE');
		appendAudit(db, auditKey, {at: new Date().toISOString(), actor: plantedActor, action: 'update', recordId: id, command: plantedCommand}, 'current');
		db.exec('COMMIT');
	} finally {
		db.close();
	}

	return {id};
}

/** Bytes a terminal acts on: ESC, BEL, C1, and the bidi controls. Planted data must never print them. */
export const terminalControls = /[\u0007\u001b\u0080-\u009f\u202a-\u202e\u2066-\u2069]/;
