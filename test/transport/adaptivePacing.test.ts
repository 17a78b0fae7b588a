import { sleep } from 'n8n-workflow';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

import {
	ADAPTIVE_PACING,
	AdaptivePacer,
	nextAllowance,
	SimplePacer,
} from '../../nodes/MiroScim/transport/pacing';
import type { AllowanceEvent, RatePacer } from '../../nodes/MiroScim/transport/pacing';
import { decideRetry } from '../../nodes/MiroScim/transport/retry';
import type { AttemptState, RetryPolicy } from '../../nodes/MiroScim/transport/retry';

describe('nextAllowance: lower on a 429, regain in busy clean windows', () => {
	const limited = (sinceDecreaseMs: number): AllowanceEvent => ({
		kind: 'rateLimited',
		sinceDecreaseMs,
		windowMs: 1000,
	});
	const ended = (binding: boolean, rateLimited = false): AllowanceEvent => ({
		kind: 'windowEnded',
		binding,
		rateLimited,
	});

	it('uses the documented parameters', () => {
		expect(ADAPTIVE_PACING).toEqual({ decrease: 0.7, increase: 0.05 });
	});

	it.each<[number, number, AllowanceEvent, number]>([
		// allowed, limit, event, next
		[200, 200, limited(Infinity), 140],
		[140, 200, limited(Infinity), 98],
		[140, 200, limited(999), 140],
		[140, 200, limited(1000), 98],
		[5, 5, limited(Infinity), 3],
		[3, 5, limited(Infinity), 2],
		[1, 5, limited(Infinity), 1],
		[140, 200, ended(true), 150],
		[195, 200, ended(true), 200],
		[200, 200, ended(true), 200],
		[140, 200, ended(false), 140],
		[140, 200, ended(true, true), 140],
		[3, 5, ended(true), 4],
		[10, 20, ended(true), 11],
	])('allowed %i of %i, %j -> %i', (allowed, limit, event, next) => {
		expect(nextAllowance(allowed, limit, event)).toBe(next);
	});
});

describe('AdaptivePacer', () => {
	beforeEach(() => {
		vi.useFakeTimers({ now: 1_000_000 });
	});
	afterEach(() => {
		vi.useRealTimers();
	});

	const limits = { 'GET /Groups': 10, 'GET /Users': 10 };

	async function acquired(pacer: RatePacer, endpoint: string) {
		let waited: number | undefined;
		const done = pacer.acquire(endpoint).then((ms) => (waited = ms));
		return { done, waited: () => waited };
	}

	it('a 429 pauses that endpoint for every request until Retry-After, others go on', async () => {
		const pacer = new AdaptivePacer(1000, limits, 0);
		await pacer.acquire('GET /Groups');

		expect(pacer.rateLimited('GET /Groups', 500)).toBe(500);
		const groups = await acquired(pacer, 'GET /Groups');
		const users = await acquired(pacer, 'GET /Users');
		await vi.advanceTimersByTimeAsync(0);
		expect(users.waited()).toBe(0);
		expect(groups.waited()).toBeUndefined();
		await vi.advanceTimersByTimeAsync(500);
		expect(groups.waited()).toBe(500);
	});

	it('without Retry-After it pauses until its own window frees a slot', async () => {
		const pacer = new AdaptivePacer(1000, limits, 0);
		await pacer.acquire('GET /Groups');
		await vi.advanceTimersByTimeAsync(300);

		expect(pacer.rateLimited('GET /Groups', undefined)).toBe(700);
		// Nothing of its own in the window: a whole window.
		expect(pacer.rateLimited('GET /Users', undefined)).toBe(1000);
	});

	it('lowers the allowance once per burst of 429s, and paces to it', async () => {
		const pacer = new AdaptivePacer(1000, limits, 0);
		pacer.rateLimited('GET /Groups', 0);
		pacer.rateLimited('GET /Groups', 0);
		pacer.rateLimited('GET /Groups', 0);
		expect(pacer.allowance('GET /Groups')).toBe(7);

		const waits: Array<number | undefined> = new Array(8).fill(undefined);
		for (let i = 0; i < 8; i++) void pacer.acquire('GET /Groups').then((ms) => (waits[i] = ms));
		await vi.advanceTimersByTimeAsync(0);
		expect(waits).toEqual([0, 0, 0, 0, 0, 0, 0, undefined]);
		await vi.advanceTimersByTimeAsync(1001);
		expect(waits[7]).toBe(1001);
	});

	it('regains in windows that used the allowance without a 429, not in idle ones', async () => {
		const pacer = new AdaptivePacer(1000, limits, 0);
		pacer.rateLimited('GET /Groups', 0);
		expect(pacer.allowance('GET /Groups')).toBe(7);

		await vi.advanceTimersByTimeAsync(1000);
		expect(pacer.allowance('GET /Groups')).toBe(7); // the 429's window: no regain
		await vi.advanceTimersByTimeAsync(1000);
		expect(pacer.allowance('GET /Groups')).toBe(7); // idle: no regain

		const busy = Promise.all(
			Array.from({ length: 8 }, async () => await pacer.acquire('GET /Groups')),
		);
		await vi.advanceTimersByTimeAsync(1001);
		await busy;
		expect(pacer.allowance('GET /Groups')).toBe(8);
	});

	it('lets endpoints without a Miro limit through, and leaves their 429s to Retry-After', async () => {
		const pacer = new AdaptivePacer(1000, limits, 0);
		expect(await pacer.acquire('GET /ServiceProviderConfig')).toBe(0);
		expect(pacer.rateLimited('GET /ServiceProviderConfig', 250)).toBe(250);
	});

	it('the simple pacer leaves every 429 to Retry-After and backoff', () => {
		const pacer = new SimplePacer(1000, limits, 0);
		expect(pacer.rateLimited('GET /Groups', 250)).toBe(250);
		expect(pacer.rateLimited('GET /Groups', undefined)).toBeUndefined();
		expect(pacer.boundsRateLimitsByWait).toBe(false);
		expect(new AdaptivePacer(1000).boundsRateLimitsByWait).toBe(true);
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
	const ENDPOINT = 'POST /Users';

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
		const state: AttemptState = {
			attempt: 0,
			waitedMs: 0,
			uncertain: false,
			idempotent: true,
			canRecover: false,
			recoverOnConflict: false,
			accept: [],
			rateLimitsByWait: pacer.boundsRateLimitsByWait,
		};
		for (;;) {
			state.attempt++;
			await pacer.acquire(ENDPOINT);
			const answer = server.hit();
			const holdMs =
				answer.status === 429
					? (pacer.rateLimited(ENDPOINT, answer.retryAfterMs) ?? answer.retryAfterMs)
					: undefined;
			const decision = decideRetry({ status: answer.status, holdMs }, state, policy);
			if (decision.action === 'answer') return true;
			if (decision.action !== 'retry') return false;
			state.waitedMs += decision.delayMs;
			await sleep(decision.delayMs);
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
		// The first window's burst is the price of learning; after it, few requests bounce.
		expect(adaptive.server.counts.rateLimited).toBeLessThan(0.25 * 80);

		// The simple pacer beside it (counts, not times; the bench measures): each process
		// believes it has the whole budget and keeps bouncing off the server.
		const simple = await race(() => new SimplePacer(WINDOW_MS, { [ENDPOINT]: LIMIT }));
		expect(adaptive.server.counts.rateLimited).toBeLessThan(simple.server.counts.rateLimited);
	});
});
