import axios from 'axios';
import { afterEach, describe, expect, it } from 'vitest';

import { formatRetryAfter } from './faults';
import { closeAll, patchOp, scim, sleep, start } from './helpers';
import { MIRO_RATE_LIMITS, SlidingWindowLimiter } from './rateLimit';
import type { ScimGroup } from './scim';
import type { Emulator } from './server';

afterEach(closeAll);

describe('SlidingWindowLimiter', () => {
	it('accepts `limit` requests per window and frees slots as they age out', () => {
		let now = 0;
		const limiter = new SlidingWindowLimiter(1000, MIRO_RATE_LIMITS, () => now);
		for (let i = 0; i < 5; i++) {
			now += 100;
			expect(limiter.take('GET /Groups').allowed).toBe(true);
		}
		expect(limiter.take('GET /Groups')).toEqual({ allowed: false, retryAfterMs: 600 });
		// Refused requests do not count: the first slot frees at 100 + 1000.
		now = 1099;
		expect(limiter.take('GET /Groups').allowed).toBe(false);
		now = 1100;
		expect(limiter.take('GET /Groups').allowed).toBe(true);
		expect(limiter.take('GET /Groups').allowed).toBe(false);
		expect(limiter.take('GET /Groups/{id}').allowed).toBe(true);
	});

	it("uses Miro's documented budgets", () => {
		expect(MIRO_RATE_LIMITS).toEqual({
			'GET /Users': 200,
			'POST /Users': 200,
			'GET /Users/{id}': 200,
			'PUT /Users/{id}': 100,
			'PATCH /Users/{id}': 100,
			'DELETE /Users/{id}': 20,
			'GET /Groups': 5,
			'GET /Groups/{id}': 20,
			// Not published by Miro: the budget assumed for user-group creates and deletes.
			'POST /Groups': 5,
			'DELETE /Groups/{id}': 5,
			'PATCH /Groups/{id} (body > 500 bytes)': 5,
			'PATCH /Groups/{id} (body <= 500 bytes)': 100,
		});
	});
});

describe('rate limits over HTTP', () => {
	it('answers the 6th GET /Groups in a window with a SCIM 429 and no Retry-After, then recovers', async () => {
		// 0.03 x 30 s = a 900 ms window.
		const emulator = await start({ timeScale: 0.03 });
		const api = scim(emulator);
		const statuses: number[] = [];
		for (let i = 0; i < 6; i++)
			statuses.push((await api.get('/Groups?excludedAttributes=members')).status);
		expect(statuses).toEqual([200, 200, 200, 200, 200, 429]);
		const limited = await api.get('/Groups');
		expect(limited.status).toBe(429);
		expect(limited.data).toMatchObject({
			schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'],
			status: '429',
		});
		expect(limited.headers['retry-after']).toBeUndefined();
		expect(emulator.log.at(-1)).toMatchObject({
			status: 429,
			endpoint: 'GET /Groups',
			flags: ['rateLimited'],
		});
		// Other endpoints have their own budgets.
		expect((await api.get('/Users')).status).toBe(200);
		await sleep(950);
		expect((await api.get('/Groups')).status).toBe(200);
	});

	it('shares one budget across ids, and a limited request changes nothing', async () => {
		const emulator = await start();
		const api = scim(emulator);
		const users = Array.from({ length: 21 }, (_, i) =>
			emulator.addUser({ userName: `u${i}@example.com` }),
		);
		for (const user of users.slice(0, 20))
			expect((await api.delete(`/Users/${user.id}`)).status).toBe(204);
		const limited = await api.delete(`/Users/${users[20].id}`);
		expect(limited.status).toBe(429);
		expect(emulator.state.userByName('u20@example.com')).toBeDefined();
	});

	it('counts group PATCHes over 500 bytes (5 per window) apart from small ones (100)', async () => {
		const emulator = await start();
		const api = scim(emulator);
		const users = Array.from({ length: 20 }, (_, i) =>
			emulator.addUser({ userName: `user.${i}@example.com` }),
		);
		const team = emulator.state.groupByName('Marketing') as ScimGroup;
		const large = (ids: string[]) => {
			const body = patchOp({ op: 'add', path: 'members', value: ids.map((value) => ({ value })) });
			expect(JSON.stringify(body).length).toBeGreaterThan(500);
			return api.patch(`/Groups/${team.id}`, body);
		};
		for (let i = 0; i < 5; i++)
			expect((await large(users.slice(0, 15).map((u) => u.id))).status).toBe(200);
		const refused = await large(
			users
				.slice(15)
				.concat(users.slice(0, 10))
				.map((u) => u.id),
		);
		expect(refused.status).toBe(429);
		expect(emulator.state.groupByName('Marketing')?.members).toHaveLength(15);
		const small = await api.patch(
			`/Groups/${team.id}`,
			patchOp({ op: 'add', path: 'members', value: [{ value: users[19].id }] }),
		);
		expect(small.status).toBe(200);
		expect(emulator.log.at(-1)?.endpoint).toBe('PATCH /Groups/{id} (body <= 500 bytes)');
	});

	it('sends Retry-After on limits when asked, scaled and fractional', async () => {
		const emulator = await start({ timeScale: 0.1, retryAfterOnRateLimit: true });
		const api = scim(emulator);
		for (let i = 0; i < 5; i++) await api.get('/Groups');
		const limited = await api.get('/Groups');
		expect(limited.status).toBe(429);
		const seconds = Number(limited.headers['retry-after']);
		expect(seconds).toBeGreaterThan(2);
		expect(seconds).toBeLessThanOrEqual(3);
	});

	it('enforces nothing with rateLimits false', async () => {
		const emulator = await start({ rateLimits: false });
		const api = scim(emulator);
		for (let i = 0; i < 8; i++) expect((await api.get('/Groups')).status).toBe(200);
	});
});

describe('fault injection', () => {
	async function statuses(emulator: Emulator, n: number): Promise<string[]> {
		const api = scim(emulator);
		const result: string[] = [];
		for (let i = 0; i < n; i++) {
			const response = await api.get('/ServiceProviderConfig');
			result.push(
				`${response.status}${response.headers['retry-after'] ? `:${response.headers['retry-after']}` : ''}`,
			);
		}
		return result;
	}

	it('repeats the same faults for the same seed and request order', async () => {
		const faults = { rate429: 0.3, retryAfterShare: 0.5, rate503: 0.2, seed: 42 };
		const a = await statuses(await start({ faults, timeScale: 0.01 }), 60);
		const b = await statuses(await start({ faults, timeScale: 0.01 }), 60);
		expect(a).toEqual(b);
		expect(a).toContain('200');
		expect(a).toContain('503');
		expect(a).toContain('429');
		expect(a).toContain('429:0.02');
		const other = await statuses(
			await start({ faults: { ...faults, seed: 7 }, timeScale: 0.01 }),
			60,
		);
		expect(other).not.toEqual(a);
		const share = a.filter((s) => s !== '200').length / a.length;
		expect(share).toBeGreaterThan(0.3);
		expect(share).toBeLessThan(0.7);
	});

	it('restarts the sequence on setFaults, and answers SCIM errors that change nothing', async () => {
		const emulator = await start({ faults: { rate429: 1, retryAfterShare: 1 } });
		const api = scim(emulator);
		const refused = await api.post('/Users', { userName: 'new@example.com' });
		expect(refused.status).toBe(429);
		expect(refused.headers['retry-after']).toBe('2');
		expect(refused.data).toMatchObject({
			status: '429',
			schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'],
		});
		expect(emulator.state.userByName('new@example.com')).toBeUndefined();
		expect(emulator.log.at(-1)).toMatchObject({ status: 429, flags: ['injected429'] });
		emulator.setFaults({ rate503: 1 });
		const unavailable = await api.post('/Users', { userName: 'new@example.com' });
		expect(unavailable.status).toBe(503);
		expect(emulator.state.userByName('new@example.com')).toBeUndefined();
		emulator.setFaults({});
		expect((await api.post('/Users', { userName: 'new@example.com' })).status).toBe(201);
	});

	it('applies a dropped request, then destroys the connection without an answer', async () => {
		const emulator = await start({ faults: { rateDrop: 1 } });
		const error = await scim(emulator)
			.post('/Users', { userName: 'ghost@example.com' })
			.then(
				() => undefined,
				(e: unknown) => e,
			);
		expect(axios.isAxiosError(error)).toBe(true);
		expect(emulator.state.userByName('ghost@example.com')).toBeDefined();
		expect(emulator.log.at(-1)).toMatchObject({ status: 201, flags: ['dropped'] });
	});

	it('formats Retry-After as whole seconds at time scale 1, scaled fractions below', () => {
		expect(formatRetryAfter(2, 1)).toBe('2');
		expect(formatRetryAfter(2, 0.01)).toBe('0.02');
		expect(formatRetryAfter(5, 0.1)).toBe('0.5');
		expect(formatRetryAfter(0.4, 1)).toBe('1');
	});

	it('rejects shares outside 0..1', async () => {
		await expect(start({ faults: { rate429: 2 } })).rejects.toThrow(RangeError);
	});
});

describe('latency', () => {
	it('delays every response', async () => {
		const emulator = await start({ latencyMs: 120 });
		const started = performance.now();
		const response = await scim(emulator).get('/ServiceProviderConfig');
		expect(response.status).toBe(200);
		expect(performance.now() - started).toBeGreaterThanOrEqual(110);
	});
});
