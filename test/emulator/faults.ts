/**
 * Injected failures for testing a client's retry policy: a deterministic PRNG decides, request by
 * request, between an injected 429, a 503, a dropped connection (the request is applied, then the
 * socket is destroyed without an answer) or nothing.
 */

export interface FaultOptions {
	/** share (0..1) of requests answered with an injected 429 */
	rate429?: number;
	/** share (0..1) of injected 429s that carry a Retry-After header */
	retryAfterShare?: number;
	/** share (0..1) of requests answered with a 503 */
	rate503?: number;
	/** share (0..1) of requests applied, then dropped without an answer */
	rateDrop?: number;
	/** PRNG seed: the same seed and request sequence give the same faults (default 1) */
	seed?: number;
	/** Retry-After before time scaling, in seconds (default 2) */
	retryAfterSeconds?: number;
}

export type FaultDecision =
	| { kind: 'none' }
	| { kind: '429'; retryAfter?: string }
	| { kind: '503' }
	| { kind: 'drop' };

/** mulberry32: tiny, fast and good enough to spread faults evenly. */
function mulberry32(seed: number): () => number {
	let state = seed >>> 0;
	return () => {
		state = (state + 0x6d2b79f5) >>> 0;
		let t = state;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

/**
 * Real Miro would send whole seconds (it documents no Retry-After at all); with a shrunk time
 * scale the emulator sends the scaled value, fractional if need be, e.g. "0.02".
 */
export function formatRetryAfter(seconds: number, timeScale: number): string {
	const scaled = seconds * timeScale;
	if (timeScale >= 1) return String(Math.max(1, Math.ceil(scaled)));
	return String(Number(scaled.toFixed(3)));
}

export class FaultInjector {
	private options: FaultOptions = {};
	private random: () => number = mulberry32(1);

	constructor(
		options: FaultOptions | undefined,
		private readonly timeScale: number,
	) {
		this.set(options ?? {});
	}

	/** Replaces the fault options and restarts the PRNG from the seed. */
	set(options: FaultOptions): void {
		for (const key of ['rate429', 'retryAfterShare', 'rate503', 'rateDrop'] as const) {
			const share = options[key];
			if (share !== undefined && !(share >= 0 && share <= 1)) {
				throw new RangeError(`faults.${key} must be between 0 and 1`);
			}
		}
		this.options = { ...options };
		this.random = mulberry32(options.seed ?? 1);
	}

	get current(): FaultOptions {
		return { ...this.options };
	}

	/** One draw per eligible request, so decisions depend only on the seed and request order. */
	next(): FaultDecision {
		const { rate429 = 0, rate503 = 0, rateDrop = 0 } = this.options;
		const draw = this.random();
		if (draw < rate429) {
			const withHeader = this.random() < (this.options.retryAfterShare ?? 0);
			if (!withHeader) return { kind: '429' };
			const seconds = this.options.retryAfterSeconds ?? 2;
			return { kind: '429', retryAfter: formatRetryAfter(seconds, this.timeScale) };
		}
		if (draw < rate429 + rate503) return { kind: '503' };
		if (draw < rate429 + rate503 + rateDrop) return { kind: 'drop' };
		return { kind: 'none' };
	}
}
