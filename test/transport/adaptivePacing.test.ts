import { sleep } from 'n8n-workflow';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

import { AdaptivePacer, SimplePacer } from '../../nodes/MiroScim/transport/pacing';
import type { Booking, PacedEndpoint, RatePacer } from '../../nodes/MiroScim/transport/pacing';
import { decideRetry, FIRST_ATTEMPT, nextAttempt } from '../../nodes/MiroScim/transport/retry';
import type { RequestTraits, RetryPolicy } from '../../nodes/MiroScim/transport/retry';

describe('AdaptivePacer', () => {
	beforeEach(() => {
		vi.useFakeTimers({ now: 1_000_000 });
	});
	afterEach(() => {
		vi.useRealTimers();
	});

	const limits = { 'GET /Groups': 10, 'GET /Users': 10 };

	function acquired(pacer: RatePacer, endpoint: PacedEndpoint) {
		let booked: Booking | undefined;
		const done = pacer.acquire(endpoint).then((booking) => (booked = booking));
		return { done, waited: () => booked?.waitedMs, booking: () => booked };
	}

	/** Sends `count` requests to `endpoint` now and hears `status` for each. */
	async function answers(pacer: AdaptivePacer, endpoint: PacedEndpoint, statuses: number[]) {
		for (const status of statuses) {
			const booking = await pacer.acquire(endpoint);
			pacer.answered(endpoint, status, undefined, booking);
		}
	}

	it('a lone 429 holds only its own request: the endpoint goes on', async () => {
		const pacer = new AdaptivePacer(1000, limits, 0);
		await answers(pacer, 'GET /Groups', [200, 200, 429]);

		expect(pacer.answered('GET /Groups', 429)).toBeUndefined(); // backoff, not a pause
		const next = acquired(pacer, 'GET /Groups');
		await vi.advanceTimersByTimeAsync(0);
		expect(next.waited()).toBe(0);
		expect(pacer.allowance('GET /Groups')).toBe(10);
	});

	it('Retry-After on a lone 429 holds only its request; on 429s that keep coming, the endpoint', async () => {
		const pacer = new AdaptivePacer(1000, limits, 0);
		await answers(pacer, 'GET /Groups', [200, 200, 200]);

		// Its own request waits 500 ms (decideRetry reads this); the endpoint goes on.
		expect(pacer.answered('GET /Groups', 429, 500)).toBe(500);
		const lone = acquired(pacer, 'GET /Groups');
		await vi.advanceTimersByTimeAsync(0);
		expect(lone.waited()).toBe(0);

		// No noise measured yet (2% assumed): four 429s among the recent answers are a run, spent;
		// every request to it holds for Retry-After.
		expect(pacer.answered('GET /Groups', 429, 500, lone.booking())).toBe(500);
		expect(pacer.answered('GET /Groups', 429, 500)).toBe(500);
		pacer.answered('GET /Groups', 429, 500);
		const groups = acquired(pacer, 'GET /Groups');
		const users = acquired(pacer, 'GET /Users');
		await vi.advanceTimersByTimeAsync(0);
		expect(users.waited()).toBe(0);
		expect(groups.waited()).toBeUndefined();
		await vi.advanceTimersByTimeAsync(500);
		expect(groups.waited()).toBe(500);
	});

	it('429s that keep coming lower the allowance to what fit and hold until a slot frees', async () => {
		const pacer = new AdaptivePacer(1000, limits, 0);
		// Another client took the rest: 4 fit, then every answer is 429.
		await answers(pacer, 'GET /Groups', [200, 200, 200, 200, 429, 429, 429]);
		expect(pacer.allowance('GET /Groups')).toBe(10);
		await vi.advanceTimersByTimeAsync(300);
		// Spent: this request holds until the endpoint's own oldest slot frees (t = 1000), not a backoff.
		expect(pacer.answered('GET /Groups', 429)).toBe(700);
		// The fourth 429 in a row: what fit, 4 (the refused ones gave their places back).
		expect(pacer.allowance('GET /Groups')).toBe(4);
		pacer.answered('GET /Groups', 429);
		expect(pacer.allowance('GET /Groups')).toBe(4);
		// The endpoint holds until its oldest request (t = 0) leaves the window; others go on.
		const groups = acquired(pacer, 'GET /Groups');
		const users = acquired(pacer, 'GET /Users');
		await vi.advanceTimersByTimeAsync(0);
		expect(users.waited()).toBe(0);
		await vi.advanceTimersByTimeAsync(699);
		expect(groups.waited()).toBeUndefined();
		await vi.advanceTimersByTimeAsync(400);
		expect(groups.waited()).toBeGreaterThanOrEqual(700);
	});

	it('paces to the lowered allowance, probes above it, and regains after busy clean windows, not idle ones', async () => {
		const pacer = new AdaptivePacer(1000, limits, 0);
		await answers(pacer, 'GET /Groups', [200, 200, 200, 200, 429, 429, 429, 429]);
		// What fit: 4.
		expect(pacer.allowance('GET /Groups')).toBe(4);

		await vi.advanceTimersByTimeAsync(1000);
		expect(pacer.allowance('GET /Groups')).toBe(4); // the spent window: no regain
		await vi.advanceTimersByTimeAsync(1000);
		expect(pacer.allowance('GET /Groups')).toBe(4); // idle: no regain

		/** Four more requests in this window. */
		async function busyWindow() {
			const sent = Array.from({ length: 4 }, () => acquired(pacer, 'GET /Groups'));
			await vi.advanceTimersByTimeAsync(0);
			return sent;
		}
		// After a 429, one request at a time until a good answer.
		const warm = await pacer.acquire('GET /Groups');
		const held = acquired(pacer, 'GET /Groups');
		await vi.advanceTimersByTimeAsync(0);
		expect(held.waited()).toBeUndefined();
		pacer.answered('GET /Groups', 200, undefined, warm);
		await vi.advanceTimersByTimeAsync(10);
		expect(held.waited()).toBe(10);
		const first = await busyWindow();
		// Two more fit the share of 4; the next, held for most of a window, goes as a probe;
		// the last waits for the probe's answer.
		expect(first.map((s) => s.waited())).toEqual([0, 0, 0, undefined]);
		// An answer to a request booked in the same millisecond is not the probe's.
		pacer.answered('GET /Groups', 200, undefined, first[0].booking());
		expect(pacer.allowance('GET /Groups')).toBe(4);
		// The probe is accepted: the share grows by one at once, and the last probes next.
		pacer.answered('GET /Groups', 200, undefined, first[2].booking());
		expect(pacer.allowance('GET /Groups')).toBe(5);
		await vi.advanceTimersByTimeAsync(20);
		expect(first[3].waited()).toBeGreaterThan(0);
		// Refused: no more probes in this window.
		pacer.answered('GET /Groups', 429, undefined, first[3].booking());
		pacer.answered('GET /Groups', 200, undefined, first[1].booking());
		const seventh = acquired(pacer, 'GET /Groups');
		await vi.advanceTimersByTimeAsync(500);
		expect(seventh.waited()).toBeUndefined();
		// The window ends busy and clean: 10% of the limit more.
		await vi.advanceTimersByTimeAsync(600);
		expect(pacer.allowance('GET /Groups')).toBe(6);
	});

	it.each([
		['simple', SimplePacer],
		['adaptive', AdaptivePacer],
	])('%s: a refused request gives its place back, a failed one keeps it', async (_, Pacer) => {
		const pacer = new Pacer(1000, { 'GET /Groups': 2 }, 0);
		const first = await pacer.acquire('GET /Groups');
		const refused = await pacer.acquire('GET /Groups');
		pacer.answered('GET /Groups', 200, undefined, first);
		pacer.answered('GET /Groups', 429, undefined, refused);
		// Miro did not count it: the next request goes now, not a window later.
		const next = await pacer.acquire('GET /Groups');
		expect(next.waitedMs).toBe(0);
		// A 503 (Miro's limiter may have let it in) keeps its place: the window is full.
		pacer.answered('GET /Groups', 503, undefined, next);
		const third = acquired(pacer, 'GET /Groups');
		await vi.advanceTimersByTimeAsync(999);
		expect(third.waited()).toBeUndefined();
		await vi.advanceTimersByTimeAsync(2);
		expect(third.waited()).toBe(1001);
	});

	it('server errors never lower the allowance, however many', async () => {
		const pacer = new AdaptivePacer(1000, limits, 0);
		await answers(pacer, 'GET /Groups', [503, 503, 503, 503, 503, 502, 500]);
		expect(pacer.allowance('GET /Groups')).toBe(10);
	});

	it('the simple pacer leaves every 429 to Retry-After and backoff', () => {
		const pacer = new SimplePacer(1000, limits, 0);
		expect(pacer.answered('GET /Groups', 429, 250)).toBe(250);
		expect(pacer.answered('GET /Groups', 429)).toBeUndefined();
		expect(pacer.pacing).toBe('simple');
		expect(new AdaptivePacer(1000).pacing).toBe('adaptive');
	});
});

/**
 * One limited server, two processes (workers) each with its own pacer and no shared store,
 * real time shrunk to 200 ms windows. Requests go through decideRetry exactly as the client
 * sends them. Counts are asserted, never durations.
 */
describe('two workers against one limited server', () => {
	const WINDOW_MS = 200;
	const LIMIT = 10;
	const ENDPOINT: PacedEndpoint = 'POST /Users';

	/** Miro's side: a sliding window of accepted requests; a 429 says when a slot frees. */
	function limitedServer() {
		const accepted: number[] = [];
		const counts = { ok: 0, rateLimited: 0 };
		return {
			counts,
			hit(): { status: number; retryAfterMs?: number } {
				const now = Date.now();
				while (accepted.length > 0 && accepted[0] <= now - WINDOW_MS) accepted.shift();
				if (accepted.length >= LIMIT) {
					counts.rateLimited++;
					return { status: 429, retryAfterMs: accepted[0] + WINDOW_MS - now };
				}
				accepted.push(now);
				counts.ok++;
				return { status: 201 };
			},
		};
	}

	const policy: RetryPolicy = {
		maxAttempts: 6,
		baseDelayMs: 10,
		maxDelayMs: 1000,
		maxTotalWaitMs: 20_000,
	};

	/** One request as ScimClient sends it: pace, send, then do what decideRetry says. */
	async function send(pacer: RatePacer, server: ReturnType<typeof limitedServer>) {
		const traits: RequestTraits = {
			idempotent: true,
			canRecover: false,
			recoverOnConflict: false,
			accept: [],
			pacing: pacer.pacing,
		};
		let progress = FIRST_ATTEMPT;
		for (;;) {
			const booking = await pacer.acquire(ENDPOINT);
			const answer = server.hit();
			const holdMs = pacer.answered(ENDPOINT, answer.status, answer.retryAfterMs, booking);
			const decision = decideRetry({ status: answer.status, holdMs }, traits, progress, policy);
			if (decision.action === 'answer') return true;
			if (decision.action !== 'retry') return false;
			await sleep(decision.delayMs);
			progress = nextAttempt(progress, decision);
		}
	}

	/** A worker: `count` requests, `concurrency` at a time. */
	async function worker(pacer: RatePacer, server: ReturnType<typeof limitedServer>, count: number) {
		let next = 0;
		let failed = 0;
		const lane = async () => {
			while (next < count) {
				next++;
				if (!(await send(pacer, server))) failed++;
			}
		};
		await Promise.all(Array.from({ length: 4 }, lane));
		return failed;
	}

	async function race(make: () => RatePacer) {
		const server = limitedServer();
		const pacers = [make(), make()];
		const failed = await Promise.all(pacers.map(async (pacer) => await worker(pacer, server, 40)));
		return { server, pacers, failed: failed[0] + failed[1] };
	}

	it('adaptive pacers converge to sharing the budget: every request succeeds, few 429s', async () => {
		const adaptive = await race(() => new AdaptivePacer(WINDOW_MS, { [ENDPOINT]: LIMIT }));

		expect(adaptive.failed).toBe(0);
		expect(adaptive.server.counts.ok).toBe(80);
		// 80 requests at 10 per window are eight windows: the first window's burst (two processes
		// at the full limit) and the probes above the share (one refused per window and process
		// at most) are most of these 429s, the price of learning without a shared store; with a
		// real limit (100 or 200 per window) the same few are a few per cent (npm run bench:queue).
		expect(adaptive.server.counts.rateLimited).toBeLessThan(0.5 * 80);

		// The simple pacer beside it (counts, not times; the bench measures): each process
		// believes it has the whole budget and keeps bouncing off the server.
		const simple = await race(() => new SimplePacer(WINDOW_MS, { [ENDPOINT]: LIMIT }));
		expect(adaptive.server.counts.rateLimited).toBeLessThan(simple.server.counts.rateLimited);
	});
});
