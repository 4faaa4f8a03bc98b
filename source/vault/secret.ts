import {KeyNotFoundError, ValuesUnavailableError} from '../errors.js';
import type {SecretSummary} from './model.js';
import type {Secret} from './options.js';
import type {ValueBuffers} from './records.js';

/**
 * A secret with its values in hand. Values are held as buffers and turned into strings only when
 * asked for; {@link RevealedSecret.wipe} zeroes the buffers. JavaScript strings cannot be wiped, so
 * code that must not leave a credential in memory should use {@link RevealedSecret.buffer}.
 */
export class RevealedSecret {
	#buffers: ValueBuffers;
	#wiped = false;

	constructor(
		readonly summary: SecretSummary,
		buffers: ValueBuffers,
	) {
		this.#buffers = buffers;
	}

	get id(): string {
		return this.summary.id;
	}

	get name(): string {
		return this.summary.name;
	}

	get keys(): string[] {
		return [...this.#buffers.keys()];
	}

	/** One value as a string. */
	get(key: string): string {
		return this.buffer(key).toString('utf8');
	}

	/** One value as the buffer hush decrypted into; zeroed when the secret is wiped. */
	buffer(key: string): Buffer {
		if (this.#wiped) {
			throw new Error('this secret has been wiped: use its values inside the withSecret callback');
		}

		const value = this.#buffers.get(key);
		if (!value) {
			throw new KeyNotFoundError(`secret ${this.summary.name} has no key ${key} (keys: ${this.keys.join(', ')})`);
		}

		return value;
	}

	/** Every value as strings. */
	get values(): Record<string, string> {
		return Object.fromEntries(this.keys.map(key => [key, this.get(key)]));
	}

	wipe(): void {
		for (const value of this.#buffers.values()) {
			value.fill(0);
		}

		this.#wiped = true;
	}
}

/**
 * The SDK's plain form of a revealed secret: values as frozen strings, `get(key)` that names the
 * missing key. Strings cannot be wiped: `withSecret` is the form that can.
 */
export function plainSecret(revealed: RevealedSecret): Secret {
	const values = Object.freeze(revealed.values);
	return {
		...revealed.summary,
		values,
		get(key: string) {
			const value = values[key];
			if (value === undefined) {
				throw new KeyNotFoundError(`secret ${revealed.name} has no key ${key} (keys: ${Object.keys(values).join(', ')})`);
			}

			return value;
		},
	};
}

/** A secret whose values the caller may not open (a team `list` member): metadata, and every key marked unavailable. */
export function unavailableSecret(summary: SecretSummary): Secret {
	return {
		...summary,
		values: Object.freeze({}),
		unavailable: [...summary.keys],
		get(key: string): string {
			if (summary.keys.includes(key)) {
				throw new ValuesUnavailableError(`your role in the team opens names and keys, not values: ${summary.name}'s ${key} is unavailable to you`);
			}

			throw new KeyNotFoundError(`secret ${summary.name} has no key ${key} (keys: ${summary.keys.join(', ')})`);
		},
	};
}
