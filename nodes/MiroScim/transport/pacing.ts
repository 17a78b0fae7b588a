import { sleep } from 'n8n-workflow';

import type { IHttpRequestMethods } from 'n8n-workflow';

import { decideShare, nextNoise, SHARE_RULES } from './share';
import type { ShareView } from './share';

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
	// Creating and deleting user groups: Miro publishes no limit, so these get the scarcest
	// published budget (a group search's) rather than none.
	'POST /Groups': 5,
	'DELETE /Groups/{id}': 5,
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

/**
 * The node's Pacing option, read as is by the pacer and by `decideRetry`:
 * - `adaptive`: wait for Miro's budget, and settle on the share other clients leave (share.ts);
 *   429s are bounded by Max Total Wait, not Max Attempts.
 * - `simple`: wait for Miro's budget as if this process had it alone; 429s count as attempts.
 * - `off`: send at once; 429s count as attempts.
 */
export type Pacing = 'off' | 'simple' | 'adaptive';

export const PACINGS: readonly Pacing[] = ['adaptive', 'simple', 'off'];

export function isPacing(value: unknown): value is Pacing {
	return PACINGS.includes(value as Pacing);
}

/** The budget a request draws on, e.g. `PATCH /Groups/{id} small`; undefined when Miro sets none. */
export function endpointOf(
	method: IHttpRequestMethods,
	path: string,
	bodyBytes = 0,
): PacedEndpoint | undefined {
	const parts = path.split('?')[0].split('/').filter(Boolean);
	const collection = parts[0] ?? '';
	const template = parts.length > 1 ? `/${collection}/{id}` : `/${collection}`;
	let key = `${method} ${template}`;
	if (key === 'PATCH /Groups/{id}') {
		key = `${key} ${bodyBytes > SMALL_GROUP_PATCH_BYTES ? 'large' : 'small'}`;
	}
	return isPacedEndpoint(key) ? key : undefined;
}

/** A request's place in its endpoint's window: when it was booked, after how long a wait. */
export interface Booking {
	at: number;
	waitedMs: number;
	/** Tells apart bookings made in the same millisecond. */
	seq: number;
}

/** Waits for budget before a request is sent, and hears what Miro answered. */
export interface RatePacer {
	readonly pacing: Exclude<Pacing, 'off'>;
	/** Waits until one more request to `endpoint` fits, then books it. */
	acquire(endpoint: PacedEndpoint, wait?: (ms: number) => Promise<void>): Promise<Booking>;
	/**
	 * Miro answered the request booked as `booking` with `status`. A 429 gives its place back:
	 * Miro counts the requests it accepted, not those it refused. For a 429, returns how long
	 * that request holds off (ms), or undefined to leave it to backoff.
	 */
	answered(
		endpoint: PacedEndpoint,
		status: number,
		retryAfterMs?: number,
		booking?: Booking,
	): number | undefined;
	/** A request to `endpoint` got no answer (a network failure): it is no longer in flight. */
	released(endpoint: PacedEndpoint): void;
}

/**
 * A sliding-window log per endpoint: a request may go when fewer than `limit` were sent in
 * the last window. The window is stretched by a small margin because Miro counts arrivals, not
 * departures, and arrivals of one window can bunch up behind slow ones of the previous. A
 * request Miro refused (429) leaves the log: Miro's window holds what it accepted, so a refused
 * request's place is free for the next, instead of lost for a whole window. (Miro does not say
 * whether it counts refusals; if it did, the adaptive pacer would meet more 429s and settle on
 * what fits.) It knows nothing of other processes: k workers send up to k times Miro's budget.
 */
export class SimplePacer implements RatePacer {
	readonly pacing: Exclude<Pacing, 'off'> = 'simple';
	protected readonly sent = new Map<PacedEndpoint, number[]>();
	private bookings = 0;
	/** Requests sent and not answered yet, per endpoint. */
	protected readonly inFlight = new Map<PacedEndpoint, number>();
	protected readonly span: number;

	constructor(
		protected readonly windowMs: number,
		protected readonly limits: RateLimits = MIRO_RATE_LIMITS,
		marginMs = Math.max(5, Math.round(windowMs * 0.02)),
	) {
		this.span = windowMs + marginMs;
	}

	async acquire(
		endpoint: PacedEndpoint,
		wait: (ms: number) => Promise<void> = sleep,
	): Promise<Booking> {
		if (this.limits[endpoint] === undefined) {
			return { at: Date.now(), waitedMs: 0, seq: ++this.bookings };
		}
		const log = this.logOf(endpoint);
		let waited = 0;
		for (;;) {
			const now = Date.now();
			while (log.length > 0 && log[0] <= now - this.span) log.shift();
			// Several callers may wake for the same freed slot; the loop re-checks.
			const delay = this.holdFor(endpoint, log, now);
			if (delay <= 0) {
				log.push(now);
				this.inFlight.set(endpoint, (this.inFlight.get(endpoint) ?? 0) + 1);
				const seq = ++this.bookings;
				this.onGranted?.(endpoint, seq);
				return { at: now, waitedMs: waited, seq };
			}
			const nap = this.recheckAfter(endpoint, delay);
			waited += nap;
			await wait(nap);
		}
	}

	/** Gives a refused request's place back; leaves the wait to Retry-After and backoff. */
	answered(
		endpoint: PacedEndpoint,
		status: number,
		retryAfterMs?: number,
		booking?: Booking,
	): number | undefined {
		if (booking) this.landed(endpoint);
		if (status === 429 && booking) this.unbook(endpoint, booking.at);
		return retryAfterMs;
	}

	released(endpoint: PacedEndpoint): void {
		this.landed(endpoint);
	}

	/** A request to `endpoint` was let go as booking `seq` (the adaptive pacer marks probes). */
	protected onGranted?(endpoint: PacedEndpoint, seq: number): void;

	/** One request to `endpoint` is no longer in flight. */
	protected landed(endpoint: PacedEndpoint): void {
		this.inFlight.set(endpoint, Math.max(0, (this.inFlight.get(endpoint) ?? 0) - 1));
	}

	/** Takes one booking made at `at` out of the endpoint's log (gone already: nothing). */
	protected unbook(endpoint: PacedEndpoint, at: number): void {
		const log = this.logOf(endpoint);
		const index = log.lastIndexOf(at);
		if (index >= 0) log.splice(index, 1);
	}

	/** How long a waiting request sleeps before it looks again (the adaptive pacer probes). */
	protected recheckAfter(_endpoint: PacedEndpoint, delay: number): number {
		return delay;
	}

	/** How long a request to `endpoint` must wait now (0: it may go). */
	protected holdFor(endpoint: PacedEndpoint, log: number[], now: number): number {
		return log.length < (this.limits[endpoint] ?? Infinity) ? 0 : log[0] + this.span - now + 1;
	}

	protected logOf(endpoint: PacedEndpoint): number[] {
		let log = this.sent.get(endpoint);
		if (!log) {
			log = [];
			this.sent.set(endpoint, log);
		}
		return log;
	}
}

/** One endpoint's share as the adaptive pacer tracks it. */
interface Share {
	allowed: number;
	windowStart: number;
	binding: boolean;
	spent: boolean;
	/** Clean, busy windows in a row before the current one. */
	cleanWindows: number;
	pausedUntil: number;
	/** The latest answers: when, and whether each was a 429. */
	answers: Array<{ at: number; rateLimited: boolean }>;
	/** Answers in the current window until it was read as spent, and 429s among them. */
	windowAnswers: number;
	windowRateLimited: number;
	/** The window's measure of the noise: its answers before the run of 429s that spent it. */
	noiseSample?: { answers: number; rateLimited: number };
	/** The usual share of 429s per window (`nextNoise`). */
	noise?: number;
	/** A probe (a request above the allowance) was let go and is about to be booked... */
	probeGranted: boolean;
	/** ...as this booking, in flight until its answer. */
	probeSeq?: number;
	/** A probe was refused in this window: no more until the next. */
	probeRefused: boolean;
	/** Spent verdicts since the last success. */
	spentInRow: number;
	/**
	 * The last answer was a 429: one request at a time until an answer that is not, so that a
	 * budget that just ran out costs one 429 per answer, not one per request in flight.
	 */
	wary: boolean;
}

/**
 * A request held this long (share of the window) may go as a probe above the allowance, one at
 * a time; a waiting request looks again after this share of the window.
 */
const PROBE_AFTER_SHARE = 0.1;
const PROBE_RECHECK_SHARE = 0.01;

/**
 * The sliding window of SimplePacer with a share of the budget that adapts (`decideShare`): no
 * store shared between n8n workers is needed, as each settles on what the others leave. Only a
 * spent budget (429s that keep coming) holds the endpoint for the whole process; a lone 429
 * holds only the request that met it, for its Retry-After or backoff.
 */
export class AdaptivePacer extends SimplePacer {
	override readonly pacing: Exclude<Pacing, 'off'> = 'adaptive';
	private readonly shares = new Map<PacedEndpoint, Share>();

	/** The current allowance per window for `endpoint` (for tests and benchmarks). */
	allowance(endpoint: PacedEndpoint): number {
		return this.shareOf(endpoint, Date.now()).allowed;
	}

	override answered(
		endpoint: PacedEndpoint,
		status: number,
		retryAfterMs?: number,
		booking?: Booking,
	): number | undefined {
		// In flight no more; a refused request gives its place back.
		super.answered(endpoint, status, retryAfterMs, booking);
		const limit = this.limits[endpoint];
		if (limit === undefined) return retryAfterMs;
		const now = Date.now();
		const share = this.shareOf(endpoint, now);
		const rateLimited = status === 429;
		if (booking && share.probeSeq === booking.seq) this.probeAnswered(share, limit, status);
		share.wary = rateLimited;
		if (status < 400) share.spentInRow = 0;
		share.answers.push({ at: now, rateLimited });
		if (!share.spent) {
			share.windowAnswers++;
			if (rateLimited) share.windowRateLimited++;
		}
		while (
			share.answers.length > SHARE_RULES.recentAnswers ||
			share.answers[0].at <= now - this.windowMs
		) {
			share.answers.shift();
		}
		const decision = decideShare(this.viewOf(endpoint, share, limit, now), {
			kind: 'answered',
			status,
			retryAfterMs,
		});
		share.allowed = decision.allowance;
		if (decision.verdict === 'spent') {
			share.spentInRow++;
			if (!share.spent) share.noiseSample = this.sampleBeforeRun(share);
			share.spent = true;
		}
		share.pausedUntil = Math.max(share.pausedUntil, now + decision.pauseMs);
		// A spent budget frees when the endpoint's hold ends: the request waits exactly that, not
		// a backoff that doubles while the window slides (a 30 s window outlasts several).
		return decision.verdict === 'spent' ? share.pausedUntil - now : retryAfterMs;
	}

	/** This window's answers before the run of 429s that spent it: they measure the noise. */
	private sampleBeforeRun(share: Share): { answers: number; rateLimited: number } {
		const recentRateLimited = share.answers.filter((answer) => answer.rateLimited).length;
		return {
			answers: Math.max(0, share.windowAnswers - share.answers.length),
			rateLimited: Math.max(0, share.windowRateLimited - recentRateLimited),
		};
	}

	private viewOf(endpoint: PacedEndpoint, share: Share, limit: number, now: number): ShareView {
		const log = this.logOf(endpoint);
		while (log.length > 0 && log[0] <= now - this.span) log.shift();
		const rateLimited = share.answers.filter((answer) => answer.rateLimited).length;
		return {
			limit,
			allowance: share.allowed,
			acceptedInWindow: log.length,
			recentAnswers: share.answers.length,
			recentRateLimited: rateLimited,
			windowAnswers: share.windowAnswers,
			windowRateLimited: share.windowRateLimited,
			noise: share.noise,
			cleanWindows: share.cleanWindows,
			nextSlotMs: log.length > 0 ? Math.max(0, log[0] + this.span - now) : 0,
			windowMs: this.windowMs,
			spentInRow: share.spentInRow,
		};
	}

	protected override holdFor(endpoint: PacedEndpoint, log: number[], now: number): number {
		const share = this.shareOf(endpoint, now);
		if (share.pausedUntil > now) return share.pausedUntil - now;
		if (share.wary && (this.inFlight.get(endpoint) ?? 0) > 0) return this.recheckMs();
		if (log.length < share.allowed) return 0;
		share.binding = true;
		const hold = log[log.length - share.allowed] + this.span - now + 1;
		if (this.mayProbe(endpoint, share) && hold > this.windowMs * PROBE_AFTER_SHARE) {
			share.probeGranted = true;
			return 0;
		}
		return hold;
	}

	/**
	 * Whether a request held by the allowance may go as a probe: the allowance is below Miro's
	 * limit, no probe is in flight and none was refused in this window. The share another client
	 * (or worker) left may have grown since the allowance was set: a probe that is accepted
	 * raises the allowance by one at once, instead of at the window's end. Without it, a worker
	 * that settled on a third of the budget keeps to it when the others have finished.
	 */
	private mayProbe(endpoint: PacedEndpoint, share: Share): boolean {
		const limit = this.limits[endpoint] ?? 0;
		return (
			share.allowed < limit &&
			!share.probeGranted &&
			share.probeSeq === undefined &&
			!share.probeRefused
		);
	}

	protected override onGranted(endpoint: PacedEndpoint, seq: number): void {
		const share = this.shareOf(endpoint, Date.now());
		if (!share.probeGranted) return;
		share.probeGranted = false;
		share.probeSeq = seq;
	}

	private probeAnswered(share: Share, limit: number, status: number): void {
		share.probeSeq = undefined;
		if (status === 429) share.probeRefused = true;
		else if (status < 400) share.allowed = Math.min(limit, share.allowed + 1);
	}

	/** While a probe may go, waiting requests look again often, so that the next probe follows. */
	protected override recheckAfter(endpoint: PacedEndpoint, delay: number): number {
		const share = this.shareOf(endpoint, Date.now());
		if (!this.mayProbe(endpoint, share) && share.probeSeq === undefined) return delay;
		return Math.min(delay, this.recheckMs());
	}

	private recheckMs(): number {
		return Math.max(5, this.windowMs * PROBE_RECHECK_SHARE);
	}

	/** The endpoint's share, moved on by the window that ended since it was last seen. */
	private shareOf(endpoint: PacedEndpoint, now: number): Share {
		const limit = this.limits[endpoint] ?? 1;
		let share = this.shares.get(endpoint);
		if (!share) {
			share = {
				allowed: limit,
				windowStart: now,
				binding: false,
				spent: false,
				cleanWindows: 0,
				pausedUntil: 0,
				answers: [],
				windowAnswers: 0,
				windowRateLimited: 0,
				probeRefused: false,
				probeGranted: false,
				spentInRow: 0,
				wary: false,
			};
			this.shares.set(endpoint, share);
		}
		if (now - share.windowStart >= this.windowMs) this.endWindow(endpoint, share, limit, now);
		return share;
	}

	private endWindow(endpoint: PacedEndpoint, share: Share, limit: number, now: number): void {
		const { binding, spent, windowAnswers: answers, windowRateLimited: rateLimited } = share;
		const view = this.viewOf(endpoint, share, limit, now);
		const decision = decideShare(view, { kind: 'windowEnded', binding, spent });
		share.noise = nextNoise(share.noise, share.noiseSample ?? { answers, rateLimited });
		Object.assign(share, {
			allowed: decision.allowance,
			cleanWindows: binding && !spent ? share.cleanWindows + 1 : 0,
			windowStart: now,
			binding: false,
			spent: false,
			windowAnswers: 0,
			windowRateLimited: 0,
			noiseSample: undefined,
			probeRefused: false,
			// A probe whose answer never came (a lost connection) does not block the next window's.
			probeSeq: undefined,
		});
	}
}

const PACERS: Record<Exclude<Pacing, 'off'>, (windowMs: number) => RatePacer> = {
	adaptive: (windowMs) => new AdaptivePacer(windowMs),
	simple: (windowMs) => new SimplePacer(windowMs),
};

/**
 * One pacer per credential, base URL, window and pacing, shared by every execution in this
 * process: two workflows using the same Miro token draw on the same budget at Miro.
 */
const pacers = new Map<string, RatePacer>();

export function pacerFor(
	key: string,
	windowMs: number,
	pacing: Exclude<Pacing, 'off'> = 'adaptive',
): RatePacer {
	const id = `${key}|${windowMs}|${pacing}`;
	let pacer = pacers.get(id);
	if (!pacer) {
		pacer = PACERS[pacing](windowMs);
		pacers.set(id, pacer);
	}
	return pacer;
}
