import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

import {
	AdaptivePacer,
	endpointOf,
	isPacedEndpoint,
	MIRO_RATE_LIMITS,
	pacerFor,
	SimplePacer,
} from '../../nodes/MiroScim/transport/pacing';
import type { PacedEndpoint, RatePacer } from '../../nodes/MiroScim/transport/pacing';

describe('endpointOf: the budget a request draws on', () => {
	it.each([
		['GET', '/Users', 0, 'GET /Users'],
		['GET', '/Users?filter=x', 0, 'GET /Users'],
		['GET', '/Users/3074457345618261605', 0, 'GET /Users/{id}'],
		['POST', '/Users', 300, 'POST /Users'],
		['PUT', '/Users/1', 900, 'PUT /Users/{id}'],
		['PATCH', '/Users/1', 900, 'PATCH /Users/{id}'],
		['DELETE', '/Users/1', 0, 'DELETE /Users/{id}'],
		['GET', '/Groups', 0, 'GET /Groups'],
		['GET', '/Groups/3458764513820540928', 0, 'GET /Groups/{id}'],
		['PATCH', '/Groups/1', 0, 'PATCH /Groups/{id} small'],
		['PATCH', '/Groups/1', 500, 'PATCH /Groups/{id} small'],
		['PATCH', '/Groups/1', 501, 'PATCH /Groups/{id} large'],
		['PATCH', '/Groups/1', 800_000, 'PATCH /Groups/{id} large'],
		// Miro sets no budget here: nothing to pace.
		['GET', '/ServiceProviderConfig', 0, undefined],
		['GET', '/Schemas/urn:x', 0, undefined],
	] as const)('%s %s (%i bytes) -> %s', (method, path, bytes, endpoint) => {
		expect(endpointOf(method, path, bytes)).toBe(endpoint);
	});

	it.each([
		['GET', '/Users', 0, 200],
		['GET', '/Users/1', 0, 200],
		['POST', '/Users', 0, 200],
		['PUT', '/Users/1', 0, 100],
		['PATCH', '/Users/1', 0, 100],
		['DELETE', '/Users/1', 0, 20],
		['GET', '/Groups', 0, 5],
		['GET', '/Groups/1', 0, 20],
		// Not published by Miro: the conservative budget chosen for user groups.
		['POST', '/Groups', 60, 5],
		['DELETE', '/Groups/1', 0, 5],
		['PATCH', '/Groups/1', 500, 100],
		['PATCH', '/Groups/1', 501, 5],
		['GET', '/ServiceProviderConfig', 0, undefined],
	] as const)("Miro's limit per 30 s for %s %s (%i bytes): %s", (method, path, bytes, limit) => {
		const endpoint = endpointOf(method, path, bytes);
		expect(endpoint && MIRO_RATE_LIMITS[endpoint]).toBe(limit);
		expect(endpoint === undefined || isPacedEndpoint(endpoint)).toBe(true);
	});
});

// Without 429s the adaptive pacer keeps Miro's full limits: it paces exactly like the simple one.
describe.each([
	['SimplePacer', SimplePacer],
	['AdaptivePacer without 429s', AdaptivePacer],
])('%s: a sliding window per endpoint', (_, Pacer) => {
	beforeEach(() => {
		vi.useFakeTimers({ now: 1_000_000 });
	});
	afterEach(() => {
		vi.useRealTimers();
	});

	/** Starts `count` acquisitions at once; returns their waits as they settle. */
	function start(pacer: RatePacer, endpoint: PacedEndpoint, count: number) {
		const waits: Array<number | undefined> = new Array(count).fill(undefined);
		const all = Array.from({ length: count }, (_, i) =>
			pacer.acquire(endpoint).then((booking) => {
				waits[i] = booking.waitedMs;
			}),
		);
		return { waits, all: Promise.all(all) };
	}

	it.each([
		// window, limit, margin, requests, waits of each
		[1000, 2, 0, 3, [0, 0, 1001]],
		[1000, 2, 0, 5, [0, 0, 1001, 1001, 2002]],
		[1000, 3, 0, 4, [0, 0, 0, 1001]],
		[1000, 1, 250, 3, [0, 1251, 2502]],
		[200, 5, 0, 6, [0, 0, 0, 0, 0, 201]],
	])(
		'window %i ms, limit %i, margin %i: %i requests wait %j',
		async (windowMs, limit, margin, count, expected) => {
			const pacer = new Pacer(windowMs, { 'GET /Groups': limit }, margin);
			const { waits, all } = start(pacer, 'GET /Groups', count);
			await vi.runAllTimersAsync();
			await all;
			expect(waits).toEqual(expected);
		},
	);

	it('holds the request over the limit until the window has passed', async () => {
		const pacer = new Pacer(1000, { 'GET /Groups': 1 }, 0);
		const { waits } = start(pacer, 'GET /Groups', 2);
		await vi.advanceTimersByTimeAsync(1000);
		expect(waits).toEqual([0, undefined]);
		await vi.advanceTimersByTimeAsync(1);
		expect(waits).toEqual([0, 1001]);
	});

	it('counts endpoints separately and lets endpoints without a limit through', async () => {
		const pacer = new Pacer(1000, { 'GET /Groups': 1, 'GET /Groups/{id}': 1 }, 0);
		const groups = start(pacer, 'GET /Groups', 1);
		const group = start(pacer, 'GET /Groups/{id}', 1);
		const other = start(pacer, 'GET /Users', 10);
		await vi.advanceTimersByTimeAsync(0);
		expect([...groups.waits, ...group.waits, ...other.waits]).toEqual(new Array(12).fill(0));
	});

	it('frees the budget once the window slides past earlier requests', async () => {
		const pacer = new Pacer(1000, { 'GET /Groups': 2 }, 0);
		await start(pacer, 'GET /Groups', 2).all;
		await vi.advanceTimersByTimeAsync(600);
		const later = start(pacer, 'GET /Groups', 1);
		await vi.advanceTimersByTimeAsync(0);
		expect(later.waits).toEqual([undefined]);
		// The first two were sent at t=0: the third may go at t=1001, 401 ms after it asked.
		await vi.advanceTimersByTimeAsync(401);
		expect(later.waits).toEqual([401]);
	});

	it.each([
		[30_000, 600],
		[1000, 20],
		[100, 5],
	])('the default margin for a %i ms window is %i ms', async (windowMs, margin) => {
		const pacer = new Pacer(windowMs, { 'GET /Groups': 1 });
		const { waits, all } = start(pacer, 'GET /Groups', 2);
		await vi.runAllTimersAsync();
		await all;
		expect(waits).toEqual([0, windowMs + margin + 1]);
	});
});

describe('pacerFor: one pacer per credential, base URL and window, shared by executions', () => {
	it('returns the same pacer for the same key and window, another for anything else', () => {
		const a = pacerFor('cred-x|https://miro.com/api/v1/scim', 30_000);
		expect(a).toBeInstanceOf(AdaptivePacer);
		expect(pacerFor('cred-x|https://miro.com/api/v1/scim', 30_000)).toBe(a);
		expect(pacerFor('cred-x|https://miro.com/api/v1/scim', 30_000, 'simple')).not.toBe(a);
		expect(pacerFor('cred-x|https://miro.com/api/v1/scim', 30_000, 'simple')).not.toBeInstanceOf(
			AdaptivePacer,
		);
		expect(pacerFor('cred-y|https://miro.com/api/v1/scim', 30_000)).not.toBe(a);
		expect(pacerFor('cred-x|https://api.miro.com/api/v1/scim', 30_000)).not.toBe(a);
		expect(pacerFor('cred-x|https://miro.com/api/v1/scim', 200)).not.toBe(a);
	});
});
