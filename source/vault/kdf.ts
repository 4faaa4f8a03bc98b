import {argon2} from 'node:crypto';
import {KdfParametersError} from '../errors.js';

/**
 * argon2id through Node's native `crypto.argon2`. The parameters live in the vault file, so they
 * are checked against hard-coded floors and ceilings *before* any derivation: a file edited to
 * weaken the KDF (downgrade) or to demand terabytes of memory (memory bomb) is refused outright.
 * The keyslot's AAD also covers the parameters, so an in-range edit fails authentication.
 */

export type KdfParams = {
	algorithm: 'argon2id';
	/** Memory in KiB. */
	memory: number;
	passes: number;
	parallelism: number;
};

/** DESIGN.md's default: 64 MiB, t=3, p=4. */
export const defaultKdfParams: KdfParams = {algorithm: 'argon2id', memory: 64 * 1024, passes: 3, parallelism: 4};

/** OWASP's minimum for argon2id (19 MiB, t=2, p=1). Nothing weaker is ever derived. */
export const kdfFloor = {memory: 19 * 1024, passes: 2, parallelism: 1} as const;

/** Enough for any sane setting, small enough that a crafted file cannot exhaust the machine. */
export const kdfCeiling = {memory: 2 * 1024 * 1024, passes: 64, parallelism: 16} as const;

export const saltLength = 16;
const outputLength = 32;

export function assertKdfParamsAllowed(params: unknown): asserts params is KdfParams {
	if (typeof params !== 'object' || params === null) {
		throw new KdfParametersError('key derivation parameters are missing from the vault file');
	}

	const {algorithm, memory, passes, parallelism} = params as Record<string, unknown>;
	if (algorithm !== 'argon2id') {
		throw new KdfParametersError(`refusing key derivation algorithm ${JSON.stringify(algorithm)}: only argon2id is allowed`);
	}

	for (const [name, value] of [['memory', memory], ['passes', passes], ['parallelism', parallelism]] as const) {
		const floor = kdfFloor[name];
		const ceiling = kdfCeiling[name];
		if (typeof value !== 'number' || !Number.isInteger(value) || value < floor || value > ceiling) {
			throw new KdfParametersError(
				`refusing argon2id ${name}=${String(value)} from the vault file: allowed range is ${floor}–${ceiling}; the file may have been tampered with`,
			);
		}
	}
}

/** Canonical text form, used in the keyslot AAD and stored in the file. */
export function serializeKdfParams(params: KdfParams): string {
	return JSON.stringify({
		algorithm: params.algorithm,
		memory: params.memory,
		passes: params.passes,
		parallelism: params.parallelism,
	});
}

export type DeriveFunction = (passphrase: string, salt: Uint8Array, params: KdfParams) => Promise<Uint8Array>;

export const deriveArgon2id: DeriveFunction = async (passphrase, salt, params) => {
	assertKdfParamsAllowed(params);
	return new Promise((resolve, reject) => {
		argon2(
			'argon2id',
			{
				message: Buffer.from(passphrase.normalize('NFC'), 'utf8'),
				nonce: salt,
				memory: params.memory,
				passes: params.passes,
				parallelism: params.parallelism,
				tagLength: outputLength,
			},
			(error, key) => {
				if (error) {
					reject(error);
				} else {
					resolve(new Uint8Array(key.buffer, key.byteOffset, key.length));
				}
			},
		);
	});
};
