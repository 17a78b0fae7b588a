import axios from 'axios';
import { afterEach, describe, expect, it } from 'vitest';

import { closeAll, scim, start } from './helpers';
import { checkOtherClient, OtherClient } from './otherClient';
import { MIRO_RATE_LIMITS, SlidingWindowLimiter } from './rateLimit';

afterEach(closeAll);

// Time scale 0.01: a 300 ms window, a burst every 1.2 s lasting 0.3 s.
const steady = new OtherClient({ share: 0.5 }, 300, 0.01);
const bursty = new OtherClient(
	{ share: 0.5, burstShare: 0.3, burstEverySeconds: 120, burstForSeconds: 30 },
	300,
	0.01,
);

describe('OtherClient: the budget another IdP app takes', () => {
	it.each<[string, OtherClient, number, number, number, number]>([
		// client, limit, from, to, requests it sent
		['steady 50%, one window of a 200 budget', steady, 200, 0, 300, 100],
		['steady 50%, half a window', steady, 200, 0, 150, 50],
		['steady 50%, three windows', steady, 200, 1000, 1900, 300],
		['steady 50% of a budget of 5', steady, 5, 0, 300, 2.5],
		['bursty, a quiet stretch (0..900 ms)', bursty, 200, 0, 900, 300],
		['bursty, a whole burst (900..1200 ms): 80%', bursty, 200, 900, 1200, 160],
		['bursty, one period: 50% + 30% x 1/4', bursty, 200, 0, 1200, 460],
		['bursty, across a period edge', bursty, 200, 1050, 1350, 100 + 30],
		['an empty span', steady, 200, 500, 500, 0],
	])('%s: %d', (_, client, limit, from, to, requests) => {
		expect(client.used(limit, from, to)).toBeCloseTo(requests, 6);
	});

	it.each([
		[0, 0.5],
		[899, 0.5],
		[900, 0.8],
		[1199, 0.8],
		[1200, 0.5],
		[2100, 0.8],
	])('bursty share at %i ms: %d', (t, share) => {
		expect(bursty.shareAt(t)).toBe(share);
	});

	it('holds its share of the window ending now', () => {
		expect(steady.inWindow(200, 5000)).toBeCloseTo(100, 6);
		expect(bursty.inWindow(200, 1200)).toBeCloseTo(160, 6);
	});

	it.each([
		[{ share: -0.1 }],
		[{ share: 0.8, burstShare: 0.3 }],
		[{ share: 0.5, burstForSeconds: 200, burstEverySeconds: 100 }],
		[{ share: 0.5, burstEverySeconds: 0 }],
	])('refuses %j', (options) => {
		expect(() => checkOtherClient(options)).toThrow(RangeError);
	});
});

describe('the limiter leaves the node what the other client does not take', () => {
	it('accepts limit x (1 - share) in a window, and more once the burst ends', () => {
		let now = 5000;
		const limiter = new SlidingWindowLimiter(
			300,
			MIRO_RATE_LIMITS,
			() => now,
			(_, limit, t) => steady.inWindow(limit, t),
		);
		const accepted = () =>
			Array.from({ length: 200 }, () => limiter.take('GET /Users').allowed).filter(Boolean).length;
		expect(accepted()).toBe(100);
		now += 300;
		expect(accepted()).toBe(100);
	});

	it('over HTTP: half of GET /Users answers 429 at once, and the route reports the client', async () => {
		const emulator = await start({ timeScale: 0.1, otherClient: { share: 0.5 } });
		const api = scim(emulator);
		const statuses = await Promise.all(
			Array.from({ length: 150 }, async () => (await api.get('/Users?count=1')).status),
		);
		expect(statuses.filter((status) => status === 200)).toHaveLength(100);
		expect(statuses.filter((status) => status === 429)).toHaveLength(50);
		const origin = new URL(emulator.url).origin;
		const { data } = await axios.get(`${origin}/_emulator/other-client`);
		expect(data).toMatchObject({
			options: { share: 0.5, burstShare: 0, burstEverySeconds: 120, burstForSeconds: 30 },
			windowMs: 3000,
		});
		expect(typeof data.startedAt).toBe('number');
	});

	it('without it, the route says none', async () => {
		const emulator = await start({ timeScale: 0.1 });
		const { data } = await axios.get(`${new URL(emulator.url).origin}/_emulator/other-client`);
		expect(data.options).toBeNull();
	});
});
