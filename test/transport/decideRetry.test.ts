import { describe, expect, it } from 'vitest';

import {
	blamesFilter,
	decideRetry,
	isContentRefusal,
	networkCode,
} from '../../nodes/MiroScim/transport/retry';
import type {
	AttemptOutcome,
	AttemptProgress,
	RequestTraits,
	RetryDecision,
	RetryPolicy,
} from '../../nodes/MiroScim/transport/retry';

/** One row's request and progress, written as one object: the table stays readable. */
type Row = Partial<RequestTraits & AttemptProgress>;

const policy: RetryPolicy = {
	maxAttempts: 3,
	baseDelayMs: 100,
	maxDelayMs: 1000,
	maxTotalWaitMs: 5000,
};

const fresh: RequestTraits & AttemptProgress = {
	attempt: 1,
	waitedMs: 0,
	uncertain: false,
	idempotent: true,
	canRecover: false,
	recoverOnConflict: false,
	accept: [],
	pacing: 'simple',
};

function decide(outcome: AttemptOutcome, row: Row, random: () => number = () => 1) {
	const { attempt, waitedMs, uncertain, ...traits } = { ...fresh, ...row };
	return decideRetry(outcome, traits, { attempt, waitedMs, uncertain }, policy, random);
}

/** A create: not idempotent, can look whether it worked. */
const create: Row = { idempotent: false, canRecover: true };
const uniqueness = { scimType: 'uniqueness', detail: 'User already exists' };
const notUnique = { scimType: 'invalidValue', detail: 'userName is not unique' };
const filterTrace = { detail: 'Unexpected token "\\" in filter at position 17' };

const retry = (delayMs: number, lookFirst = false): RetryDecision => ({
	action: 'retry',
	delayMs,
	lookFirst,
});
const ANSWER: RetryDecision = { action: 'answer' };
const FAIL: RetryDecision = { action: 'fail' };

describe('decideRetry: what to do after one attempt (backoff without jitter here)', () => {
	it.each<[string, AttemptOutcome, Row, RetryDecision]>([
		['200 is the answer', { status: 200 }, {}, ANSWER],
		['204 is the answer', { status: 204 }, {}, ANSWER],
		['an accepted 404 is the answer', { status: 404 }, { accept: [404] }, ANSWER],
		['404 fails', { status: 404 }, {}, FAIL],
		['400 fails', { status: 400 }, {}, FAIL],
		['409 fails', { status: 409, body: uniqueness }, {}, FAIL],
		['503, first attempt: backoff', { status: 503 }, {}, retry(100)],
		['503, second attempt: doubled', { status: 503 }, { attempt: 2 }, retry(200)],
		['503, last attempt: fails', { status: 503 }, { attempt: 3 }, FAIL],
		['503 with Retry-After 0.7 s', { status: 503, holdMs: 700 }, {}, retry(700)],
		['Retry-After over the ceiling is capped', { status: 503, holdMs: 9000 }, {}, retry(1000)],
		['beyond Max Total Wait fails', { status: 503 }, { waitedMs: 4950 }, FAIL],
		['exactly Max Total Wait still waits', { status: 503 }, { waitedMs: 4900 }, retry(100)],
		['501 is not retried', { status: 501 }, {}, FAIL],
		['429 bounded by attempts (simple pacing)', { status: 429 }, { attempt: 3 }, FAIL],
		['429 bounded by attempts (pacing off)', { status: 429 }, { attempt: 3, pacing: 'off' }, FAIL],
		[
			'429 under adaptive pacing: attempts do not bound it',
			{ status: 429, holdMs: 800 },
			{ attempt: 30, pacing: 'adaptive' },
			retry(800),
		],
		[
			'429 under adaptive pacing, no Retry-After: the first backoff again, not doubled',
			{ status: 429 },
			{ attempt: 5, pacing: 'adaptive' },
			retry(100),
		],
		['429 with simple pacing: doubled', { status: 429 }, { attempt: 2 }, retry(200)],
		[
			'429 under adaptive pacing: Max Total Wait does',
			{ status: 429, holdMs: 800 },
			{ attempt: 30, waitedMs: 4500, pacing: 'adaptive' },
			FAIL,
		],
		[
			'503 under adaptive pacing: still bounded by attempts',
			{ status: 503 },
			{ attempt: 3, pacing: 'adaptive' },
			FAIL,
		],
		['a reset connection: backoff', { code: 'ECONNRESET' }, {}, retry(100)],
		['a reset connection, last attempt', { code: 'ECONNRESET' }, { attempt: 3 }, FAIL],
		[
			'a reset connection under adaptive pacing: attempts bound it',
			{ code: 'ECONNRESET' },
			{ attempt: 3, pacing: 'adaptive' },
			FAIL,
		],
		['an unrecognised failure fails at once', {}, {}, FAIL],
		['a create answered 503 without recover fails', { status: 503 }, { idempotent: false }, FAIL],
		['a create answered 503 looks before resending', { status: 503 }, create, retry(100, true)],
		['a create reset looks before resending', { code: 'ECONNRESET' }, create, retry(100, true)],
		['a create refused a connection: resent as is', { code: 'ECONNREFUSED' }, create, retry(100)],
		['a create answered 429: resent as is', { status: 429 }, create, retry(100)],
		[
			'once uncertain, every resend looks first',
			{ status: 429 },
			{ ...create, uncertain: true },
			retry(100, true),
		],
		[
			'409 after an uncertain attempt: look, the user may be ours',
			{ status: 409, body: uniqueness },
			{ ...create, uncertain: true },
			{ action: 'lookThenFail', recovery: 'lostAnswer' },
		],
		[
			'404 after an uncertain removal: look, it may be done',
			{ status: 404 },
			{ ...create, uncertain: true },
			{ action: 'lookThenFail', recovery: 'lostAnswer' },
		],
		[
			'409 uniqueness with recoverOnConflict: someone else made it',
			{ status: 409, body: uniqueness },
			{ ...create, recoverOnConflict: true },
			{ action: 'lookThenFail', recovery: 'conflict' },
		],
		[
			'400 "not unique" with recoverOnConflict: the same',
			{ status: 400, body: notUnique },
			{ ...create, recoverOnConflict: true },
			{ action: 'lookThenFail', recovery: 'conflict' },
		],
		[
			'400 of another kind with recoverOnConflict fails',
			{ status: 400, body: { detail: 'displayName too long' } },
			{ ...create, recoverOnConflict: true },
			FAIL,
		],
		[
			'a 500 blaming the filter is retried once',
			{ status: 500, body: filterTrace },
			{},
			retry(100),
		],
		['... and not twice', { status: 500, body: filterTrace }, { attempt: 2 }, FAIL],
		['a 500 of another kind is retried again', { status: 500 }, { attempt: 2 }, retry(200)],
	])('%s', (_, outcome, row, expected) => {
		expect(decide(outcome, row)).toEqual(expected);
	});

	it('jitters the backoff between half and all of it', () => {
		expect(decide({ status: 503 }, {}, () => 0)).toEqual(retry(50));
		expect(decide({ status: 503 }, {}, () => 0.5)).toEqual(retry(75));
	});
});

describe('networkCode: the fault behind a failed request', () => {
	it.each([
		['a code', Object.assign(new Error('x'), { code: 'ECONNRESET' }), 'ECONNRESET'],
		['undici', Object.assign(new Error('x'), { code: 'UND_ERR_SOCKET' }), 'UND_ERR_SOCKET'],
		[
			'a wrapped cause',
			Object.assign(new Error('x'), { cause: { code: 'ETIMEDOUT' } }),
			'ETIMEDOUT',
		],
		['socket hang up', new Error('socket hang up'), 'ECONNRESET'],
		['an axios timeout', new Error('timeout of 200ms exceeded'), 'ETIMEDOUT'],
		// Named, though not one that is retried (isRetriedNetworkCode decides that).
		[
			'an HTTP-ish code',
			Object.assign(new Error('x'), { code: 'ERR_BAD_REQUEST' }),
			'ERR_BAD_REQUEST',
		],
		['no code', new Error('certificate verify failed'), undefined],
		['not an object', 'boom', undefined],
	])('%s', (_, error, code) => {
		expect(networkCode(error)).toBe(code);
	});

	it('survives a cause cycle', () => {
		const a: { cause?: unknown } = {};
		a.cause = { cause: a };
		expect(networkCode(a)).toBeUndefined();
	});
});

describe('isContentRefusal and blamesFilter', () => {
	it.each([
		[400, true],
		[404, true],
		[409, true],
		[413, true],
		[429, false],
		[500, false],
		[501, false],
		[undefined, false],
	])('status %s is a refusal of the content: %s', (status, refused) => {
		expect(isContentRefusal(status)).toBe(refused);
	});

	it.each([
		[500, filterTrace, true],
		[500, { message: 'Invalid filter expression' }, true],
		[500, { detail: 'Internal error' }, false],
		[400, filterTrace, false],
		[500, 'filter', false],
	])('status %s with %j blames the filter: %s', (status, body, blamed) => {
		expect(blamesFilter(status, body)).toBe(blamed);
	});
});
