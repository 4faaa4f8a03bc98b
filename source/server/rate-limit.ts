/**
 * A token bucket per key (the token id): `perMinute` requests, refilled continuously. 0 turns the
 * limit off. In memory, per server process.
 */
export class RateLimiter {
	readonly #buckets = new Map<string, {tokens: number; at: number}>();
	constructor(private readonly perMinute: number) {}

	take(key: string): boolean {
		if (this.perMinute <= 0) {
			return true;
		}

		const now = Date.now();
		const bucket = this.#buckets.get(key) ?? {tokens: this.perMinute, at: now};
		bucket.tokens = Math.min(this.perMinute, bucket.tokens + ((now - bucket.at) / 60_000) * this.perMinute);
		bucket.at = now;
		if (bucket.tokens < 1) {
			this.#buckets.set(key, bucket);
			return false;
		}

		bucket.tokens -= 1;
		this.#buckets.set(key, bucket);
		return true;
	}
}
