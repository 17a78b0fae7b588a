/**
 * Rate limits as an execution meets them: with Pacing Adaptive (the default) a lone 429 holds
 * only its own request, 429s that keep coming pause the endpoint for every execution in the
 * process, and 429s are bounded by Max Total Wait, not Max Attempts; with Pacing Simple or
 * Off, the attempt count applies. Each case runs twice: with the Pacing option as the editor saves it now, and with the two booleans
 * of workflows saved before (`pacing`, `adaptivePacing`), which must behave the same. And a
 * server error that blames the filter is retried once, not six times.
 */
import { sleep } from 'n8n-workflow';
import type { INodeParameters } from 'n8n-workflow';
import { describe, expect, it } from 'vitest';

import { runNode } from '../helpers/harness';
import { ENGINEERING, expectAllDone, miro, scimError, team, useNock } from '../helpers/fixtures';

useNock();

const engineering = team(ENGINEERING, 'Engineering');
const timing = { rateWindowSeconds: 0.2, initialBackoffMs: 1 };
let origins = 0;

/** A fresh origin per test: pacers are shared per credential and base URL in the process. */
function origin() {
	origins++;
	return `https://rate-${origins}.example.com`;
}

const getTeam = (base: string, options: INodeParameters): [INodeParameters, object] => [
	{
		resource: 'group',
		operation: 'get',
		group: { __rl: true, mode: 'id', value: ENGINEERING },
		options,
	},
	{ credentials: { token: 'test-token', baseUrl: `${base}/scim` } },
];

/** The same node options, saved now and saved before Pacing had three values. */
const SAVED = {
	'saved now': { adaptive: { pacing: 'adaptive' }, simple: { pacing: 'simple' } },
	'saved with the old booleans': {
		adaptive: { pacing: true, adaptivePacing: true },
		simple: { pacing: true, adaptivePacing: false },
	},
} as const;

describe.each(Object.entries(SAVED))('429s, options %s', (_, saved) => {
	const paced = { ...timing, ...saved.adaptive };
	it('are retried beyond Max Attempts, within Max Total Wait', async () => {
		const base = origin();
		const scope = miro(base)
			.get(`/scim/Groups/${ENGINEERING}`)
			.times(4)
			.reply(429, scimError(429, 'slow down'), { 'Retry-After': '0.01' })
			.get(`/scim/Groups/${ENGINEERING}`)
			.reply(200, engineering);

		const result = await runNode(...getTeam(base, { ...paced, maxAttempts: 2 }));

		expect(result.error).toBeUndefined();
		expect(result.json).toEqual([{ id: ENGINEERING, name: 'Engineering' }]);
		expectAllDone(scope);
	});

	it('give up when the next wait would pass Max Total Wait', async () => {
		const base = origin();
		const scope = miro(base)
			.get(`/scim/Groups/${ENGINEERING}`)
			.times(2)
			.reply(429, scimError(429, 'slow down'), { 'Retry-After': '0.08' });

		const result = await runNode(
			...getTeam(base, { ...paced, maxAttempts: 20, maxWaitSeconds: 0.1 }),
		);

		expect(result.error?.message).toBe('Miro rate limit reached and retries ran out');
		expect(result.error?.description).toMatch(/\(2 attempts\)$/);
		expectAllDone(scope);
	});

	it('with Pacing Simple, Max Attempts bounds them', async () => {
		const base = origin();
		const scope = miro(base)
			.get(`/scim/Groups/${ENGINEERING}`)
			.times(2)
			.reply(429, scimError(429, 'slow down'), { 'Retry-After': '0.01' });

		const result = await runNode(...getTeam(base, { ...timing, ...saved.simple, maxAttempts: 2 }));

		expect(result.error?.message).toBe('Miro rate limit reached and retries ran out');
		expect(result.error?.description).toMatch(/\(2 attempts\)$/);
		expectAllDone(scope);
	});

	/** Replies that record when each request arrived. */
	function recorded() {
		const arrivals: number[] = [];
		const at =
			(status: number, body: object, headers: Record<string, string> = {}) =>
			() => {
				arrivals.push(Date.now());
				return [status, body, headers] as const;
			};
		return { arrivals, at };
	}

	it('a lone 429 with Retry-After holds its own request only: another execution goes on', async () => {
		const base = origin();
		const { arrivals, at } = recorded();
		const scope = miro(base)
			.get(`/scim/Groups/${ENGINEERING}`)
			.reply(at(429, scimError(429, 'slow down'), { 'Retry-After': '1' }))
			.get(`/scim/Groups/${ENGINEERING}`)
			.times(2)
			.reply(at(200, engineering));

		const first = runNode(...getTeam(base, paced));
		while (arrivals.length === 0) await sleep(5);
		await sleep(100);
		const second = await runNode(...getTeam(base, paced));
		expect((await first).error).toBeUndefined();

		expect(second.error).toBeUndefined();
		// Loosely: the second went well before the first's Retry-After ended; the first waited it.
		expect(arrivals[1] - arrivals[0]).toBeLessThan(800);
		expect(arrivals[2] - arrivals[0]).toBeGreaterThanOrEqual(900);
		expectAllDone(scope);
	});

	it("429s that keep coming pause the endpoint for the process: another execution's request waits", async () => {
		const base = origin();
		const { arrivals, at } = recorded();
		const scope = miro(base)
			.get(`/scim/Groups/${ENGINEERING}`)
			.times(3)
			.reply(at(429, scimError(429, 'slow down'), { 'Retry-After': '0.05' }))
			.get(`/scim/Groups/${ENGINEERING}`)
			.reply(at(429, scimError(429, 'slow down'), { 'Retry-After': '0.6' }))
			.get(`/scim/Groups/${ENGINEERING}`)
			.times(2)
			.reply(at(200, engineering));

		const first = runNode(...getTeam(base, paced));
		// With no noise measured, the fourth 429 in a row reads the budget as spent. The second
		// execution starts once the first has met it (and read it).
		while (arrivals.length < 4) await sleep(5);
		await sleep(100);
		const second = await runNode(...getTeam(base, paced));
		await first;

		expect(second.error).toBeUndefined();
		// Loosely: the pause holds both for (most of) the fourth 429's 0.6 s Retry-After.
		expect(Math.min(arrivals[4], arrivals[5]) - arrivals[3]).toBeGreaterThanOrEqual(400);
		expectAllDone(scope);
	});
});

describe('a 500 that blames the filter', () => {
	it('is retried once, not up to Max Attempts', async () => {
		const scope = miro()
			.get('/api/v1/scim/Users')
			.query({ startIndex: 1, count: 5, filter: 'userName eq "jane@example.com"' })
			.times(2)
			.reply(500, scimError(500, 'Unexpected token "\\" in filter at position 14'));

		const result = await runNode({
			resource: 'user',
			operation: 'getAll',
			limit: 5,
			filters: { email: 'jane@example.com' },
			options: { pacing: false, initialBackoffMs: 1, maxAttempts: 6 },
		});

		expect(result.error?.message).toBe('Miro had an internal error');
		expect(result.error?.description).toMatch(/\(2 attempts\)$/);
		expectAllDone(scope);
	});
});
