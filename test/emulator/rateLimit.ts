/**
 * Miro's per-endpoint rate limits (30-second windows, from its SCIM reference) as sliding
 * windows: a request is accepted while fewer than `limit` requests were accepted in the last
 * window. Limits are per endpoint across all ids, e.g. every PATCH /Users/{id} shares one budget.
 */

export const MIRO_WINDOW_MS = 30_000;

/** Above this body size a group PATCH draws on the small budget of 5 per window. */
export const LARGE_GROUP_PATCH_BYTES = 500;

export type Endpoint =
	| 'GET /Users'
	| 'POST /Users'
	| 'GET /Users/{id}'
	| 'PUT /Users/{id}'
	| 'PATCH /Users/{id}'
	| 'DELETE /Users/{id}'
	| 'GET /Groups'
	| 'GET /Groups/{id}'
	| 'POST /Groups'
	| 'DELETE /Groups/{id}'
	| 'PATCH /Groups/{id} (body > 500 bytes)'
	| 'PATCH /Groups/{id} (body <= 500 bytes)';

export const MIRO_RATE_LIMITS: Readonly<Record<Endpoint, number>> = {
	'GET /Users': 200,
	'POST /Users': 200,
	'GET /Users/{id}': 200,
	'PUT /Users/{id}': 100,
	'PATCH /Users/{id}': 100,
	'DELETE /Users/{id}': 20,
	// Looking a team up by name is the scarcest call Miro allows.
	'GET /Groups': 5,
	'GET /Groups/{id}': 20,
	// Miro publishes no limit for creating or deleting user groups; the emulator assumes the
	// same 5 per window as a group search, the budget the node paces them at.
	'POST /Groups': 5,
	'DELETE /Groups/{id}': 5,
	'PATCH /Groups/{id} (body > 500 bytes)': 5,
	'PATCH /Groups/{id} (body <= 500 bytes)': 100,
};

/** A group PATCH's rate-limit class: Miro budgets large bodies apart from small ones. */
export function groupPatchEndpoint(bodyBytes: number): Endpoint {
	return bodyBytes > LARGE_GROUP_PATCH_BYTES
		? 'PATCH /Groups/{id} (body > 500 bytes)'
		: 'PATCH /Groups/{id} (body <= 500 bytes)';
}

export interface RateDecision {
	allowed: boolean;
	/** Milliseconds until the oldest accepted request leaves the window (when refused). */
	retryAfterMs: number;
}

/** What other clients hold of an endpoint's budget in the window ending at `now`. */
export type HeldByOthers = (endpoint: Endpoint, limit: number, now: number) => number;

export class SlidingWindowLimiter {
	private readonly accepted = new Map<Endpoint, number[]>();

	constructor(
		private readonly windowMs: number,
		private readonly limits: Readonly<Record<Endpoint, number>> = MIRO_RATE_LIMITS,
		private readonly clock: () => number = () => performance.now(),
		private readonly heldByOthers?: HeldByOthers,
	) {}

	take(endpoint: Endpoint): RateDecision {
		const now = this.clock();
		const times = this.accepted.get(endpoint) ?? [];
		let expired = 0;
		while (expired < times.length && times[expired] <= now - this.windowMs) expired++;
		if (expired > 0) times.splice(0, expired);
		this.accepted.set(endpoint, times);
		const limit = this.limits[endpoint];
		const held = this.heldByOthers?.(endpoint, limit, now) ?? 0;
		if (times.length + held >= limit) {
			const oldest = times.length > 0 ? times[0] + this.windowMs - now : this.windowMs / limit;
			return { allowed: false, retryAfterMs: Math.max(0, oldest) };
		}
		times.push(now);
		return { allowed: true, retryAfterMs: 0 };
	}

	/** Takes back the latest request accepted for `endpoint`: it was refused after all (a 429). */
	release(endpoint: Endpoint): void {
		this.accepted.get(endpoint)?.pop();
	}

	reset(): void {
		this.accepted.clear();
	}
}
