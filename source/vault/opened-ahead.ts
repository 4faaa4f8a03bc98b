import {keyLength, nonceLength, tagLength} from './aead.js';

/**
 * Plaintexts of record parts opened ahead of time, off the main thread (source/sync/open-ahead.ts:
 * a pull opens the next page's ciphertexts in a worker while this page's rows are written). The
 * codec's openPart takes one instead of opening only for exactly the bytes it was opened from: the
 * same key, nonce, ciphertext and AAD, compared byte for byte. Everything openPart does around the
 * open (choosing the key, the error for a key it lacks) and every check of what opened still runs
 * as before; a part that failed ahead is simply not offered, and openPart opens it itself.
 */

/** What opening one part takes: what openPart would pass to AES-256-GCM-SIV. */
export type SealedPart = {key: Uint8Array; nonce: Uint8Array; ciphertext: Uint8Array; aad: Uint8Array};

/** Whether the open has the shape aead.ts's open accepts; others are left to it (and its errors). */
export function openableShape(part: SealedPart): boolean {
	return part.key.length === keyLength && part.nonce.length === nonceLength && part.ciphertext.length >= tagLength;
}

export class OpenedAhead {
	/** By AAD (each names vault, record, part, revision and key generation): one offer a part. */
	readonly #offers = new Map<string, {part: SealedPart; plaintext: Uint8Array}>();

	/** Offers `plaintext`, opened from exactly `part`. The caller wipes it with {@link drop} once the work that may take it is done. */
	offer(part: SealedPart, plaintext: Uint8Array): void {
		this.#offers.set(aadName(part.aad), {part, plaintext});
	}

	/** The plaintext offered for exactly these bytes, once; undefined when none was. */
	take(part: SealedPart): Uint8Array | undefined {
		if (this.#offers.size === 0) {
			return undefined;
		}

		const name = aadName(part.aad);
		const offer = this.#offers.get(name);
		if (!offer) {
			return undefined;
		}

		this.#offers.delete(name);
		const same = sameBytes(offer.part.key, part.key) && sameBytes(offer.part.nonce, part.nonce) && sameBytes(offer.part.ciphertext, part.ciphertext);
		if (!same) {
			offer.plaintext.fill(0);
			return undefined;
		}

		return offer.plaintext;
	}

	/** Wipes and forgets every offer not taken. */
	drop(): void {
		for (const {plaintext} of this.#offers.values()) {
			plaintext.fill(0);
		}

		this.#offers.clear();
	}
}

function aadName(aad: Uint8Array): string {
	return Buffer.from(aad.buffer, aad.byteOffset, aad.byteLength).toString('latin1');
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
	return a.length === b.length && Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(b);
}
