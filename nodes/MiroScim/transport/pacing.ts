import { sleep } from 'n8n-workflow';

import type { IHttpRequestMethods } from 'n8n-workflow';

/**
 * Miro's documented SCIM rate limits: requests per 30-second window, counted per endpoint
 * (all ids of /Users/{id} share one budget). Group PATCHes are limited by body size.
 */
export const MIRO_WINDOW_MS = 30_000;

export const MIRO_RATE_LIMITS = {
	'GET /Users': 200,
	'GET /Users/{id}': 200,
	'POST /Users': 200,
	'PUT /Users/{id}': 100,
	'PATCH /Users/{id}': 100,
	'DELETE /Users/{id}': 20,
	'GET /Groups': 5,
	'GET /Groups/{id}': 20,
	'PATCH /Groups/{id} large': 5,
	'PATCH /Groups/{id} small': 100,
} as const satisfies Record<string, number>;

/** A budget Miro counts: a key of the limits table, so that a misspelt one fails to compile. */
export type PacedEndpoint = keyof typeof MIRO_RATE_LIMITS;

export type RateLimits = Partial<Record<PacedEndpoint, number>>;

export function isPacedEndpoint(endpoint: string): endpoint is PacedEndpoint {
	return Object.prototype.hasOwnProperty.call(MIRO_RATE_LIMITS, endpoint);
}

/** The body size up to which a group PATCH counts as small (100 per window instead of 5). */
export const SMALL_GROUP_PATCH_BYTES = 500;

/** The budget a request draws on, e.g. `PATCH /Groups/{id} small`; unpaced ones have no key. */
export function endpointOf(method: IHttpRequestMethods, path: string, bodyBytes = 0): string {
	const parts = path.split('?')[0].split('/').filter(Boolean);
	const collection = parts[0] ?? '';
	const template = parts.length > 1 ? `/${collection}/{id}` : `/${collection}`;
	const key = `${method} ${template}`;
	if (key === 'PATCH /Groups/{id}') {
		return `${key} ${bodyBytes > SMALL_GROUP_PATCH_BYTES ? 'large' : 'small'}`;
	}
	return key;
}

/** Waits for budget before a request is sent, and hears about the 429s that got through. */
export interface RatePacer {
	/** Waits until one more request to `endpoint` fits, then books it; returns the wait. */
	acquire(endpoint: string, wait?: (ms: number) => Promise<void>): Promise<number>;
	/**
	 * Miro answered 429 for `endpoint`. Returns how long this request should hold off (ms), or
	 * undefined to leave that to Retry-After and backoff.
	 */
	rateLimited(endpoint: string, retryAfterMs: number | undefined): number | undefined;
	/** 429s are bounded by Max Total Wait rather than Max Attempts behind this pacer. */
	readonly boundsRateLimitsByWait: boolean;
}

/**
 * A sliding-window log per endpoint: a request may go when fewer than `limit` were sent in
 * the last window. The window is stretched by a small margin because Miro counts arrivals, not
 * departures, and arrivals of one window can bunch up behind slow ones of the previous. It
 * knows nothing of other processes: k workers send up to k times Miro's budget.
 */
export class SimplePacer implements RatePacer {
	readonly boundsRateLimitsByWait: boolean = false;
	protected readonly sent = new Map<string, number[]>();
	protected readonly span: number;

	constructor(
		protected readonly windowMs: number,
		protected readonly limits: RateLimits = MIRO_RATE_LIMITS,
		marginMs = Math.max(5, Math.round(windowMs * 0.02)),
	) {
		this.span = windowMs + marginMs;
	}

	async acquire(endpoint: string, wait: (ms: number) => Promise<void> = sleep): Promise<number> {
		if (!isPacedEndpoint(endpoint) || this.limits[endpoint] === undefined) return 0;
		const log = this.logOf(endpoint);
		let waited = 0;
		for (;;) {
			const now = Date.now();
			while (log.length > 0 && log[0] <= now - this.span) log.shift();
			// Several callers may wake for the same freed slot; the loop re-checks.
			const delay = this.holdFor(endpoint, log, now);
			if (delay <= 0) {
				log.push(now);
				return waited;
			}
			waited += delay;
			await wait(delay);
		}
	}

	/** Leaves the wait to Retry-After and backoff, as before pacing adapted. */
	rateLimited(_endpoint: string, retryAfterMs: number | undefined): number | undefined {
		return retryAfterMs;
	}

	/** How long a request to `endpoint` must wait now (0: it may go). */
	protected holdFor(endpoint: PacedEndpoint, log: number[], now: number): number {
		return log.length < (this.limits[endpoint] ?? Infinity) ? 0 : log[0] + this.span - now + 1;
	}

	protected logOf(endpoint: string): number[] {
		let log = this.sent.get(endpoint);
		if (!log) {
			log = [];
			this.sent.set(endpoint, log);
		}
		return log;
	}
}

/** Tunes how a process adapts its share of Miro's budget (additive increase, multiplicative decrease). */
export const ADAPTIVE_PACING = {
	/** After a 429 the allowance is multiplied by this (at most once per window). */
	decrease: 0.7,
	/** After a window that used its allowance without a 429, it grows by this share of the limit. */
	increase: 0.05,
} as const;

export type AllowanceEvent =
	/** A 429 arrived, `sinceDecreaseMs` after the last decrease. */
	| { kind: 'rateLimited'; sinceDecreaseMs: number; windowMs: number }
	/** A window ended: `binding` if requests had to wait for the allowance, `rateLimited` if a 429 came. */
	| { kind: 'windowEnded'; binding: boolean; rateLimited: boolean };

/**
 * The allowance after `event`, for an endpoint Miro limits to `limit` per window. k processes
 * that each lower theirs on a 429 and regain slowly in clean, busy windows settle around a
 * k-th of the limit each, as TCP flows share a link, without knowing of one another. One 429
 * burst (several requests in flight) lowers it once, not once per 429.
 */
export function nextAllowance(allowed: number, limit: number, event: AllowanceEvent): number {
	if (event.kind === 'rateLimited') {
		if (event.sinceDecreaseMs < event.windowMs) return allowed;
		return Math.max(1, Math.floor(allowed * ADAPTIVE_PACING.decrease));
	}
	if (event.rateLimited || !event.binding) return allowed;
	return Math.min(limit, allowed + Math.max(1, Math.round(limit * ADAPTIVE_PACING.increase)));
}

interface Allowance {
	allowed: number;
	windowStart: number;
	binding: boolean;
	rateLimited: boolean;
	decreasedAt: number;
	pausedUntil: number;
}

/**
 * The sliding window of SimplePacer, with two answers to a 429 that need no shared store
 * between n8n workers: the endpoint pauses for every request in this process until
 * Retry-After (or, without one, until this process's own window frees a slot), and the
 * allowance adapts (`nextAllowance`), so that k workers converge to sharing Miro's budget.
 */
export class AdaptivePacer extends SimplePacer {
	override readonly boundsRateLimitsByWait: boolean = true;
	private readonly allowances = new Map<string, Allowance>();

	/** The current allowance per window for `endpoint` (for tests and benchmarks). */
	allowance(endpoint: PacedEndpoint): number {
		return this.allowanceOf(endpoint, Date.now()).allowed;
	}

	override rateLimited(endpoint: string, retryAfterMs: number | undefined): number | undefined {
		if (!isPacedEndpoint(endpoint) || this.limits[endpoint] === undefined) return retryAfterMs;
		const now = Date.now();
		const state = this.allowanceOf(endpoint, now);
		const log = this.logOf(endpoint);
		const pause = retryAfterMs ?? (log.length > 0 ? log[0] + this.span - now : this.windowMs);
		state.pausedUntil = Math.max(state.pausedUntil, now + pause);
		const event = {
			kind: 'rateLimited',
			sinceDecreaseMs: now - state.decreasedAt,
			windowMs: this.windowMs,
		} as const;
		const allowed = nextAllowance(state.allowed, this.limits[endpoint] ?? 1, event);
		if (allowed !== state.allowed) state.decreasedAt = now;
		state.allowed = allowed;
		state.rateLimited = true;
		return state.pausedUntil - now;
	}

	protected override holdFor(endpoint: PacedEndpoint, log: number[], now: number): number {
		const state = this.allowanceOf(endpoint, now);
		if (state.pausedUntil > now) return state.pausedUntil - now;
		if (log.length < state.allowed) return 0;
		state.binding = true;
		return log[log.length - state.allowed] + this.span - now + 1;
	}

	/** The endpoint's allowance, moved on by the windows that ended since it was last seen. */
	private allowanceOf(endpoint: PacedEndpoint, now: number): Allowance {
		const limit = this.limits[endpoint] ?? 1;
		let state = this.allowances.get(endpoint);
		if (!state) {
			state = {
				allowed: limit,
				windowStart: now,
				binding: false,
				rateLimited: false,
				decreasedAt: -Infinity,
				pausedUntil: 0,
			};
			this.allowances.set(endpoint, state);
		}
		if (now - state.windowStart >= this.windowMs) {
			state.allowed = nextAllowance(state.allowed, limit, {
				kind: 'windowEnded',
				binding: state.binding,
				rateLimited: state.rateLimited,
			});
			Object.assign(state, { windowStart: now, binding: false, rateLimited: false });
		}
		return state;
	}
}

export type PacerKind = 'adaptive' | 'simple';

const PACERS: Record<PacerKind, (windowMs: number) => RatePacer> = {
	adaptive: (windowMs) => new AdaptivePacer(windowMs),
	simple: (windowMs) => new SimplePacer(windowMs),
};

/**
 * One pacer per credential, base URL, window and kind, shared by every execution in this
 * process: two workflows using the same Miro token draw on the same budget at Miro.
 */
const pacers = new Map<string, RatePacer>();

export function pacerFor(key: string, windowMs: number, kind: PacerKind = 'adaptive'): RatePacer {
	const id = `${key}|${windowMs}|${kind}`;
	let pacer = pacers.get(id);
	if (!pacer) {
		pacer = PACERS[kind](windowMs);
		pacers.set(id, pacer);
	}
	return pacer;
}
