import { describe, expect, it } from 'vitest';

import {
	backoffDelay,
	isRetriedNetworkCode,
	mayHaveActed,
	parseRetryAfter,
	RETRIED_STATUSES,
} from '../../nodes/MiroScim/transport/retry';
import type { RetryPolicy } from '../../nodes/MiroScim/transport/retry';

describe('parseRetryAfter (RFC 9110 §10.2.3: delta-seconds or an HTTP date)', () => {
	const now = Date.UTC(2015, 9, 21, 7, 27, 30);

	it.each([
		['absent', undefined, undefined],
		['null', null, undefined],
		['empty', '', undefined],
		['blank', '   ', undefined],
		['seconds', '5', 5000],
		['zero', '0', 0],
		['padded seconds', ' 2 ', 2000],
		['fractional seconds (shrunk test clocks)', '0.05', 50],
		['fractional seconds rounding', '1.2345', 1235],
		['a number', 3, 3000],
		['a negative number', -1, undefined],
		['the first of repeated headers', ['7', '1'], 7000],
		['an HTTP date 30 s ahead', 'Wed, 21 Oct 2015 07:28:00 GMT', 30_000],
		['an obsolete RFC 850 date', 'Wednesday, 21-Oct-15 07:28:00 GMT', 30_000],
		['an HTTP date in the past', 'Wed, 21 Oct 2015 07:00:00 GMT', 0],
		['garbage', 'soon', undefined],
		['a unit', '5s', undefined],
		['an object', { seconds: 5 }, undefined],
	])('%s: %j -> %j ms', (_, value, expected) => {
		expect(parseRetryAfter(value, now)).toBe(expected);
	});
});

describe('backoffDelay: exponential with jitter between half and all of base * 2^(n-1)', () => {
	const policy: RetryPolicy = {
		maxAttempts: 6,
		baseDelayMs: 1000,
		maxDelayMs: 60_000,
		maxTotalWaitMs: 180_000,
	};

	it.each([
		[1, 0, 500],
		[1, 0.5, 750],
		[1, 1, 1000],
		[2, 0, 1000],
		[2, 1, 2000],
		[3, 0.5, 3000],
		[4, 1, 8000],
		[6, 1, 32_000],
		// The ceiling caps it: 2^7 s would be 128 s.
		[8, 0, 30_000],
		[8, 1, 60_000],
		[30, 1, 60_000],
	])('after %i failed attempt(s) with random %d: %i ms', (failedAttempts, random, expected) => {
		expect(backoffDelay(policy, failedAttempts, () => random)).toBe(expected);
	});

	it.each([
		[{ ...policy, baseDelayMs: 1 }, 1, 1, 1],
		[{ ...policy, baseDelayMs: 100 }, 3, 0, 200],
		[{ ...policy, baseDelayMs: 100, maxDelayMs: 250 }, 3, 1, 250],
	])('policy %j, attempt %i, random %d: %i ms', (custom, failedAttempts, random, expected) => {
		expect(backoffDelay(custom, failedAttempts, () => random)).toBe(expected);
	});

	it('stays within [ceiling/2, ceiling] with the real random source', () => {
		for (let attempt = 1; attempt <= 8; attempt++) {
			const ceiling = Math.min(60_000, 1000 * 2 ** (attempt - 1));
			for (let i = 0; i < 50; i++) {
				const delay = backoffDelay(policy, attempt);
				expect(delay).toBeGreaterThanOrEqual(ceiling / 2);
				expect(delay).toBeLessThanOrEqual(ceiling);
			}
		}
	});
});

describe('which failures are retried', () => {
	it.each([
		[429, true],
		[500, true],
		[502, true],
		[503, true],
		[504, true],
		[400, false],
		[401, false],
		[403, false],
		[404, false],
		[409, false],
		[413, false],
		[501, false],
	])('status %i retried: %s', (status, retried) => {
		expect(RETRIED_STATUSES.has(status)).toBe(retried);
	});

	it.each([
		['ECONNRESET', true],
		['ECONNABORTED', true],
		['ETIMEDOUT', true],
		['ECONNREFUSED', true],
		['ENOTFOUND', true],
		['EAI_AGAIN', true],
		['UND_ERR_SOCKET', true],
		['ERR_BAD_REQUEST', false],
		['EPROTO', false],
		[undefined, false],
	])('network code %s retried: %s', (code, retried) => {
		expect(isRetriedNetworkCode(code)).toBe(retried);
	});

	it.each([
		[{ status: 429 }, false],
		[{ status: 500 }, true],
		[{ status: 503 }, true],
		[{ code: 'ECONNRESET' }, true],
		[{ code: 'ETIMEDOUT' }, true],
		[{ code: 'ECONNABORTED' }, true],
		[{ code: 'ECONNREFUSED' }, false],
		[{ code: 'ENOTFOUND' }, false],
		[{ code: 'EAI_AGAIN' }, false],
	])('%j may have acted: %s', (outcome, acted) => {
		expect(mayHaveActed(outcome)).toBe(acted);
	});
});
