import {encodeFields} from '../vault/encoding.js';
import {tagLength} from '../vault/aead.js';
import {KeyWrapError} from './errors.js';
import {FieldError, FieldReader} from './fields.js';
import {kem} from './identity.js';
import {type Role, hashLength, maxSeq, roles, teamIdPattern} from './log-entry.js';

/**
 * A member's key wrap on the wire: fields('hush-team-wrap', 1, team id, generation, role, member
 * fingerprint, X-Wing ciphertext, nonce, AES-256-GCM-SIV ciphertext). Wraps come from the server:
 * every field is bounded and checked before anything is decapsulated.
 */

export type KeyWrap = {
	teamId: string;
	generation: number;
	role: Role;
	member: Uint8Array;
	kemCipherText: Uint8Array;
	nonce: Uint8Array;
	ciphertext: Uint8Array;
};

/** Kind label and two 32-byte keys, each length-prefixed, plus the tag. */
const sealedLength = 4 + 'metadata-and-values'.length + 2 * (4 + 32) + tagLength;
const metadataOnlyLength = 4 + 'metadata-only'.length + 2 * (4 + 32) + tagLength;
const maxWrapBytes = 2048;

export function encodeWrap(wrap: KeyWrap): Uint8Array {
	return encodeFields(['hush-team-wrap', '1', wrap.teamId, wrap.generation, wrap.role, wrap.member, wrap.kemCipherText, wrap.nonce, wrap.ciphertext]);
}

export function parseWrap(bytes: Uint8Array): KeyWrap {
	if (bytes.length > maxWrapBytes) {
		throw new KeyWrapError(`the key wrap is malformed: ${bytes.length} bytes, over the ${maxWrapBytes}-byte limit`);
	}

	try {
		const fields = new FieldReader(bytes, 'the key wrap');
		fields.text('the format tag', /^hush-team-wrap$/);
		fields.text('the format version', /^1$/);
		const wrap: KeyWrap = {
			teamId: fields.text('the team id', teamIdPattern),
			generation: fields.integer('the generation', maxSeq),
			role: fields.oneOf('the role', roles),
			member: fields.bytes('the member fingerprint', hashLength),
			kemCipherText: fields.bytes('the KEM ciphertext', kem.cipherTextLength),
			nonce: fields.bytes('the nonce', 12),
			ciphertext: fields.bytes('the sealed keys'),
		};
		fields.end('the key wrap');
		if (wrap.ciphertext.length !== (wrap.role === 'list' ? metadataOnlyLength : sealedLength)) {
			throw new FieldError(`the sealed keys are ${wrap.ciphertext.length} bytes, not the size a ${wrap.role} member's are`);
		}

		return wrap;
	} catch (error) {
		if (error instanceof FieldError) {
			throw new KeyWrapError(`the key wrap is malformed: ${error.message}`);
		}

		throw error;
	}
}
